package dev.grantflow.admission.ceiling;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The ceiling on a plain Vert.x route, {@code POST /routes/apply-poddefault}: the same HTTP handling as
 * admission-service's {@code AdmissionRoutes} (a body handler with the same limit and its body buffer preallocated
 * from Content-Length, the review parsed from that buffer's own bytes, the answer's bytes wrapped into the response's
 * buffer, not copied, on the event loop) around the {@link CeilingAnswer}'s work. The stricter of the two ceilings:
 * no REST layer and no copy the service does not make either (since run 86 of docs/benchmarks.md; before it, the
 * body and the answer were copied and the body buffer grew from 1 KiB).
 */
@Singleton
public class CeilingRoutes {

    private static final CharSequence JSON = HttpHeaders.createOptimized("application/json");

    @Inject
    CeilingAnswer ceiling;

    @Inject
    ObjectMapper json;

    @ConfigProperty(name = "quarkus.http.limits.max-body-size")
    MemorySize maxBodySize;

    void register(@Observes Router router) {
        router.post("/routes/apply-poddefault").consumes("application/json")
                .handler(BodyHandler.create(false).setBodyLimit(maxBodySize.asLongValue())
                        .setPreallocateBodyBuffer(true))
                .handler(this::applyPodDefault);
    }

    @SuppressWarnings("deprecation") // getByteBuf, Buffer.buffer(ByteBuf): as in AdmissionRoutes, no copy
    void applyPodDefault(RoutingContext context) {
        Buffer body = context.body().buffer();
        ObjectNode answer;
        if (body == null) {
            answer = ceiling.answer(new byte[0]);
        } else {
            ByteBuf bytes = body.getByteBuf();
            answer = bytes.hasArray()
                    ? ceiling.answer(bytes.array(), bytes.arrayOffset() + bytes.readerIndex(), bytes.readableBytes())
                    : ceiling.answer(body.getBytes());
        }
        if (answer == null) {
            context.response().setStatusCode(400).end();
            return;
        }
        byte[] bytes;
        try {
            bytes = json.writeValueAsBytes(answer);
        } catch (JsonProcessingException e) {
            context.fail(e);
            return;
        }
        context.response().putHeader(HttpHeaders.CONTENT_TYPE, JSON).end(Buffer.buffer(Unpooled.wrappedBuffer(bytes)));
    }
}
