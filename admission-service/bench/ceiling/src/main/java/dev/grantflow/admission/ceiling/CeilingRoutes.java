package dev.grantflow.admission.ceiling;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
 * admission-service's {@code AdmissionRoutes} (a body handler with the same limit, the answer written as bytes, on
 * the event loop) around the {@link CeilingAnswer}'s work. The stricter of the two ceilings: no REST layer either.
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
                .handler(BodyHandler.create(false).setBodyLimit(maxBodySize.asLongValue()))
                .handler(this::applyPodDefault);
    }

    void applyPodDefault(RoutingContext context) {
        Buffer body = context.body().buffer();
        ObjectNode answer = ceiling.answer(body == null ? new byte[0] : body.getBytes());
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
        context.response().putHeader(HttpHeaders.CONTENT_TYPE, JSON).end(Buffer.buffer(bytes));
    }
}
