package dev.grantflow.grant.kube;

import dev.grantflow.grant.domain.ApiFailure;
import dev.grantflow.grant.domain.ApiFailurePolicy;
import dev.grantflow.grant.domain.DesiredObjectsMapper;
import dev.grantflow.grant.domain.KubeAction;
import dev.grantflow.grant.domain.ReconcilePolicy;
import io.fabric8.kubernetes.api.model.DeleteOptions;
import io.fabric8.kubernetes.api.model.DeleteOptionsBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.RequestConfig;
import io.fabric8.kubernetes.client.RequestConfigBuilder;
import io.fabric8.kubernetes.client.http.HttpClient;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.HttpURLConnection;
import java.time.Instant;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jboss.logging.Logger;

/**
 * Performs one {@link KubeAction}: create; replace on the resourceVersion the decision was based on, keeping the
 * labels, annotations, finalizers and owner references other controllers put on the object; delete with preconditions
 * on that uid and resourceVersion (a same-named object created in between is never deleted); recreate (delete, then
 * create) when a field the API server never updates differs. Never touches an object without Grantflow's
 * {@code managed-by} label, nor one that another grant made: a write that finds such an object fails with
 * {@link NameClash}.
 *
 * <p>Decisions are taken on the informer cache, which may lag behind the writes of a moment ago. When the API answers
 * 409 to a create or an update (the object exists although the cache has none, or it changed since the cache saw it),
 * the object is read once: if it already is as desired there is nothing to do, otherwise it is replaced on the
 * version just read (or recreated). Only a second conflict is left to the caller's retry. A delete whose
 * preconditions fail (409) reads the object once too: gone, or replaced by an object that is not this grant's, the
 * delete is done; otherwise the caller retries on fresh state.
 *
 * <p>Every other failure is an {@link ApiError} carrying what the API answered (code, reason, message, causes,
 * Retry-After; written values redacted) and its {@link ApiFailurePolicy} classification. Requests go out as plain
 * HTTP through the client's own HTTP client (its authentication included) so that the {@code Retry-After} header and
 * {@code DeleteOptions} preconditions with a uid are available, and with fabric8's built-in retry of 429/5xx/I/O
 * switched off: the reconciler's queue is the one retry layer, with a status and without a worker blocked meanwhile.
 */
@ApplicationScoped
public class KubeWriter {

    private static final Logger LOG = Logger.getLogger(KubeWriter.class);
    private static final String JSON = "application/json";

    @Inject
    KubernetesClient client;

    @Inject
    ReconcilePolicy policy;

    private HttpClient http;
    private KubernetesSerialization serialization;
    private String apiServer;
    private long timeoutMillis;

    @PostConstruct
    void init() {
        RequestConfig noRetry = new RequestConfigBuilder(client.getConfiguration().getRequestConfig())
                .withRequestRetryBackoffLimit(0).build();
        http = client.newClient(noRetry).getHttpClient();
        serialization = client.getKubernetesSerialization();
        String master = client.getConfiguration().getMasterUrl();
        apiServer = master.endsWith("/") ? master : master + "/";
        timeoutMillis = client.getConfiguration().getRequestTimeout() > 0 ? client.getConfiguration().getRequestTimeout()
                : 10_000;
    }

    public void execute(KubeAction action) {
        Set<String> values = DesiredObjectsMapper.secretValues(action.object());
        if (action instanceof KubeAction.Delete delete) {
            LOG.infof("delete %s", action.describe());
            delete(delete.existing(), values);
        } else if (action instanceof KubeAction.Recreate recreate) {
            LOG.infof("recreate %s (a field the API server never updates differs)", action.describe());
            recreate(action, recreate.desired(), recreate.existing(), values);
        } else {
            KubeAction.Upsert upsert = (KubeAction.Upsert) action;
            upsert(action, upsert.desired(), upsert.existing(), values);
        }
    }

