package dev.grantflow.admission.web;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.grantflow.admission.domain.Fixtures;
import dev.grantflow.model.poddefault.PodDefault;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.zjsonpatch.JsonPatch;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The service against the fabric8 CRUD mock API server: informer cache, both webhooks over HTTP, error handling,
 * metrics and logs. Each test works in its own namespace, so tests do not see each other's PodDefaults.
 */
@QuarkusTest
@WithKubernetesTestServer(crud = true)
class AdmissionServiceTest {

    private static final AtomicInteger NAMESPACES = new AtomicInteger();
    /**
     * How long a test waits for a PodDefault change to reach the answers. The target (within a second) is measured by
     * the benchmark ({@code bench/propagation.py}, docs/benchmarks.md), not asserted here: this bound only ends a test
     * whose change never arrives, and must not fail on a busy machine.
     */
    private static final Duration PROPAGATION = Duration.ofSeconds(10);

    @Inject
    KubernetesClient client;

    @TestHTTPResource("/apply-poddefault")
    URI applyUri;

    @Test
    void readyOnceTheCacheHasSynced() {
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> given().get("/q/health/ready").then()
                .statusCode(200)
                .body("checks.find { it.name == 'poddefault-cache' }.status", equalTo("UP")));
    }

    @Test
    void podDefaultCreatedChangedAndDeletedIsReflectedWithinASecond() {
        String ns = namespace();
        JsonNode pod = pod(ns, "nb-0", Map.of("cfg", "true"));

        assertThat(post("/apply-poddefault", review(ns, pod)).path("response").has("patch")).isFalse();

        PodDefault created = client.resource(podDefault(ns, "cfg", "FOO", "one")).create();
        await().atMost(PROPAGATION).pollInterval(Duration.ofMillis(20)).untilAsserted(() ->
                assertThat(env(applyPatch(pod, post("/apply-poddefault", review(ns, pod))))).isEqualTo("one"));

        PodDefault changed = podDefault(ns, "cfg", "FOO", "two");
        changed.getMetadata().setResourceVersion(created.getMetadata().getResourceVersion());
        PodDefault updated = client.resource(changed).update();
        await().atMost(PROPAGATION).pollInterval(Duration.ofMillis(20)).untilAsserted(() -> {
            JsonNode merged = applyPatch(pod, post("/apply-poddefault", review(ns, pod)));
            assertThat(env(merged)).isEqualTo("two");
            assertThat(merged.path("metadata").path("annotations").path("poddefault.admission.kubeflow.org/poddefault-cfg").asText())
                    .isEqualTo(updated.getMetadata().getResourceVersion());
        });

        client.resource(updated).delete();
        await().atMost(PROPAGATION).pollInterval(Duration.ofMillis(20)).untilAsserted(() ->
                assertThat(post("/apply-poddefault", review(ns, pod)).path("response").has("patch")).isFalse());
    }

    /** Fixture cases end to end: PodDefaults stored in the API server, the review sent over HTTP. */
    @ParameterizedTest
    @ValueSource(strings = {"seed-test-secret-notebook", "seed-docker-config-and-secret", "d5-multi-container-with-sidecars",
            "d1-invalid-selector-skipped", "conflict-env-with-container", "name-order-not-list-order", "namespace-fallback-to-request"})
    void fixturesEndToEnd(String name) {
        Fixtures.Fixture fixture = Fixtures.load(name);
        String ns = namespace();
        Map<String, String> resourceVersions = new HashMap<>();
        for (JsonNode node : fixture.json().path("podDefaults")) {
            PodDefault pd = Fixtures.podDefault(node);
            if (!"alice".equals(pd.getMetadata().getNamespace())) {
                continue;
            }
            pd.getMetadata().setNamespace(ns);
            pd.getMetadata().setResourceVersion(null);
            resourceVersions.put(pd.getMetadata().getName(), client.resource(pd).create().getMetadata().getResourceVersion());
        }
        ObjectNode review = fixture.review();
        ObjectNode request = (ObjectNode) review.get("request");
        request.put("namespace", ns);
        relocate(request.get("object"), ns);
        JsonNode expect = fixture.expect();
        await().atMost(PROPAGATION).pollInterval(Duration.ofMillis(20)).untilAsserted(() -> {
            JsonNode response = post("/apply-poddefault", review).get("response");
            assertThat(response.get("uid").asText()).isEqualTo(request.get("uid").asText());
            assertThat(response.get("allowed").asBoolean()).isEqualTo(expect.get("allowed").asBoolean());
            if (expect.has("pod")) {
                ObjectNode expected = expect.get("pod").deepCopy();
                relocate(expected, ns);
                ObjectNode annotations = (ObjectNode) expected.path("metadata").path("annotations");
                resourceVersions.forEach((pd, rv) -> {
                    if (annotations.has("poddefault.admission.kubeflow.org/poddefault-" + pd)) {
                        annotations.put("poddefault.admission.kubeflow.org/poddefault-" + pd, rv);
                    }
                });
                // An assertion, not a NullPointerException, while the PodDefaults have not reached the cache yet:
                // untilAsserted retries on assertion errors only.
                assertThat(response.has("patch")).as("a patch (the PodDefaults may still be on their way)").isTrue();
                JsonNode patch = Fixtures.JSON.readTree(Base64.getDecoder().decode(response.get("patch").asText()));
                assertThat(JsonPatch.apply(patch, request.get("object"))).isEqualTo(expected);
            } else {
                assertThat(response.has("patch")).isFalse();
                assertThat(response.path("status").path("message").asText()).isEqualTo(expect.path("message").asText());
            }
            assertThat(response.path("warnings").toString().replace(ns, "alice")).isEqualTo(
                    expect.has("warnings") ? expect.get("warnings").toString() : "");
        });
    }

    @Test
    void malformedBodiesAreAnswered400WithJson() {
        for (String body : new String[] {"{not json", "", "[]", "{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\"}"}) {
            given().contentType(ContentType.JSON).body(body).post("/apply-poddefault").then()
                    .statusCode(400).contentType(ContentType.JSON)
                    .body("reason", equalTo("MalformedAdmissionReview"));
        }
        given().contentType(ContentType.JSON).body("{\"kind\":\"Pod\"}").post("/validate-poddefault").then()
                .statusCode(400).body("reason", equalTo("MalformedAdmissionReview"));
    }

    /** The webhooks take a POST of JSON: another method is a 405, another media type a 415, both before any parsing. */
    @ParameterizedTest
    @ValueSource(strings = {"/apply-poddefault", "/validate-poddefault"})
    void onlyPostsOfJsonAreReviews(String path) {
        given().get(path).then().statusCode(405);
        given().contentType(ContentType.TEXT).body("{}").post(path).then().statusCode(415);
        given().contentType("application/json; charset=utf-8").body("{}").post(path).then()
                .statusCode(400).body("reason", equalTo("MalformedAdmissionReview"));
        given().contentType(ContentType.JSON).body("{}").post(path + "/more").then().statusCode(404);
    }

    @Test
    void otherResourcesAreAllowedUnchanged() {
        String ns = namespace();
        client.resource(podDefault(ns, "cfg", "FOO", "x")).create();
        ObjectNode review = review(ns, pod(ns, "d", Map.of("cfg", "true")));
        ((ObjectNode) review.get("request")).set("resource", Fixtures.JSON.createObjectNode()
                .put("group", "apps").put("version", "v1").put("resource", "deployments"));
        JsonNode response = post("/apply-poddefault", review).get("response");
        assertThat(response.get("allowed").asBoolean()).isTrue();
        assertThat(response.has("patch")).isFalse();
    }

    @Test
    void oneMebibytePodIsPatched() {
        String ns = namespace();
        client.resource(podDefault(ns, "cfg", "FOO", "big")).create();
        ObjectNode pod = pod(ns, "huge", Map.of("cfg", "true"));
        ObjectNode annotations = ((ObjectNode) pod.get("metadata")).putObject("annotations");
        annotations.put("example.com/blob", "x".repeat(1024 * 1024));
        await().atMost(PROPAGATION).pollInterval(Duration.ofMillis(20)).untilAsserted(() -> {
            JsonNode merged = applyPatch(pod, post("/apply-poddefault", review(ns, pod)));
            assertThat(env(merged)).isEqualTo("big");
            assertThat(merged.path("metadata").path("annotations").path("example.com/blob").asText()).hasSize(1024 * 1024);
        });
    }

    /**
     * The server answers 413 from the Content-Length header and closes the connection, so a client still writing the
     * body may hit a broken pipe before it reads the answer. {@code Expect: 100-continue} makes the exchange
     * deterministic: the body is only sent if the server asks for it, and here it must not.
     */
    @Test
    void bodiesAboveTheLimitAreRefused() throws Exception {
        String ns = namespace();
        ObjectNode pod = pod(ns, "too-big", Map.of());
        ((ObjectNode) pod.get("metadata")).putObject("annotations").put("blob", "x".repeat(4 * 1024 * 1024));
        HttpRequest request = HttpRequest.newBuilder(applyUri)
                .header("Content-Type", "application/json")
                .expectContinue(true)
                .timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.ofString(review(ns, pod).toString()))
                .build();
        HttpResponse<String> response = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()
                .send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(413);
    }

    @Test
    void validatingWebhookRejectsBadSelectorsAndWarnsWithoutMatchLabels() {
        PodDefault bad = podDefault("team", "cfg", "FOO", "x");
        bad.getSpec().getSelector().getMatchExpressions().add(new io.fabric8.kubernetes.api.model.LabelSelectorRequirementBuilder()
                .withKey("cfg").withOperator("in").withValues("true").build());
        JsonNode response = post("/validate-poddefault", podDefaultReview(bad)).get("response");
        assertThat(response.get("allowed").asBoolean()).isFalse();
        assertThat(response.path("status").path("message").asText()).contains("PodDefault cfg is invalid", "\"in\" is not a valid label selector operator");

        PodDefault expressionsOnly = podDefault("team", "gpu", "FOO", "x");
        expressionsOnly.getSpec().getSelector().setMatchLabels(null);
        expressionsOnly.getSpec().getSelector().getMatchExpressions().add(new io.fabric8.kubernetes.api.model.LabelSelectorRequirementBuilder()
                .withKey("gpu").withOperator("Exists").build());
        response = post("/validate-poddefault", podDefaultReview(expressionsOnly)).get("response");
        assertThat(response.get("allowed").asBoolean()).isTrue();
        assertThat(response.path("warnings").get(0).asText()).contains("has no spec.selector.matchLabels");
    }

    @Test
    void metricsAreExposed() {
        String ns = namespace();
        client.resource(podDefault(ns, "cfg", "FOO", "m")).create();
        JsonNode pod = pod(ns, "m", Map.of("cfg", "true"));
        await().atMost(PROPAGATION).pollInterval(Duration.ofMillis(20)).until(() -> post("/apply-poddefault", review(ns, pod)).path("response").has("patch"));
        given().contentType(ContentType.JSON).body("nope").post("/apply-poddefault").then().statusCode(400);
        given().get("/q/metrics").then().statusCode(200)
                .body(containsString("grantflow_admission_request_seconds_bucket{outcome=\"patched\",webhook=\"mutate\""))
                .body(containsString("grantflow_admission_decisions_total{outcome=\"patched\",reason=\"Applied\",webhook=\"mutate\"}"))
                .body(containsString("grantflow_admission_decisions_total{outcome=\"malformed\",reason=\"MalformedAdmissionReview\",webhook=\"mutate\"}"))
                .body(containsString("grantflow_admission_cache_poddefaults "))
                .body(containsString("grantflow_admission_cache_namespaces "))
                .body(containsString("grantflow_admission_poddefaults_skipped_total"));
    }

    @Test
    void envValuesNeverReachTheLogs() {
        String ns = namespace();
        String canary = "canary-" + java.util.UUID.randomUUID();
        client.resource(podDefault(ns, "cfg", "TOKEN", canary)).create();
        ObjectNode plain = pod(ns, "plain", Map.of("cfg", "true"));
        ObjectNode conflicting = pod(ns, "conflicting", Map.of("cfg", "true"));
        ((ObjectNode) conflicting.path("spec").path("containers").get(0)).putArray("env")
                .addObject().put("name", "TOKEN").put("value", canary + "-pod");
        try (LogCapture logs = new LogCapture()) {
            await().atMost(PROPAGATION).pollInterval(Duration.ofMillis(20)).until(() -> post("/apply-poddefault", review(ns, plain)).path("response").has("patch"));
            JsonNode denied = post("/apply-poddefault", review(ns, conflicting)).get("response");
            assertThat(denied.get("allowed").asBoolean()).isFalse();
            assertThat(denied.toString()).doesNotContain(canary);
            await().atMost(Duration.ofSeconds(10)).until(() -> logs.lines().stream().anyMatch(l -> l.contains("pod=conflicting")));
            assertThat(logs.lines()).anyMatch(l -> l.contains("outcome=patched") && l.contains("namespace=" + ns) && l.contains("pod=plain")
                    && l.contains("podDefaults=[cfg]"));
            assertThat(logs.lines()).noneMatch(l -> l.contains(canary));
        }
    }

    // ---- helpers ------------------------------------------------------------------------------------------------

    private static String namespace() {
        return "t" + NAMESPACES.incrementAndGet() + "-" + Long.toString(System.nanoTime() % 100000, 36);
    }

    static ObjectNode pod(String ns, String name, Map<String, String> labels) {
        ObjectNode pod = Fixtures.JSON.createObjectNode().put("apiVersion", "v1").put("kind", "Pod");
        ObjectNode meta = pod.putObject("metadata").put("name", name).put("namespace", ns);
        ObjectNode l = meta.putObject("labels");
        labels.forEach(l::put);
        ArrayNode containers = pod.putObject("spec").putArray("containers");
        containers.addObject().put("name", "main").put("image", "busybox");
        return pod;
    }

    static ObjectNode review(String ns, JsonNode pod) {
        ObjectNode review = Fixtures.JSON.createObjectNode().put("apiVersion", "admission.k8s.io/v1").put("kind", "AdmissionReview");
        ObjectNode request = review.putObject("request").put("uid", java.util.UUID.randomUUID().toString())
                .put("namespace", ns).put("operation", "CREATE");
        request.putObject("resource").put("group", "").put("version", "v1").put("resource", "pods");
        request.set("object", pod);
        return review;
    }

    private static ObjectNode podDefaultReview(PodDefault pd) {
        ObjectNode review = Fixtures.JSON.createObjectNode().put("apiVersion", "admission.k8s.io/v1").put("kind", "AdmissionReview");
        ObjectNode request = review.putObject("request").put("uid", "v-1").put("namespace", pd.getMetadata().getNamespace())
                .put("name", pd.getMetadata().getName()).put("operation", "CREATE");
        request.putObject("resource").put("group", "kubeflow.org").put("version", "v1alpha1").put("resource", "poddefaults");
        request.set("object", Fixtures.JSON.valueToTree(pd));
        return review;
    }

    static PodDefault podDefault(String ns, String name, String envName, String envValue) {
        ObjectNode json = Fixtures.JSON.createObjectNode().put("apiVersion", "kubeflow.org/v1alpha1").put("kind", "PodDefault");
        json.putObject("metadata").put("name", name).put("namespace", ns);
        ObjectNode spec = json.putObject("spec");
        spec.putObject("selector").putObject("matchLabels").put(name, "true");
        spec.put("desc", name);
        spec.putArray("env").addObject().put("name", envName).put("value", envValue);
        return Fixtures.podDefault(json);
    }

    static JsonNode post(String path, JsonNode review) {
        Response r = given().contentType(ContentType.JSON).body(review.toString()).post(path);
        assertThat(r.statusCode()).as(r.asString()).isEqualTo(200);
        try {
            return Fixtures.JSON.readTree(r.asByteArray());
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    static JsonNode applyPatch(JsonNode pod, JsonNode answer) throws Exception {
        JsonNode response = answer.get("response");
        assertThat(response.path("patchType").asText()).isEqualTo("JSONPatch");
        return JsonPatch.apply(Fixtures.JSON.readTree(Base64.getDecoder().decode(response.get("patch").asText())), pod);
    }

    private static String env(JsonNode pod) {
        return pod.path("spec").path("containers").get(0).path("env").get(0).path("value").asText();
    }

    private static void relocate(JsonNode pod, String ns) {
        if (pod.path("metadata").has("namespace")) {
            ((ObjectNode) pod.get("metadata")).put("namespace", ns);
        }
    }
}
