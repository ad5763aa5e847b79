package dev.grantflow.admission.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.grantflow.admission.domain.AdmissionDecision;
import dev.grantflow.admission.domain.AdmissionRequest;
import dev.grantflow.admission.domain.AdmissionReviewMapper;
import dev.grantflow.admission.domain.MalformedReviewException;
import dev.grantflow.admission.domain.PodAdmission;
import dev.grantflow.admission.domain.PodDefaultPolicy;
import dev.grantflow.admission.domain.PodDefaultValidationPolicy;
import dev.grantflow.admission.kube.PodDefaultCache;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.function.Function;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

/**
 * The two webhooks, as two routes of the HTTP server's router. Glue only: read the body, decode the review, ask the
 * policy, log and count, write the answer. Runs on the event loop: a decision is pure CPU work on an in-memory
 * snapshot, with no I/O.
 *
 * <p>Plain Vert.x routes rather than a JAX-RS resource: a webhook is two POSTs of JSON bytes answered with JSON bytes
 * (the answer is already written as bytes by {@link AdmissionReviewMapper}), and the REST layer's per-request work
 * (resource matching, content negotiation, entity writers) was measurable in the benchmark (ADR 15,
 * docs/benchmarks.md). The routes keep what that layer gave: 405 for another method, 415 for a body that is not
 * {@code application/json}, 413 above {@code quarkus.http.limits.max-body-size} (from the Content-Length header,
 * before the body is read).
 *
 * <p>The review is parsed from the body buffer's own bytes, not from a copy of them, and the answer's bytes become
 * the response's buffer as they are, not copied into a new one.
 *
 * <p>Logs name the namespace, the pod and the PodDefaults, plus the decision reason; never env values (the
 * domain's messages do not contain them either). Denials are logged at INFO, skipped PodDefaults at WARN; the
 * routine "patched"/"unchanged" answers (one per pod) at DEBUG.
 */
@Singleton
public class AdmissionRoutes {

    private static final Logger LOG = Logger.getLogger(AdmissionRoutes.class);
    private static final String JSON = "application/json";
    private static final CharSequence JSON_HEADER = HttpHeaders.createOptimized(JSON);

    @Inject
    AdmissionReviewMapper reviews;

    @Inject
    PodDefaultPolicy policy;

    @Inject
    PodDefaultValidationPolicy validation;

    @Inject
    PodDefaultCache cache;

    @Inject
    AdmissionMetrics metrics;

    @Inject
    ObjectMapper json;

    @ConfigProperty(name = "quarkus.http.limits.max-body-size")
    MemorySize maxBodySize;

    void register(@Observes Router router) {
        // Preallocated: the body buffer is sized from Content-Length (Vert.x caps it at 64 KiB) instead of growing
        // from 1 KiB, which reallocated and copied it twice for a notebook pod's review.
        BodyHandler body = BodyHandler.create(false).setBodyLimit(maxBodySize.asLongValue())
                .setPreallocateBodyBuffer(true);
        Webhook mutate = new Webhook(AdmissionMetrics.MUTATE, reviews::parsePodReview, this::mutate);
        Webhook validate = new Webhook(AdmissionMetrics.VALIDATE, reviews::parse, this::validate);
        router.post("/apply-poddefault").consumes(JSON).handler(body).handler(mutate);
        router.post("/validate-poddefault").consumes(JSON).handler(body).handler(validate);
    }

    private AdmissionDecision mutate(AdmissionRequest request) {
        PodAdmission admission = policy.decide(request, cache);
        metrics.skippedPodDefaults(admission.skipped().size());
        log(request, admission);
        return admission.decision();
    }

    private AdmissionDecision validate(AdmissionRequest request) {
        AdmissionDecision decision = validation.decide(request);
        logValidation(request, decision);
        return decision;
    }

    /** How one webhook reads its review (the mutating one reads only what the merge needs). */
    @FunctionalInterface
    private interface ReviewReader {
        AdmissionRequest read(byte[] body, int offset, int length) throws MalformedReviewException;
    }

    /**
     * One webhook's handler: read the review (a malformed body is a 400, D9), decide, answer; a failure is a 500.
     */
    private final class Webhook implements Handler<RoutingContext> {

        private final String name;
        private final ReviewReader reader;
        private final Function<AdmissionRequest, AdmissionDecision> decide;

        Webhook(String name, ReviewReader reader, Function<AdmissionRequest, AdmissionDecision> decide) {
            this.name = name;
            this.reader = reader;
            this.decide = decide;
        }

        @Override
        public void handle(RoutingContext context) {
            long start = System.nanoTime();
            AdmissionRequest request;
            try {
                request = read(reader, context.body().buffer());
            } catch (MalformedReviewException e) {
                malformed(context, name, e, start);
                return;
            }
            byte[] answer;
            try {
                AdmissionDecision decision = decide.apply(request);
                answer = reviews.answer(request, decision);
                metrics.decision(name, decision, start);
            } catch (RuntimeException e) {
                internalError(context, name, request, e, start);
                return;
            }
            respond(context, 200, answer);
        }
    }

