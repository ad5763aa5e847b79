package dev.grantflow.grant.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.grantflow.kafka.KafkaBroker;
import dev.grantflow.model.event.Topics;
import dev.grantflow.model.fixtures.Fixtures;
import dev.grantflow.model.grant.GrantKey;
import dev.grantflow.testing.GrantflowAcls;
import dev.grantflow.testing.InjectKafkaBroker;
import dev.grantflow.testing.SaslKafkaBrokerResource;
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
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * grant-service against a broker that requires SASL/SCRAM-SHA-512 and enforces the ACLs of k8s/README.md, with the
 * SASL settings given as KAFKA_SECURITY_PROTOCOL, KAFKA_SASL_MECHANISM and KAFKA_SASL_JAAS_CONFIG, as the Deployment
 * gives them. Every Kafka client of the service authenticates as grantflow-grant-service within its ACLs: the grants
 * view (GrantTopicReader's Admin and assigned consumer, built by AssignedConsumerConfig), grants-in (group
 * grantflow-grant-service, dead-lettering to the DLQ), tenants-in (group grantflow-grant-service-tenants-uuid: the
 * prefix rule), status-out (idempotent, no cluster rule) and StatusTopicReader. Grants are posted by the
 * administrator principal, the only one that may write them; grant-service itself cannot.
 */
@QuarkusTest
@WithKubernetesTestServer(crud = true)
@QuarkusTestResource(value = SaslKafkaBrokerResource.class, restrictToAnnotatedClass = true,
        initArgs = @ResourceArg(name = "principal", value = GrantflowAcls.GRANT_SERVICE))
class SaslBrokerTest {

    @InjectKafkaBroker
    KafkaBroker broker;

    @Inject
    @Identifier("default-kafka-broker")
    Map<String, Object> kafkaConfig;

    @Inject
    GrantTopicReader grantsView;

    @Inject
    StatusTopicReader statusReader;

    @Test
    void everyClientOfTheServiceAuthenticatesAsGrantServiceWithinItsAcls() throws Exception {
        assertThat(AssignedConsumerConfig.from(kafkaConfig)).containsEntry("security.protocol", "SASL_PLAINTEXT")
                .containsEntry("sasl.mechanism", "SCRAM-SHA-512").containsKey("sasl.jaas.config")
                .doesNotContainKey("group.id");
        // Readiness: the grants view (Admin describe + assigned consumer) and tenants-in (group) caught up.
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> RestAssured.get("/q/health/ready")
                .then().statusCode(200));
        assertThat(grantsView.topicId()).isNotNull();

        // The administrator grants; grant-service answers with a status (whatever it decides: the point is that it
        // read the grant through its group and wrote the status).
        post(GrantflowAcls.ADMIN, "sasl-alice/sasl-secret", grant("sasl-alice", "sasl-secret"));
        assertThat(read(GrantflowAcls.ADMIN, Topics.GRANT_STATUS, r -> "sasl-alice/sasl-secret".equals(r.key())))
                .isNotEmpty();
        assertThat(statusReader.latest(Duration.ofSeconds(20)))
                .containsKey(GrantKey.parse("sasl-alice/sasl-secret").orElseThrow());

        // An unreadable record is dead-lettered by grant-service (Write on the DLQ).
        post(GrantflowAcls.ADMIN, "sasl-alice/garbage", "not json");
        assertThat(read(SaslKafkaBrokerResource.BROKER_ADMIN, Topics.GRANTS_DLQ,
                r -> "sasl-alice/garbage".equals(r.key()))).isNotEmpty();
    }

    @Test
    void withoutTheSaslSettingsTheAssignedConsumersGetNothing() {
        Map<String, Object> plain = new HashMap<>(kafkaConfig);
        plain.keySet().removeIf(key -> key.startsWith("sasl.") || key.equals("security.protocol"));
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(AssignedConsumerConfig.from(plain),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            assertThatThrownBy(() -> consumer.partitionsFor(Topics.GRANTS, Duration.ofSeconds(3)))
                    .isInstanceOf(org.apache.kafka.common.errors.TimeoutException.class);
        }
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(AssignedConsumerConfig.from(kafkaConfig),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            assertThat(consumer.partitionsFor(Topics.GRANTS, Duration.ofSeconds(10))).hasSize(3);
        }
    }

    @Test
    void grantServiceCannotWriteGrants() {
        Map<String, Object> config = new HashMap<>(kafkaConfig);
        config.keySet().removeIf(key -> key.startsWith("group."));
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(config, new StringSerializer(),
                new StringSerializer())) {
            // A bare tombstone: it would revoke the grant, and compaction would then drop the grant's older records.
            var sent = producer.send(new ProducerRecord<>(Topics.GRANTS, "sasl-alice/sasl-secret", null));
            assertThatThrownBy(() -> sent.get(30, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                    .hasCauseInstanceOf(TopicAuthorizationException.class);
        }
    }

    @Test
    void thePasswordIsNeverLogged() throws Exception {
        String jaas = broker.sasl().jaasConfig(GrantflowAcls.GRANT_SERVICE);
        String password = jaas.substring(jaas.indexOf("password=\"") + 10, jaas.lastIndexOf('"'));
        assertThat(Files.readString(Path.of("target/grant-service-test.log"), StandardCharsets.UTF_8))
                .contains("grant-service").doesNotContain(password);
    }

    private static String grant(String tenant, String name) {
        ObjectNode grant = (ObjectNode) Fixtures.tree("grant/v1-secret-ref.json");
        ((ObjectNode) grant.get("metadata")).put("tenant", tenant).put("name", name).put("generation", 1)
                .put("issuedAt", Instant.now().minusSeconds(60).toString());
        return grant.toString();
    }

    private void post(String principal, String key, String value) throws Exception {
        Map<String, Object> config = new HashMap<>(broker.clientSecurity(principal));
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(config, new StringSerializer(),
                new StringSerializer())) {
            producer.send(new ProducerRecord<>(Topics.GRANTS, key, value)).get(30, TimeUnit.SECONDS);
        }
    }

    private List<ConsumerRecord<String, String>> read(String principal, String topic,
            Predicate<ConsumerRecord<String, String>> wanted) {
        Map<String, Object> config = new HashMap<>(broker.clientSecurity(principal));
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        List<ConsumerRecord<String, String>> found = new CopyOnWriteArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config, new StringDeserializer(),
                new StringDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                    if (wanted.test(r)) {
                        found.add(r);
                    }
                }
                return !found.isEmpty();
            });
        }
        return found;
    }
}
