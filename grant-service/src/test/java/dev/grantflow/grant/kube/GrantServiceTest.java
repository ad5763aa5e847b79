package dev.grantflow.grant.kube;

import static dev.grantflow.grant.kube.GrantTestSupport.base64;
import static dev.grantflow.grant.kube.GrantTestSupport.decode;
import static dev.grantflow.grant.kube.GrantTestSupport.grant;
import static dev.grantflow.grant.kube.GrantTestSupport.source;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.grantflow.grant.domain.ManagedLabels;
import dev.grantflow.grant.kafka.StatusTopicReader;
import dev.grantflow.model.poddefault.PodDefault;
import dev.grantflow.testing.KafkaBrokerResource;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import io.restassured.RestAssured;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.logmanager.ExtLogRecord;
import org.hamcrest.Matchers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * grant-service against the real Kafka broker and the fabric8 CRUD mock API server. Grants and tenant events are
 * posted to the topics as an administrator and the namespace-watcher would; every assertion reads Kubernetes objects
 * or the status topic back. A canary secret value is planted and must appear nowhere but in the tenant's Secret.
 */
@QuarkusTest
@WithKubernetesTestServer(crud = true)
@QuarkusTestResource(value = KafkaBrokerResource.class, restrictToAnnotatedClass = true)
class GrantServiceTest {

    static final String CANARY = "canary-" + UUID.randomUUID();
    static final String CANARY_B64 = Base64.getEncoder().encodeToString(CANARY.getBytes(StandardCharsets.UTF_8));

    static GrantTestSupport kafka;

    @Inject
    KubernetesClient client;

    @Inject
    GrantReconciler reconciler;

    @Inject
    dev.grantflow.grant.domain.GrantLedger ledger;

    @Inject
    dev.grantflow.grant.kafka.StatusPublisher publisher;

    @Inject
    StatusTopicReader statusReader;

    @Inject
    dev.grantflow.grant.kafka.TenantPartitions tenantPartitions;

