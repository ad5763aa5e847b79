package dev.grantflow.grant.kube;

import static dev.grantflow.grant.kube.GrantTestSupport.grant;
import static dev.grantflow.grant.kube.GrantTestSupport.source;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.grantflow.grant.domain.ManagedLabels;
import dev.grantflow.model.event.Topics;
import dev.grantflow.model.poddefault.PodDefault;
import dev.grantflow.testing.KafkaBrokerResource;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import io.restassured.RestAssured;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Deletions that no record asked for never happen en masse: copies whose grant is gone are collected within a budget
 * (here 2 keys a minute) and the rest is reported; a grants topic deleted and re-created (a new topic id, as with
 * another cluster behind a wrong address) collects nothing that the old topic made.
 */
@QuarkusTest
@TestProfile(NeverEnMasseTest.SmallBudget.class)
@WithKubernetesTestServer(crud = true)
@QuarkusTestResource(value = KafkaBrokerResource.class, restrictToAnnotatedClass = true)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class NeverEnMasseTest {

    /** A budget of 2 keys a minute, and a topic check every second. */
    public static class SmallBudget implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("grantflow.grants.deletion-budget.per-interval", "2",
                    "grantflow.grants.deletion-budget.interval", "1m",
                    "grantflow.grants.topic-check-period", "1s");
        }
    }

    static GrantTestSupport kafka;

    @Inject
    KubernetesClient client;

    @Inject
    GrantReconciler reconciler;

    @BeforeAll
    static void connect() {
        kafka = new GrantTestSupport(ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class));
    }

    @AfterAll
    static void close() {
        kafka.close();
    }

    /** Five copies whose grants vanished without a tombstone (compacted away while the service was down). */
    @Test
    @Order(1)
    void orphansAreCollectedWithinTheBudgetAndTheRestIsReported() {
        String topicId = readiness().path("grantsTopicId").asText();
        List<String> tenants = IntStream.range(0, 5).mapToObj(i -> "orphan-" + i).toList();
        tenants.forEach(tenant -> kafka.tenantCreated(client, tenant));
        for (String tenant : tenants) {
            client.secrets().inNamespace(tenant).resource(new SecretBuilder().withNewMetadata().withName("gone")
                    .withNamespace(tenant).addToLabels(ManagedLabels.MANAGED_BY, ManagedLabels.MANAGED_BY_VALUE)
                    .addToLabels(ManagedLabels.GRANT, "gone").addToAnnotations(ManagedLabels.GENERATION, "1")
                    .addToAnnotations(ManagedLabels.GRANTS_TOPIC, topicId).endMetadata()
                    .withData(Map.of("k", "dg==")).build()).create();
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> tenants.stream()
                .filter(t -> !kafka.statuses(t + "/gone").isEmpty()).count() == 5);

        long left = tenants.stream().filter(t -> client.secrets().inNamespace(t).withName("gone").get() != null)
                .count();
        assertThat(left).as("2 collected, 3 held back").isEqualTo(3);
        assertThat(tenants.stream().map(t -> last(t + "/gone").path("reason").asText()))
                .containsExactlyInAnyOrder("Revoked", "Revoked", "DeletionHeldBack", "DeletionHeldBack",
                        "DeletionHeldBack");
        assertThat(readiness().path("deletionsHeldBack").asInt()).isEqualTo(3);
        assertThat(RestAssured.get("/q/metrics").asString()).contains("grantflow_deletions_held 3.0");
    }

    @Test
    @Order(2)
    void aReplacedGrantsTopicCollectsNothingTheOldOneMade() throws Exception {
        source(client, "kept", Map.of("k", "v"));
        kafka.tenantCreated(client, "rita");
        kafka.post(grant("rita", "kept", 1));
        kafka.awaitStatus("rita/kept", "Applied", null);
        String oldId = readiness().path("grantsTopicId").asText();
        assertThat(client.secrets().inNamespace("rita").withName("kept").get().getMetadata().getAnnotations())
                .containsEntry(ManagedLabels.GRANTS_TOPIC, oldId);

        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class)))) {
            admin.deleteTopics(List.of(Topics.GRANTS)).all().get(30, TimeUnit.SECONDS);
            await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> {
                admin.createTopics(List.of(new NewTopic(Topics.GRANTS, 3, (short) 1)
                        .configs(Map.of("cleanup.policy", "compact")))).all().get(10, TimeUnit.SECONDS);
                return true;
            });
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            String id = readiness().path("grantsTopicId").asText();
            return !id.equals(oldId) && !id.equals("null");
        });
        long resyncs = reconciler.resyncsCompleted();
        reconciler.resyncWhenReady();
        await().atMost(Duration.ofSeconds(30)).until(() -> reconciler.resyncsCompleted() > resyncs);

        Secret kept = client.secrets().inNamespace("rita").withName("kept").get();
        assertThat(kept).as("a copy of the old topic's grant is never collected").isNotNull();
        assertThat(client.resources(PodDefault.class).inNamespace("rita").withName("kept").get()).isNotNull();
        JsonNode held = kafka.awaitStatus("rita/kept", "Pending", "DeletionHeldBack");
        assertThat(held.path("message").asText()).contains("Secret kept").contains("another or a re-created topic");

        // Granted again on the new topic: applied, and the copy now records the new topic.
        kafka.post(grant("rita", "kept", 1));
        kafka.awaitStatus("rita/kept", "Applied", null);
        String newId = readiness().path("grantsTopicId").asText();
        await().atMost(Duration.ofSeconds(30)).until(() -> newId.equals(client.secrets().inNamespace("rita")
                .withName("kept").get().getMetadata().getAnnotations().get(ManagedLabels.GRANTS_TOPIC)));
    }

    static JsonNode readiness() {
        String body = RestAssured.get("/q/health/ready").asString();
        JsonNode checks = dev.grantflow.model.json.Json.readTree(body).path("checks");
        for (JsonNode check : checks) {
            if ("grant-service".equals(check.path("name").asText())) {
                return check.path("data");
            }
        }
        return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
    }

    static JsonNode last(String key) {
        List<JsonNode> all = kafka.statuses(key);
        return all.get(all.size() - 1);
    }
}
