package dev.grantflow.watcher.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.grantflow.model.event.CloudEventTypes;
import dev.grantflow.model.event.Topics;
import dev.grantflow.testing.KafkaBrokerResource;
import dev.grantflow.watcher.kafka.TenantEventPublisher;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import io.restassured.RestAssured;
import io.smallrye.reactive.messaging.kafka.companion.ConsumerTask;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.eclipse.microprofile.config.ConfigProvider;
import org.hamcrest.Matchers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The watcher against the fabric8 CRUD mock API server and the real Kafka broker: every assertion reads the
 * tenants topic back from the broker.
 */
@QuarkusTest
@WithKubernetesTestServer(crud = true)
@QuarkusTestResource(value = KafkaBrokerResource.class, restrictToAnnotatedClass = true)
class NamespaceWatcherTest {

    static final String PROFILE_LABEL = "app.kubernetes.io/part-of";
    static final String PROFILE = "kubeflow-profile";
    static final ObjectMapper JSON = new ObjectMapper();

    static KafkaCompanion companion;
    static ConsumerTask<String, String> tenants;

    @Inject
    KubernetesClient client;

    @Inject
    TenantEventPublisher publisher;

    @BeforeAll
    static void consumeTenantsTopic() {
        companion = new KafkaCompanion(ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class));
        tenants = companion.consumeStrings().fromTopics(Topics.TENANTS);
    }

    @AfterAll
    static void close() {
        tenants.stop();
        companion.close();
    }

    @Test
    void activeProfileNamespaceIsAnnouncedAsCreatedWithCloudEventHeaders() throws Exception {
        Instant before = Instant.now();
        client.namespaces().resource(namespace("alice", Map.of(PROFILE_LABEL, PROFILE, "team", "ml"),
                Map.of("owner", "alice@example.com"), "Active")).create();

        ConsumerRecord<String, String> record = awaitRecord("alice", 1).get(0);
        JsonNode event = JSON.readTree(record.value());
        assertThat(event.get("type").asText()).isEqualTo("created");
        assertThat(event.get("tenant").asText()).isEqualTo("alice");
        assertThat(event.get("owner").asText()).isEqualTo("alice@example.com");
        assertThat(event.get("labels").get("team").asText()).isEqualTo("ml");
        assertThat(Instant.parse(event.get("observedAt").asText())).isAfterOrEqualTo(before.minusSeconds(1));

        assertThat(header(record, CloudEventTypes.HEADER_SPECVERSION)).isEqualTo("1.0");
        assertThat(header(record, CloudEventTypes.HEADER_TYPE)).isEqualTo(CloudEventTypes.TENANT_CREATED);
        assertThat(header(record, CloudEventTypes.HEADER_SOURCE)).isEqualTo("/grantflow/namespace-watcher");
        assertThat(header(record, CloudEventTypes.HEADER_ID)).isNotBlank();
        assertThat(Instant.parse(header(record, CloudEventTypes.HEADER_TIME))).isAfterOrEqualTo(before.minusSeconds(1));
        assertThat(header(record, CloudEventTypes.HEADER_CONTENT_TYPE)).startsWith("application/json");
    }

    @Test
    void labelOrOwnerChangeIsAnUpdate() throws Exception {
        client.namespaces().resource(namespace("bob", Map.of(PROFILE_LABEL, PROFILE), Map.of("owner", "bob@x"),
                "Active")).create();
        awaitRecord("bob", 1);

        client.namespaces().withName("bob").edit(ns -> {
            ns.getMetadata().getAnnotations().put("owner", "robert@x");
            return ns;
        });
        ConsumerRecord<String, String> updated = awaitRecord("bob", 2).get(1);
        assertThat(JSON.readTree(updated.value()).get("type").asText()).isEqualTo("updated");
        assertThat(JSON.readTree(updated.value()).get("owner").asText()).isEqualTo("robert@x");
        assertThat(header(updated, CloudEventTypes.HEADER_TYPE)).isEqualTo(CloudEventTypes.TENANT_UPDATED);

        client.namespaces().withName("bob").edit(ns -> {
            ns.getMetadata().getLabels().put("team", "nlp");
            return ns;
        });
        assertThat(JSON.readTree(awaitRecord("bob", 3).get(2).value()).get("labels").get("team").asText())
                .isEqualTo("nlp");
    }

    @Test
    void removingTheProfileLabelIsATombstone() {
        client.namespaces().resource(namespace("carol", Map.of(PROFILE_LABEL, PROFILE), Map.of(), "Active")).create();
        awaitRecord("carol", 1);

        client.namespaces().withName("carol").edit(ns -> {
            ns.getMetadata().getLabels().remove(PROFILE_LABEL);
            return ns;
        });
        ConsumerRecord<String, String> tombstone = awaitRecord("carol", 2).get(1);
        assertThat(tombstone.value()).isNull();
    }

    @Test
    void deletingOrTerminatingANamespaceIsATombstone() {
        client.namespaces().resource(namespace("dave", Map.of(PROFILE_LABEL, PROFILE), Map.of(), "Active")).create();
        client.namespaces().resource(namespace("erin", Map.of(PROFILE_LABEL, PROFILE), Map.of(), "Active")).create();
        awaitRecord("dave", 1);
        awaitRecord("erin", 1);

        client.namespaces().withName("dave").delete();
        assertThat(awaitRecord("dave", 2).get(1).value()).isNull();

        client.namespaces().withName("erin").edit(ns -> {
            ns.getStatus().setPhase("Terminating");
            return ns;
        });
        assertThat(awaitRecord("erin", 2).get(1).value()).isNull();
    }

    @Test
    void namespaceIsAnnouncedOnlyOnceActive() throws Exception {
        client.namespaces().resource(namespace("frank", Map.of(PROFILE_LABEL, PROFILE), Map.of(), null)).create();
        // A marker namespace created afterwards proves the publisher has caught up past "frank".
        client.namespaces().resource(namespace("frank-marker", Map.of(PROFILE_LABEL, PROFILE), Map.of(), "Active"))
                .create();
        awaitRecord("frank-marker", 1);
        assertThat(recordsFor("frank")).isEmpty();

        client.namespaces().withName("frank").edit(ns -> {
            ns.setStatus(new io.fabric8.kubernetes.api.model.NamespaceStatusBuilder().withPhase("Active").build());
            return ns;
        });
        assertThat(JSON.readTree(awaitRecord("frank", 1).get(0).value()).get("type").asText()).isEqualTo("created");
    }

    @Test
    void unrelatedNamespacesProduceNothing() {
        client.namespaces().resource(namespace("kube-ops", Map.of("team", "platform"), Map.of(), "Active")).create();
        client.namespaces().resource(namespace("other-app", Map.of(PROFILE_LABEL, "something-else"), Map.of(),
                "Active")).create();
        client.namespaces().resource(namespace("grace", Map.of(PROFILE_LABEL, PROFILE), Map.of(), "Active")).create();
        awaitRecord("grace", 1);
        assertThat(recordsFor("kube-ops")).isEmpty();
        assertThat(recordsFor("other-app")).isEmpty();
    }

    @Test
    void newLeaderRepublishesEveryTenantAndTombstonesVanishedOnes() throws Exception {
        client.namespaces().resource(namespace("heidi", Map.of(PROFILE_LABEL, PROFILE), Map.of(), "Active")).create();
        awaitRecord("heidi", 1);
        // A tenant announced earlier whose namespace vanished while no watcher was running.
        companion.produceStrings().fromRecords(new ProducerRecord<>(Topics.TENANTS, "ghost",
                "{\"type\":\"created\",\"tenant\":\"ghost\",\"labels\":{}}")).awaitCompletion();
        awaitRecord("ghost", 1);

        // What start-up and every new leader do.
        publisher.leadershipLost();
        publisher.leadershipAcquired();

        List<ConsumerRecord<String, String>> heidi = awaitRecord("heidi", 2);
        assertThat(JSON.readTree(heidi.get(1).value()).get("type").asText()).isEqualTo("created");
        assertThat(awaitRecord("ghost", 2).get(1).value()).isNull();
        publisher.leadershipLost();
        publisher.leadershipAcquired();
        // The ghost is not tombstoned twice: the topic no longer holds it.
        awaitRecord("heidi", 3);
        assertThat(recordsFor("ghost")).hasSize(2);
    }

    @Test
    void onlyTheLeaderPublishesAndANewTermRepublishes() {
        await().atMost(Duration.ofSeconds(20)).until(publisher::isLeader);
        // Another replica takes the Lease (as if this one had stalled past its renew deadline). The edit is an
        // optimistic write: when it races a renewal of this replica it gets 409 and, like a real rival, tries again.
        await().atMost(Duration.ofSeconds(10))
                .ignoreExceptionsMatching(e -> e instanceof KubernetesClientException k && k.getCode() == 409)
                .until(() -> client.leases().inNamespace("grantflow").withName("grantflow-namespace-watcher")
                        .edit(lease -> {
                            lease.getSpec().setHolderIdentity("rival-replica");
                            lease.getSpec().setLeaseDurationSeconds(8);
                            lease.getSpec().setRenewTime(java.time.ZonedDateTime.now(java.time.ZoneOffset.UTC));
                            return lease;
                        }) != null);
        await().atMost(Duration.ofSeconds(20)).until(() -> !publisher.isLeader());

        client.namespaces().resource(namespace("quinn", Map.of(PROFILE_LABEL, PROFILE), Map.of(), "Active")).create();
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(3)).until(() -> recordsFor("quinn").isEmpty());

        // The rival never renews: once its Lease expires this replica leads again and announces what it missed.
        await().atMost(Duration.ofSeconds(30)).until(publisher::isLeader);
        List<ConsumerRecord<String, String>> quinn = awaitRecord("quinn", 1);
        assertThat(header(quinn.get(0), CloudEventTypes.HEADER_TYPE)).isEqualTo(CloudEventTypes.TENANT_CREATED);
    }

    @Test
    void thisReplicaHoldsTheLeaseAndReportsReadyAndMetrics() {
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            Lease lease = client.leases().inNamespace("grantflow").withName("grantflow-namespace-watcher").get();
            assertThat(lease).isNotNull();
            assertThat(lease.getSpec().getHolderIdentity()).isNotBlank();
        });
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> RestAssured.get("/q/health/ready")
                .then().statusCode(200)
                .body("checks.find { it.name == 'namespace-watcher' }.data.informerSynced", Matchers.is(true))
                .body("checks.find { it.name == 'namespace-watcher' }.data.leader", Matchers.is(true)));
        RestAssured.get("/q/health/live").then().statusCode(200);

        client.namespaces().resource(namespace("ivan", Map.of(PROFILE_LABEL, PROFILE), Map.of(), "Active")).create();
        awaitRecord("ivan", 1);
        RestAssured.get("/q/metrics").then().statusCode(200)
                .body(Matchers.containsString("grantflow_watcher_leader 1.0"))
                .body(Matchers.containsString("grantflow_watcher_events_published_total{type=\"created\"}"))
                .body(Matchers.containsString("grantflow_watcher_publish_failures_total"));
    }

    static Namespace namespace(String name, Map<String, String> labels, Map<String, String> annotations,
            String phase) {
        NamespaceBuilder builder = new NamespaceBuilder().withNewMetadata().withName(name)
                .withLabels(new java.util.HashMap<>(labels)).withAnnotations(new java.util.HashMap<>(annotations))
                .endMetadata();
        if (phase != null) {
            builder.withNewStatus().withPhase(phase).endStatus();
        }
        return builder.build();
    }

    static List<ConsumerRecord<String, String>> recordsFor(String key) {
        return tenants.getRecords().stream().filter(r -> key.equals(r.key())).toList();
    }

    static List<ConsumerRecord<String, String>> awaitRecord(String key, int count) {
        await().atMost(Duration.ofSeconds(20)).until(() -> recordsFor(key).size() >= count);
        return recordsFor(key);
    }

    static String header(ConsumerRecord<?, ?> record, String name) {
        return Optional.ofNullable(record.headers().lastHeader(name)).map(Header::value)
                .map(v -> new String(v, StandardCharsets.UTF_8)).orElse(null);
    }
}
