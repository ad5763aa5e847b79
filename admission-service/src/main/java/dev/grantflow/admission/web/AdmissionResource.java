package dev.grantflow.admission.web;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.grantflow.admission.domain.AdmissionDecision;
import dev.grantflow.admission.domain.AdmissionRequest;
import dev.grantflow.admission.domain.AdmissionReviewMapper;
import dev.grantflow.admission.domain.MalformedReviewException;
import dev.grantflow.admission.domain.PodAdmission;
import dev.grantflow.admission.domain.PodDefaultPolicy;
import dev.grantflow.admission.domain.PodDefaultValidationPolicy;
import dev.grantflow.admission.kube.PodDefaultCache;
import io.smallrye.common.annotation.NonBlocking;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.function.Function;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

/**
 * The two webhooks. Glue only: decode the review, ask the policy, log and count, encode the answer. Runs on the
 * event loop: a decision is pure CPU work on an in-memory snapshot, with no I/O.
 *
 * <p>Logs name the namespace, the pod and the PodDefaults, plus the decision reason; never env values (the
 * domain's messages do not contain them either). Denials are logged at INFO, skipped PodDefaults at WARN; the
 * routine "patched"/"unchanged" answers (one per pod) at DEBUG.
 */
@Path("/")
public class AdmissionResource {

    private static final Logger LOG = Logger.getLogger(AdmissionResource.class);

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

    @POST
    @Path("apply-poddefault")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @NonBlocking
    public Response applyPodDefault(byte[] body) {
        AdmissionRequest request;
        long start = System.nanoTime();
        try {
            request = reviews.parsePodReview(body);
        } catch (MalformedReviewException e) {
            return malformed(AdmissionMetrics.MUTATE, e, start);
        }
        return answer(AdmissionMetrics.MUTATE, request, start, r -> {
            PodAdmission admission = policy.decide(r, cache);
            metrics.skippedPodDefaults(admission.skipped().size());
            log(r, admission);
            return admission.decision();
        });
    }

    @POST
    @Path("validate-poddefault")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @NonBlocking
    public Response validatePodDefault(byte[] body) {
        long start = System.nanoTime();
        AdmissionRequest request;
        try {
            request = reviews.parse(body);
        } catch (MalformedReviewException e) {
            return malformed(AdmissionMetrics.VALIDATE, e, start);
        }
        return answer(AdmissionMetrics.VALIDATE, request, start, r -> {
            AdmissionDecision decision = validation.decide(r);
            logValidation(r, decision);
            return decision;
        });
    }

    /**
     * Both webhooks, once the review is read (a malformed body is a 400, D9, answered by the caller): decide, answer;
     * a failure is a 500.
     */
    private Response answer(String webhook, AdmissionRequest request, long start, Function<AdmissionRequest, AdmissionDecision> decide) {
        try {
            AdmissionDecision decision = decide.apply(request);
            byte[] answer = reviews.answer(request, decision);
            metrics.decision(webhook, decision, start);
            return Response.ok(answer, MediaType.APPLICATION_JSON_TYPE).build();
        } catch (RuntimeException e) {
            return internalError(webhook, request, e, start);
        }
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
    private Response malformed(String webhook, MalformedReviewException e, long start) {
        LOG.warnf("Malformed AdmissionReview on the %s webhook: %s", webhook, e.getMessage());
        metrics.decision(webhook, "malformed", "MalformedAdmissionReview", start);
        return error(Response.Status.BAD_REQUEST, "MalformedAdmissionReview", e.getMessage());
    }

    private Response internalError(String webhook, AdmissionRequest request, RuntimeException e, long start) {
        LOG.errorf(e, "Cannot answer AdmissionReview uid=%s on the %s webhook", request.uid(), webhook);
        metrics.decision(webhook, "error", "InternalError", start);
        return error(Response.Status.INTERNAL_SERVER_ERROR, "InternalError", "internal error, see the admission-service log (uid " + request.uid() + ")");
    }

    private static Response error(Response.Status status, String reason, String message) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("reason", reason);
        body.put("message", message);
        return Response.status(status).type(MediaType.APPLICATION_JSON).entity(body).build();
    }
}