    private void upsert(KubeAction action, HasMetadata desired, HasMetadata existing, Set<String> values) {
        String operation;
        HttpResponse<String> response;
        if (existing == null) {
            LOG.infof("create %s", action.describe());
            operation = "create " + action.describe();
            response = send("POST", desired, false, desired, operation);
        } else {
            LOG.infof("update %s", action.describe());
            operation = "update " + action.describe();
            response = send("PUT", desired, true, DesiredObjectsMapper.asUpdateOf(desired, existing), operation);
        }
        if (response.isSuccessful()) {
            return;
        }
        ApiError conflict = error(operation, response, values);
        if (response.code() != HttpURLConnection.HTTP_CONFLICT) {
            throw conflict;
        }
        HasMetadata found = read(desired, values);
        if (found == null) {
            throw conflict; // deleted in between: the next attempt creates it
        }
        checkOwnership(found, desired, action);
        if (policy.mustRecreate(found, desired)) {
            recreate(action, desired, found, values);
            return;
        }
        if (policy.upToDate(found, desired)) {
            LOG.debugf("%s is already as desired (the cache had not seen it yet)", action.describe());
            return;
        }
        LOG.infof("update %s (on the version just read)", action.describe());
        HttpResponse<String> again = send("PUT", desired, true, DesiredObjectsMapper.asUpdateOf(desired, found),
                operation);
        if (again.code() == HttpURLConnection.HTTP_NOT_FOUND) {
            throw conflict; // deleted since it was read: the next attempt creates it
        }
        if (!again.isSuccessful()) {
            throw error(operation, again, values);
        }
    }

    /** Delete (preconditioned), then create; a create that meets an object is left to the caller's retry. */
    private void recreate(KubeAction action, HasMetadata desired, HasMetadata existing, Set<String> values) {
        delete(existing, values);
        String operation = "create " + action.describe();
        HttpResponse<String> response = send("POST", desired, false, desired, operation);
        if (response.isSuccessful()) {
            return;
        }
        ApiError error = error(operation, response, values);
        if (response.code() == HttpURLConnection.HTTP_CONFLICT) {
            HasMetadata found = read(desired, values);
            if (found != null) {
                checkOwnership(found, desired, action);
                if (policy.upToDate(found, desired) && !policy.mustRecreate(found, desired)) {
                    return;
                }
            }
        }
        throw error;
    }

    /**
     * DELETE with {@code preconditions} on the uid and resourceVersion of {@code existing} (the object the decision saw):
     * the API server refuses (409) to delete an object re-created or changed since.
     */
    private void delete(HasMetadata existing, Set<String> values) {
        String operation = "delete " + existing.getKind() + " " + existing.getMetadata().getNamespace() + "/"
                + existing.getMetadata().getName();
        DeleteOptions options = new DeleteOptionsBuilder().withNewPreconditions()
                .withUid(existing.getMetadata().getUid())
                .withResourceVersion(existing.getMetadata().getResourceVersion())
                .endPreconditions().build();
        HttpResponse<String> response = send("DELETE", existing, true, options, operation);
        if (response.isSuccessful() || response.code() == HttpURLConnection.HTTP_NOT_FOUND) {
            return;
        }
        ApiError error = error(operation, response, values);
        if (response.code() != HttpURLConnection.HTTP_CONFLICT) {
            throw error;
        }
        HasMetadata found = read(existing, values);
        if (found == null) {
            return;
        }
        if (!Objects.equals(found.getMetadata().getUid(), existing.getMetadata().getUid())
                && !sameGrant(found, existing)) {
            LOG.infof("%s was replaced by an object this grant did not make; it is left untouched", operation);
            return;
        }
        throw error; // this grant's object changed since the cache saw it: decide again on fresh state
    }

