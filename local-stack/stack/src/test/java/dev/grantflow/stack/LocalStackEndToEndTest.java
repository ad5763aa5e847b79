package dev.grantflow.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.grantflow.model.event.Topics;
import dev.grantflow.model.grant.Grant;
import dev.grantflow.model.grant.GrantMetadata;
import dev.grantflow.model.grant.GrantPodDefault;
import dev.grantflow.model.grant.GrantSecret;
import dev.grantflow.model.grant.GrantSpec;
import dev.grantflow.model.grant.SecretSource;
import dev.grantflow.model.json.Json;
import dev.grantflow.model.poddefault.PodDefault;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The README's scenario end to end: three real service processes (their packaged quarkus-app jars), the real Kafka
 * broker and the Kubernetes API stand-in. Asserts every step, and that the planted secret values appear nowhere but
 * in Kubernetes Secrets: not in any topic, header, status or service log.
 */
class LocalStackEndToEndTest {

    static Platform platform;
    static SeedScenario.Result result;

    @BeforeAll
    static void runScenario() {
        Path root = Path.of(System.getProperty("grantflow.home", "../..")).toAbsolutePath().normalize();
        platform = Platform.start(root);
        result = new SeedScenario(platform).run();
    }

    @AfterAll
    static void stop() {
        if (platform != null) {
            platform.close();
        }
    }

    @Test
    void credentialsMaterializeWhenTheTenantAppearsAndReachTheNotebook() {
        assertThat(result.materializedMillis()).isPositive();
        assertThat(result.secretMountPath()).isEqualTo("/secret/test-secret");
        assertThat(result.dockerConfigPath()).isEqualTo("/home/jovyan/.docker/config.json");
    }

    @Test
    void rotationAndRevocationTakeEffect() {
        assertThat(result.rotatedHashBefore()).startsWith("sha256:");
        assertThat(result.rotatedHashAfter()).startsWith("sha256:").isNotEqualTo(result.rotatedHashBefore());
        assertThat(result.revokedObjectsGone()).isTrue();
        assertThat(result.revokedPodUnmounted()).isTrue();
    }

    @Test
    void aRestartedGrantServiceRebuildsFromKafkaAndWritesNothing() {
        var kube = platform.kube.client();
        String secretVersion = kube.secrets().inNamespace("alice").withName("docker-config").get()
                .getMetadata().getResourceVersion();
        String podDefaultVersion = kube.resources(PodDefault.class).inNamespace("alice")
                .withName("docker-config").get().getMetadata().getResourceVersion();

        long statuses = aliceStatuses();

        platform.restartGrantService();
        await().atMost(Duration.ofSeconds(60)).until(() -> platform.grantServiceIdle());

        assertThat(kube.secrets().inNamespace("alice").withName("docker-config").get().getMetadata()
                .getResourceVersion()).isEqualTo(secretVersion);
        assertThat(kube.resources(PodDefault.class).inNamespace("alice")
                .withName("docker-config").get().getMetadata().getResourceVersion()).isEqualTo(podDefaultVersion);
        assertThat(kube.secrets().inNamespace("alice").withName("test-secret").get()).as("still revoked").isNull();
        assertThat(aliceStatuses()).as("no status published again").isEqualTo(statuses);
    }

    @Test
    void secretValuesAppearNowhereButInKubernetesSecrets() throws IOException {
        List<String> haystacks = new ArrayList<>();
        for (Path log : platform.logs()) {
            haystacks.add(Files.readString(log));
        }
        for (Topics.Definition topic : Topics.ALL) {
            for (ConsumerRecord<String, String> record : readAll(topic.name())) {
                haystacks.add(record.key() + " " + record.value());
                record.headers().forEach(h -> haystacks.add(new String(h.value(), StandardCharsets.UTF_8)));
            }
        }
        assertThat(haystacks).hasSizeGreaterThan(10);
        for (String canary : result.canaries()) {
            assertThat(haystacks).noneMatch(text -> text.contains(canary));
        }

        // The scan can see a value where one is: the administrators' source Secret holds the rotated one.
        String source = Json.write(platform.kube.client().secrets().inNamespace(Platform.SOURCE_NAMESPACE)
                .withName("test-secret").get());
        assertThat(result.canaries()).anyMatch(source::contains);
    }

