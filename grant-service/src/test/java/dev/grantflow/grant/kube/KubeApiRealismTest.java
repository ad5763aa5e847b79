package dev.grantflow.grant.kube;

import static dev.grantflow.grant.kube.GrantTestSupport.base64;
import static dev.grantflow.grant.kube.GrantTestSupport.decode;
import static dev.grantflow.grant.kube.GrantTestSupport.grant;
import static dev.grantflow.grant.kube.GrantTestSupport.source;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.grantflow.model.json.Json;
import dev.grantflow.model.poddefault.PodDefault;
import dev.grantflow.testing.InjectKubeApiProxy;
import dev.grantflow.testing.InjectMockKubeClient;
import dev.grantflow.testing.KafkaBrokerResource;
import dev.grantflow.testing.KubeApiProxy;
import dev.grantflow.testing.KubeApiProxy.Answer;
import dev.grantflow.testing.KubeApiProxyResource;
import dev.grantflow.testing.KubeStatus;
import dev.grantflow.testing.KubeStatus.FieldError;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * grant-service against what a real kube-apiserver answers and the CRUD mock does not: every write goes through a
 * {@link KubeApiProxy} that answers chosen requests exactly as kube-apiserver does ({@link KubeStatus}), hangs, holds
 * them, or enforces delete preconditions. Asserts the status read back from the topic, that a refused write is not
 * attempted again while nothing changes (no hot loop), and that transient failures converge once cleared. Setup and
 * read-back go to the mock directly, past the proxy. A canary value is planted and must appear nowhere but in Secrets.
 */
@QuarkusTest
@QuarkusTestResource(value = KubeApiProxyResource.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = KafkaBrokerResource.class, restrictToAnnotatedClass = true)
class KubeApiRealismTest {

    static final String CANARY = "canary-" + UUID.randomUUID();
    static final String CANARY_B64 = Base64.getEncoder().encodeToString(CANARY.getBytes(StandardCharsets.UTF_8));
    static final String SERVICE_ACCOUNT = "system:serviceaccount:grantflow:grant-service";
    /**
     * The observation window of the no-hot-loop checks: how long a refused write must stay unrepeated while nothing
     * changes (the test profile's backoff, 100 ms doubling to 2 s, would retry about five times in it).
     */
    static final Duration NO_HOT_LOOP_WINDOW = Duration.ofSeconds(3);

    static GrantTestSupport kafka;

    @InjectKubeApiProxy
    KubeApiProxy proxy;

    @InjectMockKubeClient
    KubernetesClient kube;

