package dev.grantflow.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.grantflow.testing.KubeStatus.FieldError;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The Status bodies against golden files written from kube-apiserver's answers (apimachinery's error constructors,
 * the RBAC and NamespaceLifecycle refusals, storage's precondition check); compared as JSON trees.
 */
class KubeStatusTest {

    static final ObjectMapper JSON = new ObjectMapper();

    static Stream<Arguments> answers() {
        return Stream.of(
                Arguments.of("forbidden-rbac-create", KubeStatus.rbacDenied("", "secrets", "", "create", "alice",
                        "system:serviceaccount:grantflow:grant-service")),
                Arguments.of("namespace-terminating", KubeStatus.namespaceTerminating("", "secrets", "db", "alice")),
                Arguments.of("invalid-immutable-type", KubeStatus.invalid("", "Secret", "db",
                        List.of(FieldError.immutable("type", "kubernetes.io/tls")))),
                Arguments.of("invalid-poddefault", KubeStatus.invalid("kubeflow.org", "PodDefault", "db",
                        List.of(FieldError.required("spec.selector")))),
                Arguments.of("precondition-failed-uid", KubeStatus.preconditionFailed("", "secrets", "alice", "db",
                        "UID", "6f1c2b9e-0d4a-4c55-9a59-2f1b1f5b7a10", "0c8d6f3a-5b7e-4e21-8f0d-9c4b3a2e1d00")),
                Arguments.of("bad-request", KubeStatus.badRequest(
                        "the body of the request was in an unknown format - accepted media types include: "
                                + "application/json, application/yaml, application/vnd.kubernetes.protobuf")),
                Arguments.of("modified", KubeStatus.modified("kubeflow.org", "poddefaults", "db")),
                Arguments.of("namespace-not-found", KubeStatus.notFound("", "namespaces", "alice")),
                Arguments.of("too-many-requests", KubeStatus.tooManyRequests("storage is (re)initializing", 2)),
                Arguments.of("internal-error", KubeStatus.internalError("etcdserver: request timed out")),
                Arguments.of("server-timeout", KubeStatus.timeout(
                        "request did not complete within requested timeout - context deadline exceeded", 1)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("answers")
    void statusIsAsKubeApiserverWritesIt(String fixture, KubeStatus status) throws IOException {
        JsonNode expected;
        try (InputStream in = getClass().getResourceAsStream("/fixtures/kube-status/" + fixture + ".json")) {
            expected = JSON.readTree(in);
        }
        JsonNode actual = JSON.readTree(status.json());
        assertThat(actual).isEqualTo(expected);
        assertThat(status.code()).isEqualTo(expected.get("code").asInt());
        // Go writes the struct's fields in declaration order.
        List<String> order = new ArrayList<>();
        actual.fieldNames().forEachRemaining(order::add);
        assertThat(order).containsSubsequence("kind", "apiVersion", "metadata", "status", "message", "reason", "code");
    }
}
