package dev.grantflow.watcher.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.grantflow.kafka.KafkaBroker;
import dev.grantflow.model.event.Topics;
import dev.grantflow.testing.GrantflowAcls;
import dev.grantflow.testing.InjectKafkaBroker;
import dev.grantflow.testing.SaslKafkaBrokerResource;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import io.restassured.RestAssured;
import io.smallrye.common.annotation.Identifier;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * namespace-watcher against a broker that requires SASL/SCRAM-SHA-512 and enforces the ACLs of k8s/README.md, with
 * the SASL settings given as KAFKA_SECURITY_PROTOCOL, KAFKA_SASL_MECHANISM and KAFKA_SASL_JAAS_CONFIG, as the
 * Deployments give them. Every Kafka client the service has authenticates as grantflow-namespace-watcher: the
 * tenants-out channel, the leader's tenants reader (TenantTopicReader) and the readiness check (KafkaReachability).
 * Built from the same configuration without the SASL settings, the reader and the check fail; and the principal may
 * not write the grants topic.
 */
@QuarkusTest
@WithKubernetesTestServer(crud = true)
@QuarkusTestResource(value = SaslKafkaBrokerResource.class, restrictToAnnotatedClass = true,
        initArgs = @ResourceArg(name = "principal", value = GrantflowAcls.NAMESPACE_WATCHER))
class SaslBrokerTest {

    @InjectKafkaBroker
    KafkaBroker broker;

    @Inject
    KubernetesClient client;

    @Inject
    @Identifier("default-kafka-broker")
    Map<String, Object> kafkaConfig;

    @Inject
    TenantTopicReader reader;

    @Inject
    KafkaReachability reachability;

    @Test
    void everyClientOfTheServiceAuthenticatesAsTheWatcher() throws Exception {
        assertThat(kafkaConfig).containsEntry("security.protocol", "SASL_PLAINTEXT")
                .containsEntry("sasl.mechanism", "SCRAM-SHA-512").containsKey("sasl.jaas.config");

        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("sasl-alice")
                .addToLabels("app.kubernetes.io/part-of", "kubeflow-profile").endMetadata()
                .withNewStatus().withPhase("Active").endStatus().build()).create();

        // tenants-out (idempotent producer, Write on the tenants topic, no cluster rule)
        assertThat(readTenantsAsSuperUser()).contains("sasl-alice");
        // KafkaReachability (readiness)
        assertThat(reachability.problem()).isNull();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> RestAssured.get("/q/health/ready")
                .then().statusCode(200));
        // TenantTopicReader (assigned consumer, Read on the tenants topic)
        assertThat(reader.liveKeys(Duration.ofSeconds(10))).contains("sasl-alice");
    }

    @Test
    void withoutTheSaslSettingsTheServicesOwnClientsGetNothing() {
        Map<String, Object> plain = new HashMap<>(kafkaConfig);
        plain.keySet().removeIf(key -> key.startsWith("sasl.") || key.equals("security.protocol"));

        TenantTopicReader plainReader = new TenantTopicReader();
        plainReader.kafkaConfig = plain;
        plainReader.topic = Topics.TENANTS;
        assertThatThrownBy(() -> plainReader.liveKeys(Duration.ofSeconds(3)))
                .isInstanceOf(org.apache.kafka.common.errors.TimeoutException.class);

        KafkaReachability plainCheck = new KafkaReachability();
        plainCheck.kafkaConfig = plain;
        try {
            assertThat(plainCheck.problem()).isNotNull();
        } finally {
            plainCheck.onStop(null);
        }
    }

    @Test
    void theWatchersPrincipalCannotWriteGrants() {
        Map<String, Object> config = new HashMap<>(kafkaConfig);
        config.keySet().removeIf(key -> key.startsWith("group."));
        config.put("max.block.ms", 10_000);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(config, new StringSerializer(),
                new StringSerializer())) {
            var sent = producer.send(new ProducerRecord<>(Topics.GRANTS, "sasl-alice/test-secret", null));
            assertThatThrownBy(() -> sent.get(30, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                    .hasCauseInstanceOf(TopicAuthorizationException.class);
        }
    }

    @Test
    void thePasswordIsNeverLogged() throws Exception {
        String jaas = broker.sasl().jaasConfig(GrantflowAcls.NAMESPACE_WATCHER);
        String password = jaas.substring(jaas.indexOf("password=\"") + 10, jaas.lastIndexOf('"'));
        Path log = Path.of("target/namespace-watcher-test.log");
        assertThat(log).exists();
        assertThat(Files.readString(log, StandardCharsets.UTF_8)).contains("namespace-watcher")
                .doesNotContain(password);
    }

    private List<String> readTenantsAsSuperUser() {
        // Grantflow's administrators may not read tenants (no rule): the launcher's super user reads them.
        Map<String, Object> config = new HashMap<>(broker.clientSecurity(SaslKafkaBrokerResource.BROKER_ADMIN));
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        List<String> keys = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config, new StringDeserializer(),
                new StringDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.TENANTS).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                    keys.add(r.key());
                }
                return keys.contains("sasl-alice");
            });
        }
        return keys;
    }
}
