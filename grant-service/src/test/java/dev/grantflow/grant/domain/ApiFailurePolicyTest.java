package dev.grantflow.grant.domain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grantflow.grant.domain.ApiFailurePolicy.Kind;
import dev.grantflow.model.grant.GrantKey;
import dev.grantflow.model.grant.GrantPhase;
import dev.grantflow.model.grant.GrantStatus;
import dev.grantflow.model.grant.StatusReason;
import dev.grantflow.model.json.Json;
import dev.grantflow.testing.KubeStatus;
import dev.grantflow.testing.KubeStatus.FieldError;
import io.fabric8.kubernetes.api.model.Status;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every answer of the API server a write can meet, as kube-apiserver gives it ({@link KubeStatus}), mapped to a kind,
 * a status and a requeue decision.
 */
class ApiFailurePolicyTest {

    static final Instant NOW = Instant.parse("2026-11-26T12:00:00Z");
    static final GrantKey KEY = new GrantKey("alice", "db");
    static final String CREATE = "create Secret alice/db";
    static final Requeue BACKOFF = Requeue.RATE_LIMITED;

    static Stream<Arguments> answers() {
        return Stream.of(
                // name, failure, kind, reason, requeue, message fragment
                row("403 RBAC denial", status(CREATE, KubeStatus.rbacDenied("", "secrets", "", "create", "alice",
                        "system:serviceaccount:grantflow:grant-service")), Kind.REFUSED, StatusReason.KUBERNETES_REFUSED,
                        Requeue.FORGET, "403 (Forbidden) to create Secret alice/db: secrets is forbidden: User "
                                + "\"system:serviceaccount:grantflow:grant-service\" cannot create resource \"secrets\""),
                row("403 webhook or quota", status(CREATE, KubeStatus.forbidden("", "secrets", "db",
                        "exceeded quota: compute, requested: count/secrets=1, used: count/secrets=10, limited: "
                                + "count/secrets=10")), Kind.REFUSED, StatusReason.KUBERNETES_REFUSED, Requeue.FORGET,
                        "exceeded quota"),
                row("403 namespace terminating", status(CREATE, KubeStatus.namespaceTerminating("", "secrets", "db",
                        "alice")), Kind.NAMESPACE_TERMINATING, StatusReason.TENANT_TERMINATING, Requeue.FORGET,
                        "tenant namespace 'alice' is being deleted"),
                row("422 immutable type", status("update Secret alice/db", KubeStatus.invalid("", "Secret", "db",
                        List.of(FieldError.immutable("type", "kubernetes.io/tls")))), Kind.INVALID,
                        StatusReason.KUBERNETES_INVALID, Requeue.FORGET,
                        "422 (Invalid) to update Secret alice/db: Secret \"db\" is invalid: type: Invalid value: "
                                + "\"kubernetes.io/tls\": field is immutable; not retried"),
                row("422 invalid PodDefault", status("create PodDefault alice/db", KubeStatus.invalid("kubeflow.org",
                        "PodDefault", "db", List.of(FieldError.required("spec.selector")))), Kind.INVALID,
                        StatusReason.KUBERNETES_INVALID, Requeue.FORGET, "spec.selector: Required value"),
                row("400 bad request", status(CREATE, KubeStatus.badRequest("the body of the request was in an "
                        + "unknown format")), Kind.INVALID, StatusReason.KUBERNETES_INVALID, Requeue.FORGET,
                        "400 (BadRequest)"),
                row("404 namespace gone", status(CREATE, KubeStatus.notFound("", "namespaces", "alice")),
                        Kind.NAMESPACE_GONE, StatusReason.TENANT_ABSENT, Requeue.FORGET,
                        "tenant namespace 'alice' does not exist"),
                row("404 object vanished", status("update Secret alice/db", KubeStatus.notFound("", "secrets", "db")),
                        Kind.TRANSIENT, StatusReason.KUBERNETES_ERROR, BACKOFF, "retrying with backoff"),
                row("404 no such resource (CRD missing)", failure("create PodDefault alice/db", 404,
                        "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},\"status\":\"Failure\",\"message\":"
                                + "\"the server could not find the requested resource\",\"reason\":\"NotFound\","
                                + "\"details\":{},\"code\":404}", null), Kind.REFUSED, StatusReason.KUBERNETES_REFUSED,
                        Requeue.FORGET, "the server could not find the requested resource"),
                row("405 method not allowed", failure(CREATE, 405, "", null), Kind.REFUSED,
                        StatusReason.KUBERNETES_REFUSED, Requeue.FORGET, "405"),
                row("409 modified", status("update Secret alice/db", KubeStatus.modified("", "secrets", "db")),
                        Kind.TRANSIENT, StatusReason.KUBERNETES_ERROR, BACKOFF, "the object has been modified"),
                row("409 already exists", status(CREATE, KubeStatus.alreadyExists("", "secrets", "db")),
                        Kind.TRANSIENT, StatusReason.KUBERNETES_ERROR, BACKOFF, "already exists"),
                row("409 precondition failed", status("delete Secret alice/db", KubeStatus.preconditionFailed("",
                        "secrets", "alice", "db", "UID", "uid-1", "uid-2")), Kind.TRANSIENT,
                        StatusReason.KUBERNETES_ERROR, BACKOFF, "Precondition failed: UID in precondition: uid-1"),
                row("429 plain text with Retry-After", failure(CREATE, 429, KubeStatus.TOO_MANY_REQUESTS_TEXT, "3"),
                        Kind.TRANSIENT, StatusReason.KUBERNETES_ERROR, Requeue.after(Duration.ofSeconds(3)),
                        "429 to create Secret alice/db: Too many requests, please try again later.; retrying in 3 s"),
                row("429 Status with retryAfterSeconds", status(CREATE, KubeStatus.tooManyRequests(
                        "storage is (re)initializing", 2)), Kind.TRANSIENT, StatusReason.KUBERNETES_ERROR,
                        Requeue.after(Duration.ofSeconds(2)), "retrying in 2 s"),
                row("429 without a delay", failure(CREATE, 429, KubeStatus.TOO_MANY_REQUESTS_TEXT, null),
                        Kind.TRANSIENT, StatusReason.KUBERNETES_ERROR, BACKOFF, "retrying with backoff"),
                row("500 internal error", status(CREATE, KubeStatus.internalError("etcdserver: request timed out")),
                        Kind.TRANSIENT, StatusReason.KUBERNETES_ERROR, BACKOFF, "etcdserver: request timed out"),
                row("502 from a proxy", failure(CREATE, 502, "<html>bad gateway</html>", null), Kind.TRANSIENT,
                        StatusReason.KUBERNETES_ERROR, BACKOFF, "502"),
                row("503 unavailable", status(CREATE, KubeStatus.serviceUnavailable("apiserver is shutting down")),
                        Kind.TRANSIENT, StatusReason.KUBERNETES_ERROR, BACKOFF, "503 (ServiceUnavailable)"),
                row("504 server timeout", status(CREATE, KubeStatus.timeout("request did not complete", 1)),
                        Kind.TRANSIENT, StatusReason.KUBERNETES_ERROR, Requeue.after(Duration.ofSeconds(1)),
                        "504 (Timeout)"),
                row("401 unauthorized", failure(CREATE, 401, "", null), Kind.TRANSIENT, StatusReason.KUBERNETES_ERROR,
                        BACKOFF, "401"),
                row("no answer: timeout", ApiFailure.unanswered(CREATE, "Timeout", "The timeout period of 2000ms has "
                        + "been exceeded"), Kind.TRANSIENT, StatusReason.KUBERNETES_ERROR, BACKOFF,
                        "no answer (Timeout) to create Secret alice/db"),
                row("no answer: connection refused", ApiFailure.unanswered(CREATE, "ConnectException",
                        "Connection refused"), Kind.TRANSIENT, StatusReason.KUBERNETES_ERROR, BACKOFF,
                        "Connection refused"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("answers")
    void eachAnswerHasItsKindStatusAndRequeue(String name, ApiFailure failure, Kind kind, StatusReason reason,
            Requeue requeue, String fragment) {
        ApiFailurePolicy.Decision decision = ApiFailurePolicy.decide(KEY, 3, failure, NOW);

        assertThat(decision.kind()).isEqualTo(kind);
        assertThat(ApiFailurePolicy.classify(failure)).isEqualTo(kind);
        GrantStatus status = decision.status();
        assertThat(status.reason()).isEqualTo(reason.value());
        assertThat(status.phase()).isEqualTo(reason.phase());
        assertThat(status.generation()).isEqualTo(3);
        assertThat(status.message()).contains(fragment);
        assertThat(decision.requeue()).isEqualTo(requeue);
    }

    @Test
    void onlyTransientFailuresAreRetriedSoon() {
        answers().forEach(row -> {
            ApiFailurePolicy.Decision decision = ApiFailurePolicy.decide(KEY, 1, (ApiFailure) row.get()[1], NOW);
            assertThat(decision.requeue() instanceof Requeue.Forget).as((String) row.get()[0])
                    .isEqualTo(decision.kind() != Kind.TRANSIENT);
            assertThat(decision.status().phase() == GrantPhase.APPLIED).isFalse();
        });
    }

    @Test
    void retryAfterIsSecondsOrAnHttpDateAndTheLongerOfHeaderAndBody() {
        assertThat(ApiFailure.retryAfter("7", NOW)).isEqualTo(Duration.ofSeconds(7));
        assertThat(ApiFailure.retryAfter("Thu, 26 Nov 2026 12:00:05 GMT", NOW)).isEqualTo(Duration.ofSeconds(5));
        assertThat(ApiFailure.retryAfter("Thu, 26 Nov 2026 11:59:00 GMT", NOW)).isNull();
        assertThat(ApiFailure.retryAfter("0", NOW)).isNull();
        assertThat(ApiFailure.retryAfter("soon", NOW)).isNull();
        assertThat(ApiFailure.retryAfter(null, NOW)).isNull();

        KubeStatus body = KubeStatus.tooManyRequests("slow down", 2);
        assertThat(ApiFailure.answered(CREATE, 429, parse(body), null, "4", NOW).retryAfter())
                .isEqualTo(Duration.ofSeconds(4));
        assertThat(ApiFailure.answered(CREATE, 429, parse(body), null, "1", NOW).retryAfter())
                .isEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void writtenValuesAreRedactedFromTheApiMessage() {
        String value = "s3cr3t-token-value";
        ApiFailure failure = failure(CREATE, 500, "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\","
                + "\"message\":\"admission webhook denied: data contains " + value + " and its base64 "
                + "czNjcjN0LXRva2VuLXZhbHVl; tiny x\",\"reason\":\"InternalError\",\"code\":500}", null)
                .redacted(Set.of(value, "czNjcjN0LXRva2VuLXZhbHVl", "x"));

        GrantStatus status = ApiFailurePolicy.decide(KEY, 1, failure, NOW).status();

        assertThat(status.message()).doesNotContain(value).doesNotContain("czNjcjN0LXRva2VuLXZhbHVl")
                .contains("data contains <redacted> and its base64 <redacted>; tiny x");
    }

    // ---- helpers --------------------------------------------------------------------------------------------------

    static Arguments row(String name, ApiFailure failure, Kind kind, StatusReason reason, Requeue requeue,
            String fragment) {
        return Arguments.of(name, failure, kind, reason, requeue, fragment);
    }

    static ApiFailure status(String operation, KubeStatus status) {
        return ApiFailure.answered(operation, status.code(), parse(status), null, null, NOW);
    }

    /** An answer as the writer reads it: a Status when the body is one, else the text. */
    static ApiFailure failure(String operation, int code, String body, String retryAfter) {
        Status status = null;
        if (body.startsWith("{")) {
            status = Json.read(body, Status.class);
        }
        return ApiFailure.answered(operation, code, status, status == null ? body : null, retryAfter, NOW);
    }

    static Status parse(KubeStatus status) {
        return Json.read(status.json(), Status.class);
    }
}
