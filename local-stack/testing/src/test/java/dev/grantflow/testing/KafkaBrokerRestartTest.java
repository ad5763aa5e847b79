package dev.grantflow.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.grantflow.kafka.KafkaBroker;
import dev.grantflow.model.event.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link KafkaBroker#stop()} and {@link KafkaBroker#restart()}: an outage of the broker, which comes back on the same
 * port and the same KRaft storage (the same topic and its records); a client of the first run reconnects.
 */
class KafkaBrokerRestartTest {

    @Test
    void aStoppedBrokerComesBackOnTheSamePortWithItsData() throws Exception {
        try (KafkaBroker broker = KafkaBroker.start()) {
            broker.createTopics(GrantflowTopics.specs());
            String bootstrap = broker.bootstrapServers();
            Uuid topicId = topicId(broker);
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap), new StringSerializer(),
                    new StringSerializer())) {
                producer.send(new ProducerRecord<>(Topics.GRANTS, 0, "before/stop", "1")).get(30, TimeUnit.SECONDS);

                broker.stop();
                assertThat(broker.isAlive()).isFalse();
                try (Admin admin = broker.admin()) {
                    assertThatThrownBy(() -> admin.describeCluster(new DescribeClusterOptions().timeoutMs(2_000))
                            .nodes().get(10, TimeUnit.SECONDS))
                            .hasCauseInstanceOf(org.apache.kafka.common.errors.TimeoutException.class);
                }
                broker.restart();
                assertThat(broker.isAlive()).isTrue();
                assertThat(broker.bootstrapServers()).isEqualTo(bootstrap);
                // The same producer reconnects to the same address.
                assertThat(producer.send(new ProducerRecord<>(Topics.GRANTS, 0, "after/restart", "2"))
                        .get(60, TimeUnit.SECONDS).offset()).isEqualTo(1);
            }
            assertThat(topicId(broker)).as("the same topic, not created again").isEqualTo(topicId);
            assertThat(readPartitionZero(bootstrap)).containsExactly("before/stop", "after/restart");
            assertThatThrownBy(broker::restart).isInstanceOf(IllegalStateException.class);
        }
    }

    @Test
    void aScratchDirectoryThatAKilledRunLeftIsClearedAtStart(@TempDir Path work) throws Exception {
        Path dir = work.resolve("kafka");
        // A run that never closed its broker (killed) leaves its KRaft storage, of another cluster id.
        try (KafkaBroker left = KafkaBroker.start(KafkaBroker.Options.defaults().withWorkDir(dir, false))) {
            left.createTopics(GrantflowTopics.specs());
        }
        assertThat(dir.resolve("data/meta.properties")).exists();

        try (KafkaBroker broker = KafkaBroker.start(KafkaBroker.Options.defaults().withWorkDir(dir, true))) {
            assertThat(broker.topicNames()).as("a new, empty cluster").doesNotContain(Topics.GRANTS);
        }
        assertThat(dir).doesNotExist();
    }

    private static Uuid topicId(KafkaBroker broker) throws Exception {
        try (Admin admin = broker.admin()) {
            return admin.describeTopics(List.of(Topics.GRANTS)).allTopicNames().get(30, TimeUnit.SECONDS)
                    .get(Topics.GRANTS).topicId();
        }
    }

    private static List<String> readPartitionZero(String bootstrap) {
        List<String> keys = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap), new StringDeserializer(),
                new StringDeserializer())) {
            TopicPartition partition = new TopicPartition(Topics.GRANTS, 0);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            long end = consumer.endOffsets(List.of(partition)).get(partition);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (consumer.position(partition) < end && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    keys.add(record.key());
                }
            }
        }
        return keys;
    }
}
