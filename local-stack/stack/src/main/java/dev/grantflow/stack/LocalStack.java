package dev.grantflow.stack;

import dev.grantflow.kafka.KafkaBroker;
import dev.grantflow.model.event.Topics;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * The local stack in one command: a real Kafka broker, a local Kubernetes API stand-in (or the cluster of
 * {@code KUBECONFIG}), the Grantflow services as separate JVMs, then the seed scenario with progress lines.
 *
 * <p>Usage: {@code java -jar local-stack/stack/target/grantflow-local-stack.jar [--keep]} from the project root.
 * With {@code --keep} the stack stays up after the scenario (addresses printed) until Ctrl-C.
 */
public final class LocalStack {

    private final Deque<AutoCloseable> started = new ArrayDeque<>();
    private final Path root;
    private final Path workDir;

    private LocalStack(Path root) {
        this.root = root;
        this.workDir = root.resolve("target/local-stack");
    }

    public static void main(String[] args) {
        boolean keep = List.of(args).contains("--keep");
        Path root = Path.of(System.getProperty("grantflow.home", ".")).toAbsolutePath().normalize();
        LocalStack stack = new LocalStack(root);
        Runtime.getRuntime().addShutdownHook(new Thread(stack::stopAll, "local-stack-cleanup"));
        int exit = 0;
        try {
            stack.run(keep);
        } catch (RuntimeException e) {
            System.out.println("FAILED: " + e.getMessage());
            exit = 1;
        } finally {
            stack.stopAll();
        }
        System.exit(exit);
    }

    private void run(boolean keep) throws RuntimeException {
        Instant start = Instant.now();
        prepareWorkDir();

        Progress.step("Starting the platform");
        KafkaBroker broker = Progress.waitFor("Kafka broker (KRaft, separate JVM)", () -> KafkaBroker.start(
                KafkaBroker.Options.defaults().withWorkDir(workDir.resolve("kafka"), true)));
        started.push(broker);
        broker.createTopics(Topics.ALL.stream()
                .map(t -> new KafkaBroker.TopicSpec(t.name(), t.partitions(), t.config())).toList());
        Progress.info("Kafka at " + broker.bootstrapServers() + ", topics " + broker.topicNames().stream()
                .filter(n -> n.startsWith("grantflow.")).sorted().toList());

        KubeStandIn kube = Progress.waitFor("Kubernetes API", KubeStandIn::start);
        started.push(kube);
        Progress.info(kube.describe());

        Map<String, String> env = new HashMap<>(kube.serviceEnvironment());
        env.put("KAFKA_BOOTSTRAP_SERVERS", broker.bootstrapServers());
        env.put("GRANTFLOW_WATCHER_LEADER_ELECTION_LEASE_NAMESPACE", "default");
        ServiceProcess watcher = ServiceProcess.start(root, "namespace-watcher", freePort(), env, workDir);
        started.push(watcher);
        Progress.waitFor("namespace-watcher ready at " + watcher.url(), () -> {
            watcher.awaitReady(Duration.ofSeconds(90));
            return null;
        });

        Progress.step("Tenant alice logs in: her profile namespace appears");
        try (TenantTopic tenants = new TenantTopic(broker.bootstrapServers())) {
            Instant created = Instant.now();
            kube.client().namespaces().resource(new NamespaceBuilder()
                    .withNewMetadata().withName("alice")
                    .addToLabels("app.kubernetes.io/part-of", "kubeflow-profile")
                    .addToAnnotations("owner", "alice@example.com")
                    .endMetadata()
                    .withNewStatus().withPhase("Active").endStatus()
                    .build()).create();
            ConsumerRecord<String, String> event = Progress.waitFor("tenant event on " + Topics.TENANTS,
                    () -> tenants.await("alice", Duration.ofSeconds(30)));
            Progress.info("key=" + event.key() + " ce_type=" + header(event, "ce_type") + " value=" + event.value());
            Progress.info("namespace -> Kafka in " + Duration.between(created, Instant.now()).toMillis() + " ms");
        }

        Progress.step("Done in " + Duration.between(start, Instant.now()).toSeconds() + " s: Kafka broker, "
                + (kube.isStandIn() ? "API stand-in" : "cluster") + " and namespace-watcher worked end to end");
        if (keep) {
            Progress.step("Stack left running (Ctrl-C stops it):");
            Progress.info("Kafka bootstrap servers: " + broker.bootstrapServers());
            Progress.info("Kubernetes API: " + kube.client().getMasterUrl());
            Progress.info("namespace-watcher: " + watcher.url() + " (logs: " + watcher.log() + ")");
            awaitInterrupt();
        }
    }

    private void prepareWorkDir() {
        try {
            Files.createDirectories(workDir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private synchronized void stopAll() {
        while (!started.isEmpty()) {
            try {
                started.pop().close();
            } catch (Exception e) {
                System.out.println("    (cleanup: " + e.getMessage() + ")");
            }
        }
    }

    private static void awaitInterrupt() {
        try {
            new CountDownLatch(1).await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String header(ConsumerRecord<?, ?> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    /** Reads {@code grantflow.tenants.v1} from the beginning, looking for a key. */
    private static final class TenantTopic implements AutoCloseable {
        private final KafkaConsumer<String, String> consumer;

        TenantTopic(String bootstrap) {
            Properties props = new Properties();
            props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
            props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
            consumer = new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer());
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.TENANTS).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
        }

        ConsumerRecord<String, String> await(String key, Duration timeout) {
            Instant deadline = Instant.now().plus(timeout);
            while (Instant.now().isBefore(deadline)) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(100))) {
                    if (key.equals(record.key())) {
                        return record;
                    }
                }
            }
            throw new IllegalStateException("no record for " + key + " within " + timeout.toSeconds() + " s");
        }

        @Override
        public void close() {
            consumer.close();
        }
    }
}
