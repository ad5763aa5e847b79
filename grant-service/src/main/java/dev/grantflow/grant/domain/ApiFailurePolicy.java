package dev.grantflow.grant.domain;

import dev.grantflow.model.grant.GrantKey;
import dev.grantflow.model.grant.GrantStatus;
import dev.grantflow.model.grant.StatusReason;
import java.time.Instant;

/**
 * What a write the Kubernetes API did not accept means for a grant: the status to report and whether to try again.
 * Only transient failures are retried soon; a refusal that the same write would meet again is reported and left
 * until something changes (the grant, its source, its objects, the tenant, or the periodic resync), so a grant the
 * API server refuses never loops.
 *
 * <table>
 *   <caption>Classification</caption>
 *   <tr><th>answer</th><th>kind</th><th>status</th><th>requeue</th></tr>
 *   <tr><td>no answer (timeout, I/O), 408, 409, 429, 5xx, 401, 404 of the object itself</td><td>transient</td>
 *       <td>Failed/KubernetesError</td><td>after Retry-After if given, else backoff</td></tr>
 *   <tr><td>400, 422 (incl. an immutable field)</td><td>invalid</td><td>Rejected/KubernetesInvalid</td>
 *       <td>forget</td></tr>
 *   <tr><td>403 with cause {@code NamespaceTerminating}</td><td>namespace terminating</td>
 *       <td>Pending/TenantTerminating</td><td>forget (the tenant-gone event follows)</td></tr>
 *   <tr><td>404 whose details name {@code namespaces}</td><td>namespace gone</td><td>Pending/TenantAbsent</td>
 *       <td>forget</td></tr>
 *   <tr><td>403, any other 4xx</td><td>refused</td><td>Failed/KubernetesRefused</td><td>forget</td></tr>
 * </table>
 *
 * <p>A 401 is transient: credentials are refreshed and rotated. A 404 naming the object (it vanished since the cache
 * saw it) is transient: the next attempt decides on the cache again. A 404 without details (the PodDefault CRD is
 * not installed) is refused. Messages quote the API's reason and message (which {@link ApiFailure#redacted} has
 * cleaned of the written values), never object content.
 */
public final class ApiFailurePolicy {

    /** The namespace lifecycle admission plugin's cause for a create in a namespace being deleted. */
    public static final String NAMESPACE_TERMINATING_CAUSE = "NamespaceTerminating";

    public enum Kind {
        TRANSIENT, INVALID, REFUSED, NAMESPACE_TERMINATING, NAMESPACE_GONE
    }

    /** The status to publish and what to do with the key. */
    public record Decision(Kind kind, GrantStatus status, Requeue requeue) {
    }

    private ApiFailurePolicy() {
    }

    public static Kind classify(ApiFailure failure) {
        int code = failure.code();
        if (code == 0 || code == 401 || code == 408 || code == 409 || code == 429 || code >= 500) {
            return Kind.TRANSIENT;
        }
        if (code == 403 && failure.causes().contains(NAMESPACE_TERMINATING_CAUSE)) {
            return Kind.NAMESPACE_TERMINATING;
        }
        if (code == 404) {
            if ("namespaces".equals(failure.detailsKind())) {
                return Kind.NAMESPACE_GONE;
            }
            return failure.detailsKind() == null ? Kind.REFUSED : Kind.TRANSIENT;
        }
        if (code == 400 || code == 422) {
            return Kind.INVALID;
        }
        return Kind.REFUSED;
    }

    public static Decision decide(GrantKey key, long generation, ApiFailure failure, Instant now) {
        Kind kind = classify(failure);
        String answered = failure.answer() + " to " + failure.operation()
                + (failure.message().isEmpty() ? "" : ": " + failure.message());
        return switch (kind) {
            case TRANSIENT -> failure.retryAfter() == null
                    ? decision(kind, key, generation, StatusReason.KUBERNETES_ERROR, answered + "; retrying with backoff",
                            now, Requeue.RATE_LIMITED)
                    : decision(kind, key, generation, StatusReason.KUBERNETES_ERROR, answered + "; retrying in "
                            + failure.retryAfter().toSeconds() + " s as asked", now, Requeue.after(failure.retryAfter()));
            case INVALID -> decision(kind, key, generation, StatusReason.KUBERNETES_INVALID, answered
                    + "; not retried until the grant, its source or the object changes", now, Requeue.FORGET);
            case REFUSED -> decision(kind, key, generation, StatusReason.KUBERNETES_REFUSED, answered
                    + "; not retried until the grant, its source or its objects change, or the next resync", now,
                    Requeue.FORGET);
            case NAMESPACE_TERMINATING -> decision(kind, key, generation, StatusReason.TENANT_TERMINATING,
                    "tenant namespace '" + key.tenant() + "' is being deleted: the API server refused to "
                            + failure.operation() + "; nothing is created in it", now, Requeue.FORGET);
            case NAMESPACE_GONE -> decision(kind, key, generation, StatusReason.TENANT_ABSENT,
                    "tenant namespace '" + key.tenant() + "' does not exist (the API server answered 404 to "
                            + failure.operation() + "); applied when it appears", now, Requeue.FORGET);
        };
    }

    private static Decision decision(Kind kind, GrantKey key, long generation, StatusReason reason, String message,
            Instant now, Requeue requeue) {
        return new Decision(kind, GrantStatus.of(key, generation, reason, message, now), requeue);
    }
}