    @BeforeAll
    static void connect() {
        kafka = new GrantTestSupport(ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class));
    }

    @AfterEach
    void clearFaults() {
        proxy.clearFaults();
        proxy.enforceDeletePreconditions(false);
    }

    @AfterAll
    static void noSecretValueLeaked() throws Exception {
        kafka.closeCheckingNothingLeaked(CANARY, CANARY_B64);
    }

    // ---- refusals: reported, not retried until something changes ---------------------------------------------------

    @Test
    void anImmutableFieldRefusalIsRejectedAndRetriedOnlyWhenSomethingChanges() {
        applied("rita", "immutable");
        proxy.inject("PUT", secret("rita", "immutable"), Answer.status(KubeStatus.invalid("", "Secret", "immutable",
                List.of(FieldError.immutable("type", "kubernetes.io/tls")))));

        source(kube, "immutable", Map.of("token", CANARY + "-v2"));

        JsonNode rejected = kafka.awaitStatus("rita/immutable", "Rejected", "KubernetesInvalid");
        assertThat(rejected.get("message").asText()).contains("422 (Invalid) to update Secret rita/immutable")
                .contains("Secret \"immutable\" is invalid: type: Invalid value: \"kubernetes.io/tls\": field is "
                        + "immutable");
        assertNoHotLoop("PUT", secret("rita", "immutable"));

        proxy.clearFaults();
        source(kube, "immutable", Map.of("token", CANARY + "-v3"));
        kafka.awaitStatus("rita/immutable", "Applied", "Applied");
        assertThat(decode(kube.secrets().inNamespace("rita").withName("immutable").get().getData().get("token")))
                .isEqualTo(CANARY + "-v3");
    }

    @Test
    void anRbacDenialIsFailedAndNotRetried() {
        kafka.tenantCreated(kube, "sam");
        source(kube, "denied", Map.of("token", CANARY));
        proxy.inject("POST", secrets("sam"), Answer.status(KubeStatus.rbacDenied("", "secrets", "", "create", "sam",
                SERVICE_ACCOUNT)));

        kafka.post(grant("sam", "denied", 1));

        JsonNode failed = kafka.awaitStatus("sam/denied", "Failed", "KubernetesRefused");
        assertThat(failed.get("message").asText()).contains("403 (Forbidden) to create Secret sam/denied")
                .contains("User \"" + SERVICE_ACCOUNT + "\" cannot create resource \"secrets\" in API group \"\" in "
                        + "the namespace \"sam\"");
        assertNoHotLoop("POST", secrets("sam"));
        assertThat(kube.secrets().inNamespace("sam").withName("denied").get()).isNull();
    }

    @Test
    void anInvalidObjectIsRejectedAndNotRetried() {
        kafka.tenantCreated(kube, "tara");
        source(kube, "invalid", Map.of("token", CANARY));
        proxy.inject("POST", podDefaults("tara"), Answer.status(KubeStatus.invalid("kubeflow.org", "PodDefault",
                "invalid", List.of(FieldError.required("spec.selector")))));

        kafka.post(grant("tara", "invalid", 1));

        JsonNode rejected = kafka.awaitStatus("tara/invalid", "Rejected", "KubernetesInvalid");
        assertThat(rejected.get("message").asText()).contains("PodDefault.kubeflow.org \"invalid\" is invalid: "
                + "spec.selector: Required value");
        assertNoHotLoop("POST", podDefaults("tara"));
    }

    @Test
    void aNamespaceBeingDeletedIsPendingWithoutRetriesUntilTheTenantIsGone() {
        kafka.tenantCreated(kube, "uma");
        source(kube, "leaving", Map.of("token", CANARY));
        proxy.inject("POST", secrets("uma"), Answer.status(KubeStatus.namespaceTerminating("", "secrets", "leaving",
                "uma")));

        kafka.post(grant("uma", "leaving", 1));

        JsonNode pending = kafka.awaitStatus("uma/leaving", "Pending", "TenantTerminating");
        assertThat(pending.get("message").asText()).contains("tenant namespace 'uma' is being deleted");
        assertNoHotLoop("POST", secrets("uma"));

        kafka.tenantGone("uma");
        kafka.awaitStatus("uma/leaving", "Pending", "TenantAbsent");
    }

    // ---- transient failures: retried with backoff, converging once cleared ------------------------------------------

    @Test
    void conflictsAreRetriedUntilTheyClear() {
        applied("vera", "contended");
        KubeApiProxy.Fault conflicts = proxy.inject("PUT", secret("vera", "contended"),
                Answer.status(KubeStatus.modified("", "secrets", "contended")), 3);

        source(kube, "contended", Map.of("token", CANARY + "-v2"));

        await().atMost(Duration.ofSeconds(30)).until(() -> kafka.statuses("vera/contended").stream()
                .anyMatch(s -> "KubernetesError".equals(s.get("reason").asText())));
        kafka.awaitStatus("vera/contended", "Applied", "Applied");
        assertThat(conflicts.hits()).isEqualTo(3);
        assertThat(decode(kube.secrets().inNamespace("vera").withName("contended").get().getData().get("token")))
                .isEqualTo(CANARY + "-v2");
    }

    @Test
    void tooManyRequestsIsRetriedAfterTheDelayTheApiServerAsksFor() {
        applied("walt", "throttled");
        proxy.inject("PUT", secret("walt", "throttled"),
                Answer.text(429, KubeStatus.TOO_MANY_REQUESTS_TEXT).withHeader("Retry-After", "2"), 1);

        source(kube, "throttled", Map.of("token", CANARY + "-v2"));

        kafka.awaitStatus("walt/throttled", "Applied", "Applied");
        assertThat(kafka.statuses("walt/throttled")).anySatisfy(s -> assertThat(s.get("message").asText())
                .contains("429 to update Secret walt/throttled: Too many requests, please try again later.")
                .contains("retrying in 2 s"));
        List<KubeApiProxy.Request> puts = proxy.requests("PUT", secret("walt", "throttled"));
        assertThat(puts).hasSize(2);
        assertThat(Duration.between(puts.get(0).at(), puts.get(1).at())).isGreaterThan(Duration.ofMillis(1900));
    }

    @Test
    void serverErrorsAreRetriedWithBoundedBackoffAndConvergeOnceCleared() {
        kafka.tenantCreated(kube, "xena");
        source(kube, "flaky", Map.of("token", CANARY));
        KubeApiProxy.Fault errors = proxy.inject("POST", secrets("xena"),
                Answer.status(KubeStatus.internalError("etcdserver: request timed out")));

        kafka.post(grant("xena", "flaky", 1));

        JsonNode failed = kafka.awaitStatus("xena/flaky", "Failed", "KubernetesError");
        assertThat(failed.get("message").asText()).contains("500 (InternalError)").contains("retrying with backoff");
        int before = errors.hits();
        // Bounded: backoff, not a hot loop (a few attempts per observation window, not hundreds) ...
        await().during(NO_HOT_LOOP_WINDOW).atMost(NO_HOT_LOOP_WINDOW.plusSeconds(2))
                .until(() -> errors.hits() - before <= 10);
        // ... yet retried.
        assertThat(errors.hits()).isGreaterThan(before);

        errors.clear();
        kafka.awaitStatus("xena/flaky", "Applied", "Applied");
        assertThat(kube.secrets().inNamespace("xena").withName("flaky").get()).isNotNull();
    }

    @Test
    void aRequestWithoutAnswerTimesOutAndIsRetried() {
        kafka.tenantCreated(kube, "yuri");
        source(kube, "silent", Map.of("token", CANARY));
        proxy.inject("POST", secrets("yuri"), Answer.hang(), 1);

        kafka.post(grant("yuri", "silent", 1));

        kafka.awaitStatus("yuri/silent", "Applied", "Applied");
        assertThat(kafka.statuses("yuri/silent")).anySatisfy(s -> {
            assertThat(s.get("reason").asText()).isEqualTo("KubernetesError");
            assertThat(s.get("message").asText()).contains("no answer (").contains("to create Secret yuri/silent");
        });
        assertThat(proxy.count("POST", secrets("yuri"))).isEqualTo(2);
    }

    // ---- deletes carry preconditions; an immutable type is a delete and a create --------------------------------------

    @Test
    void aDeleteCarriesPreconditionsAndNeverRemovesAnObjectCreatedInBetween() throws Exception {
        applied("zoe", "swapped");
        Secret ours = kube.secrets().inNamespace("zoe").withName("swapped").get();
        proxy.enforceDeletePreconditions(true);
        CountDownLatch gate = new CountDownLatch(1);
        proxy.inject("DELETE", secret("zoe", "swapped"), Answer.holdUntil(gate), 1);

        kafka.revoke("zoe/swapped");
        await().atMost(Duration.ofSeconds(30)).until(() -> proxy.count("DELETE", secret("zoe", "swapped")) == 1);
        // While grant-service's delete is in flight, the tenant replaces the Secret with one of its own.
        kube.secrets().inNamespace("zoe").withName("swapped").delete();
        await().atMost(Duration.ofSeconds(10)).until(() -> kube.secrets().inNamespace("zoe").withName("swapped")
                .get() == null);
        kube.secrets().inNamespace("zoe").resource(new SecretBuilder().withNewMetadata().withName("swapped")
                .withNamespace("zoe").endMetadata().withData(base64(Map.of("mine", "tenant-owned"))).build()).create();
        gate.countDown();

        kafka.awaitStatus("zoe/swapped", "Revoked", "Revoked");
        Secret theirs = kube.secrets().inNamespace("zoe").withName("swapped").get();
        assertThat(theirs).isNotNull();
        assertThat(theirs.getData()).containsOnlyKeys("mine");
        JsonNode options = Json.readTree(proxy.requests("DELETE", secret("zoe", "swapped")).get(0).body());
        assertThat(options.at("/preconditions/uid").asText()).isEqualTo(ours.getMetadata().getUid());
        assertThat(options.at("/preconditions/resourceVersion").asText())
                .isEqualTo(ours.getMetadata().getResourceVersion());
        assertThat(kube.resources(PodDefault.class).inNamespace("zoe").withName("swapped").get()).isNull();
    }

    @Test
    void aPreconditionFailureOnAnObjectStillOursIsRetriedOnFreshState() {
        applied("abel", "raced");
        Secret ours = kube.secrets().inNamespace("abel").withName("raced").get();
        proxy.inject("DELETE", secret("abel", "raced"), Answer.status(KubeStatus.preconditionFailed("", "secrets",
                "abel", "raced", "UID", ours.getMetadata().getUid(), UUID.randomUUID().toString())), 1);

        kafka.revoke("abel/raced");

        kafka.awaitStatus("abel/raced", "Revoked", "Revoked");
        assertThat(kube.secrets().inNamespace("abel").withName("raced").get()).isNull();
        assertThat(proxy.count("DELETE", secret("abel", "raced"))).isEqualTo(2);
        assertThat(kafka.statuses("abel/raced")).anySatisfy(s -> assertThat(s.get("message").asText())
                .contains("409 (Conflict) to delete Secret abel/raced").contains("Precondition failed: UID"));
    }

    @Test
    void aTypeChangeIsADeleteWithPreconditionsThenACreateNeverAnUpdate() {
        source(kube, "retyped", Map.of("tls.crt", "certificate", "tls.key", CANARY));
        applied("bea", "retyped");
        Secret opaque = kube.secrets().inNamespace("bea").withName("retyped").get();
        assertThat(opaque.getType()).isEqualTo("Opaque");
        proxy.enforceDeletePreconditions(true);
        proxy.clearRequests();

        kafka.post(grant("bea", "retyped", 2, g -> ((ObjectNode) g.get("spec").get("secret"))
                .put("type", "kubernetes.io/tls")));

        await().atMost(Duration.ofSeconds(30)).until(() -> kafka.statuses("bea/retyped").stream()
                .anyMatch(s -> "Applied".equals(s.get("phase").asText()) && s.get("generation").asLong() == 2));
        Secret tls = kube.secrets().inNamespace("bea").withName("retyped").get();
        assertThat(tls.getType()).isEqualTo("kubernetes.io/tls");
        assertThat(tls.getMetadata().getUid()).isNotEqualTo(opaque.getMetadata().getUid());
        assertThat(proxy.requests()).filteredOn(r -> r.path().startsWith(secrets("bea")) && !r.method().equals("GET"))
                .extracting(r -> r.method() + " " + r.path())
                .containsExactly("DELETE " + secret("bea", "retyped"), "POST " + secrets("bea"));
        JsonNode options = Json.readTree(proxy.requests("DELETE", secret("bea", "retyped")).get(0).body());
        assertThat(options.at("/preconditions/uid").asText()).isEqualTo(opaque.getMetadata().getUid());
        assertThat(options.at("/preconditions/resourceVersion").asText())
                .isEqualTo(opaque.getMetadata().getResourceVersion());
    }

    // ---- helpers --------------------------------------------------------------------------------------------------

    /** A tenant with a grant applied; the source holds the canary unless the test made it before. */
    void applied(String tenant, String name) {
        if (kube.secrets().inNamespace(GrantTestSupport.SOURCES).withName(name).get() == null) {
            source(kube, name, Map.of("token", CANARY));
        }
        kafka.tenantCreated(kube, tenant);
        kafka.post(grant(tenant, name, 1));
        kafka.awaitStatus(tenant + "/" + name, "Applied", "Applied");
    }

    /**
     * A refused write is not attempted again while nothing changes: over {@link #NO_HOT_LOOP_WINDOW} at most one more
     * attempt (a trigger already on its way), and a handful in all.
     */
    void assertNoHotLoop(String method, String path) {
        int before = proxy.count(method, path);
        await().during(NO_HOT_LOOP_WINDOW).atMost(NO_HOT_LOOP_WINDOW.plusSeconds(2))
                .until(() -> proxy.count(method, path) <= before + 1);
        assertThat(proxy.count(method, path)).as(proxy.toString()).isLessThanOrEqualTo(4);
    }

    static String secrets(String tenant) {
        return "/api/v1/namespaces/" + tenant + "/secrets";
    }

    static String secret(String tenant, String name) {
        return secrets(tenant) + "/" + name;
    }

    static String podDefaults(String tenant) {
        return "/apis/kubeflow.org/v1alpha1/namespaces/" + tenant + "/poddefaults";
    }
}
