package dev.grantflow.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.grantflow.kafka.KafkaBroker;
import dev.grantflow.model.event.Topics;
import io.smallrye.reactive.messaging.kafka.companion.ConsumerTask;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The broker launcher against the real broker: topics, cleanup policies, a produce/consume round trip. */
class KafkaBrokerRoundTripTest {

    static KafkaBroker broker;
    static KafkaCompanion companion;

    @BeforeAll
    static void start() {
        broker = KafkaBroker.start();
        broker.createTopics(GrantflowTopics.specs());
        companion = new KafkaCompanion(broker.bootstrapServers());
    }

    @AfterAll
    static void stop() {
        if (companion != null) {
            companion.close();
        }
        if (broker != null) {
            broker.close();
            assertThat(broker.isAlive()).isFalse();
        }
    }

    @Test
    void createsEveryProjectTopicWithItsCleanupPolicy() throws Exception {
        assertThat(broker.topicNames()).containsAll(
                Topics.ALL.stream().map(Topics.Definition::name).toList());

        try (Admin admin = broker.admin()) {
            List<ConfigResource> resources = Topics.ALL.stream()
                    .map(t -> new ConfigResource(ConfigResource.Type.TOPIC, t.name())).toList();
            Map<ConfigResource, Config> configs = admin.describeConfigs(resources).all().get(30, TimeUnit.SECONDS);
            Map<String, String> policies = configs.entrySet().stream().collect(Collectors.toMap(
                    e -> e.getKey().name(), e -> e.getValue().get("cleanup.policy").value()));
            assertThat(policies).containsExactlyInAnyOrderEntriesOf(Map.of(
                    Topics.TENANTS, "compact",
                    Topics.GRANTS, "compact",
                    Topics.GRANT_STATUS, "compact",
                    Topics.GRANTS_DLQ, "delete",
                    Topics.AUDIT, "delete"));
            assertThat(configs.get(new ConfigResource(ConfigResource.Type.TOPIC, Topics.AUDIT)).get("retention.ms")
                    .value()).isEqualTo(Long.toString(Topics.AUDIT_RETENTION.toMillis()));
        }
    }

    @Test
    void creatingTopicsTwiceIsHarmless() {
        broker.createTopics(GrantflowTopics.specs());
        assertThat(broker.topicNames()).contains(Topics.GRANTS);
    }

    @Test
    void recordsAndTombstonesRoundTripThroughTheBroker() {
        ConsumerTask<String, String> consumer = companion.consumeStrings()
                .fromTopics(Topics.GRANTS, 3);
        companion.produceStrings().fromRecords(List.of(
                new ProducerRecord<>(Topics.GRANTS, "alice/test-secret", "{\"v\":1}"),
                new ProducerRecord<>(Topics.GRANTS, "bob/test-secret", "{\"v\":2}"),
                new ProducerRecord<>(Topics.GRANTS, "alice/test-secret", null)))
                .awaitCompletion(Duration.ofSeconds(30));

        List<ConsumerRecord<String, String>> records = consumer.awaitCompletion(Duration.ofSeconds(30)).getRecords();
        assertThat(records).extracting(ConsumerRecord::key)
                .containsExactlyInAnyOrder("alice/test-secret", "bob/test-secret", "alice/test-secret");
        assertThat(records).filteredOn(r -> r.value() == null).hasSize(1)
                .first().extracting(ConsumerRecord::key).isEqualTo("alice/test-secret");
    }

    @Test
    void topicsAreNeverAutoCreated() {
        Map<String, Object> config = Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ProducerConfig.MAX_BLOCK_MS_CONFIG, 3000);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(config, new StringSerializer(),
                new StringSerializer())) {
            assertThatThrownBy(() -> producer.send(new ProducerRecord<>("grantflow.not-declared", "k", "v")).get())
                    .hasCauseInstanceOf(org.apache.kafka.common.errors.TimeoutException.class);
        }
        assertThat(broker.topicNames()).doesNotContain("grantflow.not-declared");
    }
}