    @BeforeAll
    static void connect() {
        kafka = new GrantTestSupport(ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class));
    }

    @AfterAll
    static void noSecretValueLeaked() throws Exception {
        try {
            for (ConsumerRecord<String, String> record : kafka.allStatusRecords()) {
                assertThat(String.valueOf(record.value())).doesNotContain(CANARY).doesNotContain(CANARY_B64);
            }
            for (ConsumerRecord<String, String> record : kafka.dlq.getRecords()) {
                record.headers().forEach(h -> assertThat(new String(h.value(), StandardCharsets.UTF_8))
                        .doesNotContain(CANARY).doesNotContain(CANARY_B64));
            }
            String log = Files.readString(Path.of("target/grant-service-test.log"));
            assertThat(log).contains("test-secret").doesNotContain(CANARY).doesNotContain(CANARY_B64);
        } finally {
            kafka.close();
        }
    }

    @Test
    void seedTutorialGrantWaitsForTheTenantThenMaterializes() {
        source(client, "test-secret", Map.of("foo", CANARY));
        kafka.post(grant("alice", "test-secret", 1));
        JsonNode pending = kafka.awaitStatus("alice/test-secret", "Pending", "TenantAbsent");
        assertThat(pending.get("generation").asLong()).isEqualTo(1);
        assertThat(client.secrets().inNamespace("alice").withName("test-secret").get()).isNull();

        kafka.tenantCreated(client, "alice");
        kafka.awaitStatus("alice/test-secret", "Applied", "Applied");

        Secret copy = client.secrets().inNamespace("alice").withName("test-secret").get();
        assertThat(copy.getType()).isEqualTo("Opaque");
        assertThat(decode(copy.getData().get("foo"))).isEqualTo(CANARY);
        assertThat(copy.getMetadata().getLabels()).containsEntry(ManagedLabels.MANAGED_BY, "grantflow")
                .containsEntry(ManagedLabels.GRANT, "test-secret");
        assertThat(copy.getMetadata().getAnnotations()).containsEntry(ManagedLabels.GENERATION, "1")
                .hasEntrySatisfying(ManagedLabels.CONTENT_HASH, h -> assertThat(h).startsWith("hmac-sha256:"));

        PodDefault pd = client.resources(PodDefault.class).inNamespace("alice").withName("test-secret").get();
        assertThat(pd.getSpec().getSelector().getMatchLabels()).isEqualTo(Map.of("test-secret", "true"));
        assertThat(pd.getSpec().getDesc()).isEqualTo("test-secret");
        assertThat(pd.getSpec().getVolumeMounts()).singleElement().satisfies(m -> {
            assertThat(m.getMountPath()).isEqualTo("/secret/test-secret");
            assertThat(m.getReadOnly()).isTrue();
        });
        Volume volume = pd.getSpec().getVolumes().get(0);
        assertThat(volume.getName()).isEqualTo(pd.getSpec().getVolumeMounts().get(0).getName());
        assertThat(volume.getSecret().getSecretName()).isEqualTo("test-secret");
        assertThat(pd.getMetadata().getLabels()).containsEntry(ManagedLabels.MANAGED_BY, "grantflow");
    }

    @Test
    void reconcileLogRecordsCarryTheGrantAndTenantInTheMdc() {
        List<ExtLogRecord> records = capturingLogs(() -> {
            source(client, "mdc-secret", Map.of("k", "v"));
            kafka.tenantCreated(client, "mona");
            kafka.post(grant("mona", "mdc-secret", 1));
            kafka.awaitStatus("mona/mdc-secret", "Applied", "Applied");
        });
        List<ExtLogRecord> creates = records.stream()
                .filter(r -> r.getLoggerName().equals(KubeWriter.class.getName()))
                .filter(r -> r.getFormattedMessage().startsWith("create") && r.getFormattedMessage().contains("mona"))
                .toList();
        assertThat(creates).isNotEmpty().allSatisfy(r -> {
            assertThat(r.getMdc("grant")).isEqualTo("mona/mdc-secret");
            assertThat(r.getMdc("tenant")).isEqualTo("mona");
        });
        // Outside a reconcile (this thread) the MDC is clear.
        assertThat(org.jboss.logging.MDC.get("grant")).isNull();
    }

    /** Once the tenants topic is caught up a new tenant is logged at INFO (the start's replay logs at DEBUG). */
    @Test
    void aTenantAppearingAfterTheStartIsLoggedAtInfo() {
        await().atMost(Duration.ofSeconds(30)).until(tenantPartitions::caughtUp);
        java.util.function.Predicate<ExtLogRecord> tilda = r -> r.getLoggerName().equals(
                dev.grantflow.grant.kafka.TenantConsumer.class.getName())
                && r.getFormattedMessage().equals("Tenant tilda exists");
        List<ExtLogRecord> records = capturingLogs(() -> kafka.tenantCreated(client, "tilda"), tilda);
        assertThat(records).filteredOn(tilda)
                .singleElement().satisfies(r -> assertThat(r.getLevel()).isEqualTo(org.jboss.logmanager.Level.INFO));
    }

    /** The log records (MDC copied) of every logger while {@code action} runs on this thread. */
    private static List<ExtLogRecord> capturingLogs(Runnable action) {
        return capturingLogs(action, null);
    }

    /** As {@link #capturingLogs(Runnable)}, and then until a record {@code awaited} accepts comes (from any thread). */
    private static List<ExtLogRecord> capturingLogs(Runnable action, java.util.function.Predicate<ExtLogRecord> awaited) {
        List<ExtLogRecord> records = new CopyOnWriteArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                if (record instanceof ExtLogRecord ext) {
                    ext.copyMdc();
                    records.add(ext);
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        java.util.logging.Logger root = java.util.logging.Logger.getLogger("");
        root.addHandler(capture);
        try {
            action.run();
            if (awaited != null) {
                await().atMost(Duration.ofSeconds(30)).until(() -> records.stream().anyMatch(awaited));
            }
        } finally {
            root.removeHandler(capture);
        }
        return records;
    }

    /**
     * Tracing is off here (the default: nothing is exported), yet the status a grant record leads to carries the
     * record's trace, the reconcile span as parent. {@code TracingTest} does the same with the SDK on.
     */
    @Test
    void theStatusCarriesTheTraceContextOfTheGrantRecord() {
        String traceparent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
        source(client, "traced", Map.of("k", "v"));
        kafka.tenantCreated(client, "olga");
        kafka.post(grant("olga", "traced", 1), traceparent);
        kafka.awaitStatus("olga/traced", "Applied", "Applied");
        assertThat(kafka.latestStatusTraceparent("olga/traced"))
                .startsWith("00-4bf92f3577b34da6a3ce929d0e0e4736-").isNotEqualTo(traceparent);

        // A later record without a trace context is not reported under the old trace.
        kafka.post(grant("olga", "traced", 2));
        await().atMost(Duration.ofSeconds(30)).until(() -> kafka.statuses("olga/traced").stream()
                .anyMatch(status -> status.get("generation").asLong() == 2));
        assertThat(String.valueOf(kafka.latestStatusTraceparent("olga/traced")))
                .doesNotContain("4bf92f3577b34da6a3ce929d0e0e4736");
    }

    @Test
    void dockerCredentialsAreProjectedAsConfigJson() {
        source(client, "registry-credentials", "kubernetes.io/dockerconfigjson",
                Map.of(".dockerconfigjson", "{\"auths\":{\"registry.example\":{\"auth\":\"" + CANARY + "\"}}}"));
        kafka.tenantCreated(client, "dora");
        ObjectNode docker = (ObjectNode) dev.grantflow.model.fixtures.Fixtures.tree("grant/v1-dockerconfigjson-items.json");
        ((ObjectNode) docker.get("metadata")).put("tenant", "dora");
        kafka.post(docker);
        kafka.awaitStatus("dora/docker-config", "Applied", null);

        Secret copy = client.secrets().inNamespace("dora").withName("docker-config").get();
        assertThat(copy.getType()).isEqualTo("kubernetes.io/dockerconfigjson");
        assertThat(decode(copy.getData().get(".dockerconfigjson"))).contains(CANARY);
        PodDefault pd = client.resources(PodDefault.class).inNamespace("dora").withName("docker-config").get();
        assertThat(pd.getSpec().getVolumeMounts().get(0).getMountPath()).isEqualTo("/home/jovyan/.docker");
        assertThat(pd.getSpec().getVolumes().get(0).getSecret().getItems()).singleElement().satisfies(item -> {
            assertThat(item.getKey()).isEqualTo(".dockerconfigjson");
            assertThat(item.getPath()).isEqualTo("config.json");
        });
    }

    @Test
    void envEntriesBecomeSecretKeyRefs() {
        source(client, "db", Map.of("user", "u", "password", CANARY));
        kafka.tenantCreated(client, "erin");
        kafka.post(grant("erin", "db", 1, g -> {
            ((ObjectNode) g.get("spec").get("podDefault")).putArray("env")
                    .add(Map.of("name", "DB_PASSWORD", "key", "password").entrySet().stream()
                            .collect(dev.grantflow.model.json.Json.mapper()::createObjectNode,
                                    (n, e) -> n.put(e.getKey(), e.getValue()), (a, b) -> { }));
        }));
        kafka.awaitStatus("erin/db", "Applied", null);
        PodDefault pd = client.resources(PodDefault.class).inNamespace("erin").withName("db").get();
        assertThat(pd.getSpec().getEnv()).singleElement().satisfies(env -> {
            assertThat(env.getName()).isEqualTo("DB_PASSWORD");
            assertThat(env.getValue()).isNull();
            assertThat(env.getValueFrom().getSecretKeyRef().getName()).isEqualTo("db");
            assertThat(env.getValueFrom().getSecretKeyRef().getKey()).isEqualTo("password");
        });
    }

    @Test
    void revokeDeletesWhatTheGrantMade() {
        source(client, "revoke-me", Map.of("k", CANARY));
        kafka.tenantCreated(client, "frank");
        kafka.post(grant("frank", "revoke-me", 1));
        kafka.awaitStatus("frank/revoke-me", "Applied", null);

        kafka.revoke("frank/revoke-me");
        kafka.awaitStatus("frank/revoke-me", "Revoked", "Revoked");
        assertThat(client.secrets().inNamespace("frank").withName("revoke-me").get()).isNull();
        assertThat(client.resources(PodDefault.class).inNamespace("frank").withName("revoke-me").get()).isNull();
    }

    @Test
    void rotationOfTheSourceReachesEveryTenantCopy() {
        source(client, "rotating", Map.of("token", "v1"));
        for (String tenant : List.of("gina", "hank")) {
            kafka.tenantCreated(client, tenant);
            kafka.post(grant(tenant, "rotating", 1));
            kafka.awaitStatus(tenant + "/rotating", "Applied", null);
        }
        source(client, "rotating", Map.of("token", "v2"));
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            for (String tenant : List.of("gina", "hank")) {
                Secret copy = client.secrets().inNamespace(tenant).withName("rotating").get();
                assertThat(decode(copy.getData().get("token"))).isEqualTo("v2");
            }
        });
    }

    @Test
    void anUpdateKeepsTheLabelsAnnotationsAndFinalizersOtherControllersAdded() {
        source(client, "decorated", Map.of("token", "v1"));
        kafka.tenantCreated(client, "dana");
        kafka.post(grant("dana", "decorated", 1));
        kafka.awaitStatus("dana/decorated", "Applied", null);
        client.secrets().inNamespace("dana").withName("decorated").edit(s -> {
            s.getMetadata().getLabels().put("backup.example.com/include", "true");
            s.getMetadata().getAnnotations().put("reflector.example.com/seen", "yes");
            s.getMetadata().setFinalizers(List.of("example.com/keep"));
            return s;
        });

        source(client, "decorated", Map.of("token", "v2"));

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(decode(client.secrets().inNamespace("dana")
                .withName("decorated").get().getData().get("token"))).isEqualTo("v2"));
        Secret rotated = client.secrets().inNamespace("dana").withName("decorated").get();
        assertThat(rotated.getMetadata().getLabels()).containsEntry("backup.example.com/include", "true")
                .containsEntry(ManagedLabels.MANAGED_BY, "grantflow");
        assertThat(rotated.getMetadata().getAnnotations()).containsEntry("reflector.example.com/seen", "yes")
                .containsKey(ManagedLabels.CONTENT_HASH);
        assertThat(rotated.getMetadata().getFinalizers()).containsExactly("example.com/keep");
    }

    @Test
    void aTlsGrantWhoseSourceLacksTlsKeyFailsAndWritesNothing() {
        source(client, "half-tls", Map.of("tls.crt", "certificate", "key.pem", CANARY));
        kafka.tenantCreated(client, "tess");
        kafka.post(grant("tess", "half-tls", 1, g -> ((ObjectNode) g.get("spec").get("secret"))
                .put("type", "kubernetes.io/tls")));

        JsonNode failed = kafka.awaitStatus("tess/half-tls", "Failed", "SecretTypeKeysMissing");
        assertThat(failed.get("message").asText()).contains("kubernetes.io/tls").contains("[tls.key]");
        assertThat(client.secrets().inNamespace("tess").withName("half-tls").get()).isNull();
        assertThat(client.resources(PodDefault.class).inNamespace("tess").withName("half-tls").get()).isNull();
    }

    @Test
    void driftIsRepaired() {
        source(client, "drift", Map.of("k", CANARY));
        kafka.tenantCreated(client, "ivan");
        kafka.post(grant("ivan", "drift", 1));
        kafka.awaitStatus("ivan/drift", "Applied", null);

        client.secrets().inNamespace("ivan").withName("drift").edit(s -> {
            s.getData().put("k", Base64.getEncoder().encodeToString("tampered".getBytes(StandardCharsets.UTF_8)));
            return s;
        });
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(decode(
                client.secrets().inNamespace("ivan").withName("drift").get().getData().get("k"))).isEqualTo(CANARY));

        client.resources(PodDefault.class).inNamespace("ivan").withName("drift").delete();
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(
                client.resources(PodDefault.class).inNamespace("ivan").withName("drift").get()).isNotNull());
    }

    @Test
    void nameClashWithAnUnmanagedSecretIsAConflictAndLeavesItAlone() {
        source(client, "clash", Map.of("k", CANARY));
        client.secrets().inNamespace("judy").resource(new SecretBuilder().withNewMetadata().withName("clash")
                .withNamespace("judy").endMetadata().withData(base64(Map.of("mine", "tenant-owned"))).build()).create();
        kafka.tenantCreated(client, "judy");
        kafka.post(grant("judy", "clash", 1));

        JsonNode failed = kafka.awaitStatus("judy/clash", "Failed", "Conflict");
        assertThat(failed.get("message").asText()).contains("Secret judy/clash").contains("not managed by Grantflow");
        Secret theirs = client.secrets().inNamespace("judy").withName("clash").get();
        assertThat(theirs.getData()).containsOnlyKeys("mine");
        assertThat(theirs.getMetadata().getLabels()).isNullOrEmpty();
    }

    @Test
    void aSecondGrantNamingTheSameSecretIsAConflictAndTheFirstKeepsIt() {
        source(client, "shared-name", Map.of("k", "first"));
        kafka.tenantCreated(client, "leah");
        kafka.post(grant("leah", "shared-name", 1));
        kafka.awaitStatus("leah/shared-name", "Applied", null);
        String before = client.secrets().inNamespace("leah").withName("shared-name").get().getMetadata()
                .getResourceVersion();

        // Another grant of the same tenant whose Secret and PodDefault take the same names.
        kafka.post(grant("leah", "copycat", 1, g -> {
            ((ObjectNode) g.get("spec").get("secret")).put("name", "shared-name");
            ((ObjectNode) g.get("spec").get("secret").get("source").get("secretRef")).put("name", "shared-name");
            ((ObjectNode) g.get("spec").get("podDefault")).put("name", "shared-name");
        }));

        JsonNode failed = kafka.awaitStatus("leah/copycat", "Failed", "Conflict");
        assertThat(failed.get("message").asText()).contains("leah/shared-name").contains("belongs to grant shared-name");
        Secret kept = client.secrets().inNamespace("leah").withName("shared-name").get();
        assertThat(kept.getMetadata().getLabels()).containsEntry("grantflow.dev/grant", "shared-name");
        assertThat(kept.getMetadata().getResourceVersion()).isEqualTo(before);
        assertThat(kafka.statuses("leah/shared-name")).extracting(status -> status.get("phase").asText())
                .containsOnly("Applied");
    }

    @Test
    void anInvalidGrantIsRejectedWhileAValidOneInTheSameBatchApplies() {
        source(client, "valid-one", Map.of("k", "v"));
        kafka.tenantCreated(client, "kate");
        kafka.post(grant("kate", "bad-one", 1, g -> ((ObjectNode) g.get("spec").get("podDefault"))
                .put("mountPath", "/var/run/secrets/kubernetes.io/serviceaccount")));
        kafka.postRaw("kate/garbage", "{not json " + CANARY);
        kafka.post(grant("kate", "valid-one", 1));

        JsonNode rejected = kafka.awaitStatus("kate/bad-one", "Rejected", "InvalidGrant");
        assertThat(rejected.get("message").asText()).contains("mountPath");
        kafka.awaitStatus("kate/garbage", "Rejected", "Unparseable");
        kafka.awaitStatus("kate/valid-one", "Applied", null);
        assertThat(client.resources(PodDefault.class).inNamespace("kate").withName("bad-one").get()).isNull();

        await().atMost(Duration.ofSeconds(20)).until(() -> kafka.dlq.getRecords().stream()
                .anyMatch(r -> "kate/garbage".equals(r.key())));
        ConsumerRecord<String, String> dead = kafka.dlq.getRecords().stream()
                .filter(r -> "kate/garbage".equals(r.key())).findFirst().orElseThrow();
        assertThat(dead.value()).isEqualTo("{not json " + CANARY);
        assertThat(new String(dead.headers().lastHeader("dead-letter-reason").value(), StandardCharsets.UTF_8))
                .contains("MalformedJson");
    }

    @Test
    void outOfOrderAndDuplicateRecordsNeverRollBack() {
        source(client, "ordered", Map.of("k", "v"));
        kafka.tenantCreated(client, "liam");
        kafka.post(grant("liam", "ordered", 2, g -> {
            ((ObjectNode) g.get("spec").get("podDefault")).put("desc", "generation two");
        }));
        kafka.awaitStatus("liam/ordered", "Applied", null);
        kafka.post(grant("liam", "ordered", 1, g -> {
            ((ObjectNode) g.get("spec").get("podDefault")).put("desc", "generation one");
        }));
        kafka.awaitStatus("liam/ordered", "Rejected", "StaleGeneration");
        PodDefault pd = client.resources(PodDefault.class).inNamespace("liam").withName("ordered").get();
        assertThat(pd.getSpec().getDesc()).isEqualTo("generation two");
        String version = pd.getMetadata().getResourceVersion();

        kafka.post(grant("liam", "ordered", 2, g -> {
            ((ObjectNode) g.get("spec").get("podDefault")).put("desc", "generation two");
        }));
        kafka.awaitStatus("liam/ordered", "Applied", null);
        assertThat(client.resources(PodDefault.class).inNamespace("liam").withName("ordered").get()
                .getMetadata().getResourceVersion()).isEqualTo(version);
    }

    @Test
    void tenantGoneMakesGrantsPendingAgainAndTheyReturnWithTheTenant() {
        source(client, "comeback", Map.of("k", "v"));
        kafka.tenantCreated(client, "mona");
        kafka.post(grant("mona", "comeback", 1));
        kafka.awaitStatus("mona/comeback", "Applied", null);
        kafka.tenantGone("mona");
        kafka.awaitStatus("mona/comeback", "Pending", "TenantAbsent");
        kafka.tenantCreated(client, "mona");
        kafka.awaitStatus("mona/comeback", "Applied", null);
        assertThat(client.secrets().inNamespace("mona").withName("comeback").get()).isNotNull();
    }

    @Test
    void aFullResyncOfStateThatIsAlreadyRightWritesNothing() {
        source(client, "steady", Map.of("k", "v"));
        kafka.tenantCreated(client, "nina");
        kafka.post(grant("nina", "steady", 1));
        kafka.awaitStatus("nina/steady", "Applied", null);
        await().atMost(Duration.ofSeconds(20)).until(reconciler::idle);
        String secretVersion = client.secrets().inNamespace("nina").withName("steady").get().getMetadata()
                .getResourceVersion();
        String pdVersion = client.resources(PodDefault.class).inNamespace("nina").withName("steady").get()
                .getMetadata().getResourceVersion();
        int statusCount = kafka.statuses("nina/steady").size();

        long resyncs = reconciler.resyncsCompleted();
        reconciler.resyncWhenReady();
        await().atMost(Duration.ofSeconds(20)).until(() -> reconciler.resyncsCompleted() > resyncs);

        assertThat(client.secrets().inNamespace("nina").withName("steady").get().getMetadata().getResourceVersion())
                .isEqualTo(secretVersion);
        assertThat(client.resources(PodDefault.class).inNamespace("nina").withName("steady").get().getMetadata()
                .getResourceVersion()).isEqualTo(pdVersion);
        assertThat(kafka.statuses("nina/steady")).hasSize(statusCount);
    }

    /**
     * Records of one key spread over every partition, as producers with other partitioners put them: the key's
     * latest record wins wherever it landed, and no live grant's objects are ever deleted on the way.
     */
    @Test
    void largePollsAreAppliedWholeAndInOrder() {
        // 2,400 records produced at once into one partition, each key's grants and tombstones interleaved with the
        // other keys': the view takes them in polls of hundreds, each decoded while the one before is applied. The
        // last record of a key decides its state only if every poll is applied, in the order read.
        int keys = 60;
        int rounds = 40;
        List<org.apache.kafka.clients.producer.ProducerRecord<String, String>> records = new java.util.ArrayList<>();
        for (int round = 0; round < rounds; round++) {
            for (int k = 0; k < keys; k++) {
                boolean tombstone = round == rounds - 1 ? k % 2 == 1 : round % 2 == 1;
                records.add(new org.apache.kafka.clients.producer.ProducerRecord<>(dev.grantflow.model.event.Topics.GRANTS,
                        0, "pollster/many-" + k, tombstone ? null : grant("pollster", "many-" + k, 1).toString()));
            }
        }
        kafka.companion.produceStrings().fromRecords(records).awaitCompletion(Duration.ofSeconds(60));
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            for (int k = 0; k < keys; k++) {
                var held = ledger.held(new dev.grantflow.model.grant.GrantKey("pollster", "many-" + k));
                assertThat(held.tombstoned()).as("many-%d tombstoned", k).isEqualTo(k % 2 == 1);
                if (k % 2 == 0) {
                    assertThat(held.entry()).as("many-%d", k)
                            .isInstanceOf(dev.grantflow.grant.domain.GrantEntry.Accepted.class);
                }
            }
        });
    }

    @Test
    void grantsAndTombstonesFromAnyPartitionerConverge() {
        source(client, "anywhere", Map.of("k", CANARY));
        kafka.tenantCreated(client, "pia");
        int partitions = 3;
        List<String> keys = new java.util.ArrayList<>();
        var deleted = new java.util.concurrent.ConcurrentLinkedQueue<String>();
        try (var watch = client.secrets().inNamespace("pia").watch(new io.fabric8.kubernetes.client.Watcher<>() {
            @Override
            public void eventReceived(Action action, Secret secret) {
                if (action == Action.DELETED) {
                    deleted.add(secret.getMetadata().getName());
                }
            }

            @Override
            public void onClose(io.fabric8.kubernetes.client.WatcherException cause) {
            }
        })) {
            for (int i = 0; i < 12; i++) {
                String name = "anywhere-" + i;
                keys.add("pia/" + name);
                ObjectNode grant = grant("pia", name, 1, g -> ((ObjectNode) g.get("spec").get("secret").get("source")
                        .get("secretRef")).put("name", "anywhere"));
                kafka.postRaw("pia/" + name, grant.toString(), i % partitions);
            }
            keys.forEach(key -> kafka.awaitStatus(key, "Applied", null));

            // Revoke the even ones with tombstones in another partition than their grant.
            for (int i = 0; i < 12; i += 2) {
                kafka.postRaw("pia/anywhere-" + i, null, (i + 1) % partitions);
            }
            for (int i = 0; i < 12; i++) {
                kafka.awaitStatus("pia/anywhere-" + i, i % 2 == 0 ? "Revoked" : "Applied", null);
            }
            long resyncs = reconciler.resyncsCompleted();
            reconciler.resyncWhenReady();
            await().atMost(Duration.ofSeconds(20)).until(() -> reconciler.resyncsCompleted() > resyncs);
        }
        for (int i = 0; i < 12; i++) {
            assertThat(client.secrets().inNamespace("pia").withName("anywhere-" + i).get() != null)
                    .as("anywhere-" + i).isEqualTo(i % 2 == 1);
        }
        assertThat(deleted).as("only the revoked ones were ever deleted")
                .allMatch(name -> Integer.parseInt(name.substring("anywhere-".length())) % 2 == 0);
        // A re-grant after the revocation, in yet another partition, is in force again.
        kafka.postRaw("pia/anywhere-0", grant("pia", "anywhere-0", 2, g -> ((ObjectNode) g.get("spec").get("secret")
                .get("source").get("secretRef")).put("name", "anywhere")).toString(), 2);
        kafka.awaitStatus("pia/anywhere-0", "Applied", null);
    }

    /** Thousands of expiring grants and repeated resyncs: never more than one pending recheck per key. */
    @Test
    void expiryRechecksNeverOutnumberTheKeys() {
        String expiresAt = Instant.now().plusSeconds(3600).toString();
        int count = 2000;
        var records = new java.util.ArrayList<org.apache.kafka.clients.producer.ProducerRecord<String, String>>();
        for (int i = 0; i < count; i++) {
            ObjectNode g = grant("quinn", "expiring-" + i, 1, n -> ((ObjectNode) n.get("spec"))
                    .put("expiresAt", expiresAt));
            records.add(new org.apache.kafka.clients.producer.ProducerRecord<>(dev.grantflow.model.event.Topics.GRANTS,
                    "quinn/expiring-" + i, g.toString()));
        }
        kafka.companion.produceStrings().fromRecords(records).awaitCompletion(Duration.ofSeconds(60));
        await().atMost(Duration.ofSeconds(60)).until(() -> kafka.statuses("quinn/expiring-" + (count - 1)).size() > 0
                && reconciler.queueWaiting() >= count);
        for (int round = 0; round < 3; round++) {
            long resyncs = reconciler.resyncsCompleted();
            reconciler.resyncWhenReady();
            await().atMost(Duration.ofSeconds(60)).until(() -> reconciler.resyncsCompleted() > resyncs);
            assertThat(reconciler.queueWaiting()).as("pending rechecks after resync " + round)
                    .isGreaterThanOrEqualTo(count).isLessThanOrEqualTo(ledger.size());
        }
    }

    /**
     * A shard taken over: its previous owner published statuses this instance never saw. Read back, they are the
     * starting point, so that returning to a state this instance published long ago is published again.
     */
    @Test
    void aShardTakenOverStartsFromTheStatusesItsPreviousOwnerPublished() throws Exception {
        var key = new dev.grantflow.model.grant.GrantKey("zed", "handover");
        var applied = dev.grantflow.model.grant.GrantStatus.of(key, 1,
                dev.grantflow.model.grant.StatusReason.APPLIED, "applied", Instant.now());
        publisher.publish(applied).toCompletableFuture().get(30, java.util.concurrent.TimeUnit.SECONDS);
        // The previous owner of the key's shard published a failure meanwhile.
        kafka.companion.produceStrings().fromRecords(new org.apache.kafka.clients.producer.ProducerRecord<>(
                dev.grantflow.model.event.Topics.GRANT_STATUS, "zed/handover", dev.grantflow.model.json.Json.write(
                        dev.grantflow.model.grant.GrantStatus.of(key, 1,
                                dev.grantflow.model.grant.StatusReason.KUBERNETES_ERROR, "503", Instant.now()))))
                .awaitCompletion(Duration.ofSeconds(30));
        await().atMost(Duration.ofSeconds(30)).until(() -> kafka.statuses("zed/handover").size() == 2);

        publisher.refresh(k -> k.equals(key));
        publisher.publish(applied).toCompletableFuture().get(30, java.util.concurrent.TimeUnit.SECONDS);

        kafka.awaitStatus("zed/handover", "Applied", "Applied");
        assertThat(kafka.statuses("zed/handover")).extracting(s -> s.get("phase").asText())
                .containsExactly("Applied", "Failed", "Applied");
    }

    /** A status another instance removed (a tombstone) since this one read the topic: forgotten at the takeover. */
    @Test
    void aShardTakenOverForgetsAStatusRemovedSinceTheLastRead() throws Exception {
        var key = new dev.grantflow.model.grant.GrantKey("zed", "removed");
        publisher.publish(dev.grantflow.model.grant.GrantStatus.of(key, 1, dev.grantflow.model.grant.StatusReason.APPLIED,
                "applied", Instant.now())).toCompletableFuture().get(30, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(publisher.last(key)).isNotNull();
        writeStatus("zed/removed", null);

        publisher.refresh(k -> k.equals(key));

        assertThat(publisher.last(key)).isNull();
    }

    /**
     * A read back after a read takes only the records written between them: their latest status per key, the keys
     * whose latest record is a tombstone, and where it ended; it declines (the caller reads the whole topic) when the
     * topic's id or offsets do not match.
     */
    @Test
    void aReadBackReadsOnlyTheRecordsWrittenSinceTheLastRead() throws Exception {
        String status = dev.grantflow.model.json.Json.write(dev.grantflow.model.grant.GrantStatus.of(
                new dev.grantflow.model.grant.GrantKey("yara", "one"), 1,
                dev.grantflow.model.grant.StatusReason.KUBERNETES_ERROR, "503", Instant.now()));
        for (int i = 0; i < 50; i++) {
            writeStatus("yara/before-" + i, status);
        }
        StatusTopicReader.Snapshot before = statusReader.snapshot(Duration.ofSeconds(30));
        assertThat(before.statuses()).containsKey(new dev.grantflow.model.grant.GrantKey("yara", "before-49"));
        writeStatus("yara/one", status);
        writeStatus("yara/two", status);
        writeStatus("yara/two", null);

        StatusTopicReader.Changes since = statusReader.since(before.upTo(), Duration.ofSeconds(30)).orElseThrow();

        // At least the three records above; others only if the service published meanwhile, never the 50 before.
        assertThat(since.records()).isBetween(3L, 49L);
        assertThat(since.published()).containsKey(new dev.grantflow.model.grant.GrantKey("yara", "one"))
                .doesNotContainKey(new dev.grantflow.model.grant.GrantKey("yara", "two"))
                .doesNotContainKey(new dev.grantflow.model.grant.GrantKey("yara", "before-49"));
        assertThat(since.removed()).containsExactly(new dev.grantflow.model.grant.GrantKey("yara", "two"));
        assertThat(since.upTo().topicId()).isEqualTo(before.upTo().topicId()).isNotNull();
        assertThat(since.upTo().offsets()).allSatisfy((partition, offset) ->
                assertThat(offset).isGreaterThanOrEqualTo(before.upTo().offsets().get(partition)));
        assertThat(since.upTo().offsets().values().stream().mapToLong(Long::longValue).sum()
                - before.upTo().offsets().values().stream().mapToLong(Long::longValue).sum())
                .isEqualTo(since.records());

        // Another topic under the same name, or offsets it never had: no partial read.
        assertThat(statusReader.since(new StatusTopicReader.ReadUpTo("another-topic-id", before.upTo().offsets()),
                Duration.ofSeconds(30))).isEmpty();
        Map<Integer, Long> beyond = new java.util.HashMap<>();
        since.upTo().offsets().forEach((partition, offset) -> beyond.put(partition, offset + 1_000_000));
        assertThat(statusReader.since(new StatusTopicReader.ReadUpTo(before.upTo().topicId(), beyond),
                Duration.ofSeconds(30))).isEmpty();
        assertThat(statusReader.since(new StatusTopicReader.ReadUpTo(before.upTo().topicId(), Map.of(99, 0L)),
                Duration.ofSeconds(30))).as("other partitions").isEmpty();
    }

    /** Writes a status record (a null value: a tombstone) as another instance would, and waits until it is read. */
    private void writeStatus(String key, String value) {
        long before = statusRecords(key);
        kafka.companion.produceStrings().fromRecords(new org.apache.kafka.clients.producer.ProducerRecord<>(
                dev.grantflow.model.event.Topics.GRANT_STATUS, key, value)).awaitCompletion(Duration.ofSeconds(30));
        await().atMost(Duration.ofSeconds(30)).until(() -> statusRecords(key) > before);
    }

    private static long statusRecords(String key) {
        return kafka.statuses.getRecords().stream().filter(r -> key.equals(r.key())).count();
    }

    @Test
    void expiredGrantsAreRevoked() {
        source(client, "short-lived", Map.of("k", "v"));
        kafka.tenantCreated(client, "otto");
        kafka.post(grant("otto", "short-lived", 1, g -> {
            ((ObjectNode) g.get("spec")).put("expiresAt", Instant.now().plusSeconds(3).toString());
        }));
        kafka.awaitStatus("otto/short-lived", "Applied", null);
        kafka.awaitStatus("otto/short-lived", "Revoked", "Expired");
        assertThat(client.secrets().inNamespace("otto").withName("short-lived").get()).isNull();
    }

    @Test
    void readinessLivenessAndMetrics() {
        RestAssured.get("/q/health/live").then().statusCode(200);
        RestAssured.get("/q/health/ready").then().statusCode(200)
                .body("checks.find { it.name == 'grant-service' }.data.grantsCaughtUp", Matchers.is(true))
                .body("checks.find { it.name == 'grant-service' }.data.tenantsCaughtUp", Matchers.is(true))
                .body("checks.find { it.name == 'grant-service' }.data.informersSynced", Matchers.is(true));
        RestAssured.get("/q/metrics").then().statusCode(200)
                .body(Matchers.containsString("grantflow_grants{phase=\"Applied\"}"))
                .body(Matchers.containsString("grantflow_reconcile_duration_seconds_bucket"))
                .body(Matchers.containsString("grantflow_reconcile_retries_total"))
                .body(Matchers.containsString("grantflow_reconcile_queue_depth"));
    }
}