    /** GET; null when there is no such object. */
    private HasMetadata read(HasMetadata object, Set<String> values) {
        String operation = "read " + object.getKind() + " " + object.getMetadata().getNamespace() + "/"
                + object.getMetadata().getName();
        HttpResponse<String> response = send("GET", object, true, null, operation);
        if (response.code() == HttpURLConnection.HTTP_NOT_FOUND) {
            return null;
        }
        if (!response.isSuccessful()) {
            throw error(operation, response, values);
        }
        return serialization.unmarshal(response.body(), object.getClass());
    }

    private HttpResponse<String> send(String method, HasMetadata object, boolean named, Object body, String operation) {
        HttpRequest.Builder request = http.newHttpRequestBuilder().uri(url(object, named))
                .header("Accept", JSON).timeout(timeoutMillis, TimeUnit.MILLISECONDS);
        if (body != null) {
            request.method(method, JSON, serialization.asJson(body));
        }
        try {
            return http.sendAsync(request.build(), String.class).get(timeoutMillis + 5_000, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiError(ApiFailure.unanswered(operation, "Interrupted", "interrupted"));
        } catch (TimeoutException e) {
            throw new ApiError(ApiFailure.unanswered(operation, "Timeout", "no answer within "
                    + (timeoutMillis + 5_000) + " ms"));
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            boolean timeout = cause instanceof TimeoutException || cause.getClass().getSimpleName().contains("Timeout");
            throw new ApiError(ApiFailure.unanswered(operation, timeout ? "Timeout" : cause.getClass().getSimpleName(),
                    String.valueOf(cause.getMessage())));
        }
    }

    /** {@code api/v1/namespaces/<ns>/secrets[/<name>]} or {@code apis/<group>/<version>/namespaces/...}. */
    private String url(HasMetadata object, boolean named) {
        Class<? extends HasMetadata> type = object.getClass();
        String group = HasMetadata.getGroup(type);
        String path = (group == null || group.isEmpty() ? "api/" : "apis/" + group + "/") + HasMetadata.getVersion(type)
                + "/namespaces/" + object.getMetadata().getNamespace() + "/" + HasMetadata.getPlural(type);
        return apiServer + path + (named ? "/" + object.getMetadata().getName() : "");
    }

    private ApiError error(String operation, HttpResponse<String> response, Set<String> values) {
        String body = response.body();
        Status status = null;
        if (body != null && body.stripLeading().startsWith("{")) {
            try {
                Status parsed = serialization.unmarshal(body, Status.class);
                status = parsed != null && "Status".equals(parsed.getKind()) ? parsed : null;
            } catch (RuntimeException e) {
                status = null; // not a Status: the text is the message
            }
        }
        String text = status == null ? (body == null || body.isBlank() ? response.message() : body) : null;
        return new ApiError(ApiFailure.answered(operation, response.code(), status, text,
                response.header("Retry-After"), Instant.now()).redacted(values));
    }

    private static void checkOwnership(HasMetadata found, HasMetadata desired, KubeAction action) {
        ReconcilePolicy.mayTakeOver(found, desired, action.describe()).ifPresent(why -> {
            throw new NameClash(why);
        });
    }

    /** {@code found} (what now has the name) is an object this grant made, or would make. */
    private static boolean sameGrant(HasMetadata found, HasMetadata existing) {
        return ReconcilePolicy.notOurs(found, existing, "").isEmpty();
    }

    /** An object of the desired name exists and is not this grant's to change. */
    public static final class NameClash extends RuntimeException {
        public NameClash(String message) {
            super(message, null, false, false);
        }
    }

    /** The API did not accept a write: what it answered, and what that means ({@link ApiFailurePolicy#classify}). */
    public static final class ApiError extends RuntimeException {
        private final ApiFailure failure;
        private final ApiFailurePolicy.Kind kind;

        public ApiError(ApiFailure failure) {
            super(failure.answer() + " to " + failure.operation() + ": " + failure.message(), null, false, false);
            this.failure = failure;
            this.kind = ApiFailurePolicy.classify(failure);
        }

        public ApiFailure failure() {
            return failure;
        }

        public ApiFailurePolicy.Kind kind() {
            return kind;
        }
    }
}