    @Test
    void twoGrantServiceInstancesShareTheGrantsAndASurvivorTakesOverAfterACrash() throws Exception {
        var kube = platform.kube.client();
        kube.secrets().inNamespace(Platform.SOURCE_NAMESPACE).resource(new SecretBuilder()
                .withNewMetadata().withName("shared-src").withNamespace(Platform.SOURCE_NAMESPACE).endMetadata()
                .withData(Map.of("k", SeedScenario.base64("v"))).build()).create();
        List<String> keys = new ArrayList<>();
        Set<Integer> allPartitions = new TreeSet<>();
        ServiceProcess another = platform.startAnotherGrantService();
        try (KafkaProducer<String, String> producer = producer()) {
            for (int t = 0; t < 6; t++) {
                for (int g = 0; g < 2; g++) {
                    var grant = Grant.of(new GrantMetadata(
                            "team-" + t, "cred-" + g, 1, Instant.now(), "admin@example.com"),
                            new GrantSpec(new GrantSecret(
                                    "cred-" + g, "Opaque", SecretSource.ofSecretRef(
                                            Platform.SOURCE_NAMESPACE, "shared-src")),
                                    new GrantPodDefault("cred-" + g, null, "cred-" + g,
                                            "/secret/cred-" + g, null, List.of()), null));
                    producer.send(new ProducerRecord<>(Topics.GRANTS, grant.key(),
                            Json.write(grant)));
                    keys.add(grant.key());
                }
                kube.namespaces().resource(new NamespaceBuilder().withNewMetadata()
                        .withName("team-" + t).addToLabels("app.kubernetes.io/part-of", "kubeflow-profile")
                        .endMetadata().withNewStatus().withPhase("Active").endStatus().build()).create();
            }
            producer.flush();
            await().atMost(Duration.ofSeconds(60)).until(() -> managedPodDefaults() == 12);
            // The group split the grants partitions: each instance reconciles its own share.
            Set<Integer> first = platform.grantServicePartitions();
            Set<Integer> second = Platform.grantsPartitions(another);
            assertThat(first).isNotEmpty();
            assertThat(second).isNotEmpty();
            assertThat(first).doesNotContainAnyElementsOf(second);
            allPartitions.addAll(first);
            allPartitions.addAll(second);
            Map<String, String> versions = podDefaultVersions();
            // Nobody fights over the objects.
            await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(4))
                    .until(() -> podDefaultVersions().equals(versions));

            // The second instance crashes (SIGKILL: it never leaves the group). Once its session times out, the first
            // takes its partitions over, rebuilds them from the topic and serves the revocations posted meanwhile.
            another.kill();
            keys.forEach(key -> producer.send(new ProducerRecord<>(Topics.GRANTS, key, null)));
            producer.flush();
        } finally {
            another.close();
        }
        await().atMost(Duration.ofSeconds(90)).until(() -> managedPodDefaults() == 0);
        await().atMost(Duration.ofSeconds(30)).until(() -> keys.stream()
                .allMatch(key -> String.valueOf(latestStatus(key)).contains("\"phase\":\"Revoked\"")));
        // The survivor owns every grants partition now.
        assertThat(platform.grantServicePartitions()).isEqualTo(allPartitions);
    }

    static long managedPodDefaults() {
        return platform.kube.client().resources(PodDefault.class).inAnyNamespace()
                .withLabel("app.kubernetes.io/managed-by", "grantflow").list().getItems().stream()
                .filter(pd -> pd.getMetadata().getNamespace().startsWith("team-")).count();
    }

    static Map<String, String> podDefaultVersions() {
        Map<String, String> versions = new TreeMap<>();
        platform.kube.client().resources(PodDefault.class).inAnyNamespace().list()
                .getItems().stream().filter(pd -> pd.getMetadata().getNamespace().startsWith("team-"))
                .forEach(pd -> versions.put(pd.getMetadata().getNamespace() + "/" + pd.getMetadata().getName(),
                        pd.getMetadata().getResourceVersion()));
        return versions;
    }

    static String latestStatus(String key) {
        String latest = null;
        for (ConsumerRecord<String, String> record : readAll(Topics.GRANT_STATUS)) {
            if (key.equals(record.key())) {
                latest = record.value();
            }
        }
        return latest;
    }

    static long aliceStatuses() {
        return readAll(Topics.GRANT_STATUS).stream().filter(r -> r.key() != null && r.key().startsWith("alice/")).count();
    }

    static KafkaProducer<String, String> producer() {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                platform.broker.bootstrapServers());
        return new KafkaProducer<>(props,
                new StringSerializer(),
                new StringSerializer());
    }

    static List<ConsumerRecord<String, String>> readAll(String topic) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, platform.broker.bootstrapServers());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        List<ConsumerRecord<String, String>> records = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
                new StringDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))
                    && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(100)).forEach(records::add);
            }
        }
        return records;
    }
}
