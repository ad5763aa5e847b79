package dev.grantflow.watcher.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.grantflow.kafka.KafkaBroker;
import dev.grantflow.model.event.Topics;
import dev.grantflow.testing.GrantflowTopics;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import io.restassured.RestAssured;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Map;
import org.hamcrest.Matchers;
import org.junit.jupiter.api.Test;

/**
 * The broker is down when a tenant appears: the failure shows in readiness and metrics, nothing is dropped, and the
 * record is published once the broker is back.
 */
@QuarkusTest
@WithKubernetesTestServer(crud = true)
@TestProfile(BrokerOutageTest.BrokerDown.class)
class BrokerOutageTest {

    static final int PORT = freePort();

    public static class BrokerDown implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "kafka.bootstrap.servers", "127.0.0.1:" + PORT,
                    "mp.messaging.outgoing.tenants-out.max.block.ms", "1000",
                    "mp.messaging.outgoing.tenants-out.request.timeout.ms", "1000",
                    "mp.messaging.outgoing.tenants-out.delivery.timeout.ms", "2000",
                    "grantflow.watcher.publish.send-timeout", "2s",
                    "grantflow.watcher.leader-election.enabled", "false");
        }
    }

    @Inject
    KubernetesClient client;

    @Test
    void failedSendsSurfaceInReadinessAndArePublishedWhenTheBrokerReturns() {
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("olivia")
                .addToLabels("app.kubernetes.io/part-of", "kubeflow-profile").endMetadata()
                .withNewStatus().withPhase("Active").endStatus().build()).create();

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> RestAssured.get("/q/health/ready")
                .then().statusCode(503)
                .body("checks.find { it.name == 'namespace-watcher' }.data.lastPublishFailure", Matchers.notNullValue()));
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> RestAssured.get("/q/metrics").then()
                .body(Matchers.not(Matchers.containsString("grantflow_watcher_publish_failures_total 0.0"))));

        try (KafkaBroker broker = KafkaBroker.start(KafkaBroker.Options.defaults().withPort(PORT));
                KafkaCompanion companion = new KafkaCompanion(broker.bootstrapServers())) {
            broker.createTopics(GrantflowTopics.specs());
            var records = companion.consumeStrings().fromTopics(Topics.TENANTS, 1)
                    .awaitCompletion(Duration.ofSeconds(60)).getRecords();
            assertThat(records.get(0).key()).isEqualTo("olivia");
            assertThat(records.get(0).value()).contains("\"type\":\"created\"");
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> RestAssured.get("/q/health/ready")
                    .then().statusCode(200));
        }
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