    @SuppressWarnings("deprecation") // getByteBuf: Vert.x 4's way to a buffer's bytes without a copy
    private static AdmissionRequest read(ReviewReader reader, Buffer body) throws MalformedReviewException {
        if (body == null) {
            return reader.read(new byte[0], 0, 0);
        }
        ByteBuf bytes = body.getByteBuf();
        if (bytes.hasArray()) {
            return reader.read(bytes.array(), bytes.arrayOffset() + bytes.readerIndex(), bytes.readableBytes());
        }
        byte[] copy = body.getBytes();
        return reader.read(copy, 0, copy.length);
    }

    private static void logValidation(AdmissionRequest request, AdmissionDecision decision) {
        if (decision instanceof AdmissionDecision.Deny deny) {
            LOG.infof("PodDefault %s/%s rejected (reason=%s uid=%s): %s", request.namespace(), request.name(),
                    decision.reason().label(), request.uid(), deny.message());
        } else if (!decision.warnings().isEmpty()) {
            LOG.infof("PodDefault %s/%s admitted with warnings (uid=%s): %s", request.namespace(), request.name(),
                    request.uid(), decision.warnings());
        }
    }

    private void log(AdmissionRequest request, PodAdmission admission) {
        AdmissionDecision decision = admission.decision();
        if (admission.skipped().isEmpty() && !(decision instanceof AdmissionDecision.Deny) && !LOG.isDebugEnabled()) {
            // Nothing below would be logged: no MDC to fill and clear for the routine answer.
            return;
        }
        String outcome = AdmissionMetrics.outcome(decision);
        MDC.put("namespace", admission.namespace());
        MDC.put("pod", admission.pod());
        MDC.put("podDefaults", String.join(",", admission.matched()));
        try {
            if (!admission.skipped().isEmpty()) {
                LOG.warnf("admission namespace=%s pod=%s skipped PodDefaults with invalid selectors: %s",
                        admission.namespace(), admission.pod(), admission.skipped());
            }
            if (decision instanceof AdmissionDecision.Deny deny) {
                LOG.infof("admission outcome=%s reason=%s namespace=%s pod=%s podDefaults=%s uid=%s message=%s", outcome,
                        decision.reason().label(), admission.namespace(), admission.pod(), admission.matched(), request.uid(),
                        deny.message());
            } else if (decision instanceof AdmissionDecision.Patch && LOG.isDebugEnabled()) {
                LOG.debugf("admission outcome=%s reason=%s namespace=%s pod=%s podDefaults=%s uid=%s", outcome,
                        decision.reason().label(), admission.namespace(), admission.pod(), admission.matched(), request.uid());
            } else if (LOG.isDebugEnabled()) {
                LOG.debugf("admission outcome=%s reason=%s namespace=%s pod=%s uid=%s", outcome, decision.reason().label(),
                        admission.namespace(), admission.pod(), request.uid());
            }
        } finally {
            MDC.remove("namespace");
            MDC.remove("pod");
            MDC.remove("podDefaults");
        }
    }

    /** D9: a body that is not an AdmissionReview gets HTTP 400 with a JSON error, never a crash or an empty body. */
    private void malformed(RoutingContext context, String webhook, MalformedReviewException e, long start) {
        LOG.warnf("Malformed AdmissionReview on the %s webhook: %s", webhook, e.getMessage());
        metrics.decision(webhook, "malformed", "MalformedAdmissionReview", start);
        error(context, 400, "MalformedAdmissionReview", e.getMessage());
    }

    private void internalError(RoutingContext context, String webhook, AdmissionRequest request, RuntimeException e, long start) {
        LOG.errorf(e, "Cannot answer AdmissionReview uid=%s on the %s webhook", request.uid(), webhook);
        metrics.decision(webhook, "error", "InternalError", start);
        error(context, 500, "InternalError", "internal error, see the admission-service log (uid " + request.uid() + ")");
    }

    private void error(RoutingContext context, int status, String reason, String message) {
        ObjectNode body = json.createObjectNode();
        body.put("reason", reason);
        body.put("message", message);
        try {
            respond(context, status, json.writeValueAsBytes(body));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a two-field JSON object", e);
        }
    }

    private static void respond(RoutingContext context, int status, byte[] body) {
        HttpServerResponse response = context.response().setStatusCode(status);
        response.headers().set(HttpHeaders.CONTENT_TYPE, JSON_HEADER);
        response.end(wrap(body));
    }

    /** A buffer over the answer's bytes, not a copy: they are this answer's own array, never written again. */
    @SuppressWarnings("deprecation") // Buffer.buffer(ByteBuf): Vert.x 4's way to a buffer over bytes without a copy
    private static Buffer wrap(byte[] body) {
        return Buffer.buffer(Unpooled.wrappedBuffer(body));
    }
}
