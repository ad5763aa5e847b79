package dev.grantflow.stack;

import dev.grantflow.kafka.FreePorts;
import dev.grantflow.kafka.KafkaBroker;
import dev.grantflow.model.event.Topics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Everything the scenario runs on: the real Kafka broker with the project's topics, the Kubernetes API (stand-in or
 * {@code KUBECONFIG}'s cluster) with the PodDefault CRD, and the three services as separate JVMs, each ready.
 */
final class Platform implements AutoCloseable {

    static final String SOURCE_NAMESPACE = "grantflow-sources";

    /**
     * How a platform is set up: its work directory (under {@code target/}) and what the services use as the
     * Kubernetes API (null: the stand-in itself; otherwise a function of the stand-in's URL, e.g. one that starts a
     * proxy in front of it and returns the proxy's URL).
     */
    record Setup(String workDirName, java.util.function.UnaryOperator<java.net.URI> kubeFront) {

        static Setup defaults() {
            return new Setup("local-stack", null);
        }

        Setup withWorkDir(String name) {
            return new Setup(name, kubeFront);
        }

        Setup withKubeFront(java.util.function.UnaryOperator<java.net.URI> front) {
            return new Setup(workDirName, front);
        }
    }

    private final Deque<AutoCloseable> started = new ArrayDeque<>();
    private final Path workDir;
    private final Setup setup;
    private Path root;
    private Map<String, String> watcherEnv;
    private Map<String, String> grantEnv;
    private int grantPort;
    private final List<Path> extraLogs = new java.util.ArrayList<>();
    KafkaBroker broker;
    KubeStandIn kube;
    ServiceProcess watcher;
    ServiceProcess grantService;
    ServiceProcess admission;
    WebhookTls tls;
    StackKeys keys;
    String webhookUrl;

    private Platform(Path workDir, Setup setup) {
        this.workDir = workDir;
        this.setup = setup;
    }

    static Platform start(Path root) {
        return start(root, Setup.defaults());
    }

    static Platform start(Path root, Setup setup) {
        Path workDir = root.resolve("target").resolve(setup.workDirName());
        Platform platform = new Platform(workDir, setup);
        try {
            platform.startAll(root);
            return platform;
        } catch (RuntimeException e) {
            platform.close();
            throw e;
        }
    }

    private void startAll(Path root) {
        this.root = root;
        try {
            Files.createDirectories(workDir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        broker = Progress.waitFor("Kafka broker (KRaft, separate JVM)", () -> KafkaBroker.start(
                KafkaBroker.Options.defaults().withWorkDir(workDir.resolve("kafka"), true)));
        started.push(broker);
        broker.createTopics(Topics.ALL.stream()
                .map(t -> new KafkaBroker.TopicSpec(t.name(), t.partitions(), t.config())).toList());
        Progress.info("Kafka at " + broker.bootstrapServers() + ", topics " + broker.topicNames().stream()
                .filter(n -> n.startsWith("grantflow.")).sorted().toList());

        kube = Progress.waitFor("Kubernetes API", KubeStandIn::start);
        started.push(kube);
        Progress.info(kube.describe());
        kube.applyCrd(root.resolve("k8s/crd/poddefaults.kubeflow.org.yaml"));

        Map<String, String> kubeEnv = setup.kubeFront() == null ? kube.serviceEnvironment()
                : kube.serviceEnvironmentVia(setup.kubeFront().apply(kube.url()));
        Map<String, String> common = new HashMap<>(kubeEnv);
        common.put("KAFKA_BOOTSTRAP_SERVERS", broker.bootstrapServers());

        watcherEnv = new HashMap<>(common);
        watcherEnv.put("GRANTFLOW_WATCHER_LEADER_ELECTION_LEASE_NAMESPACE", "default");
        watcher = ServiceProcess.start(root, "namespace-watcher", freePort(), watcherEnv, workDir);
        started.push(watcher);

        keys = StackKeys.generate(workDir.resolve("keys"));
        grantEnv = new HashMap<>(common);
        grantEnv.put("GRANTFLOW_GRANTS_SOURCE_NAMESPACE", SOURCE_NAMESPACE);
        grantEnv.putAll(keys.grantServiceEnvironment());
        grantPort = freePort();
        grantService = ServiceProcess.start(root, "grant-service", grantPort, grantEnv, workDir);
        started.push(grantService);

        tls = WebhookTls.generate(workDir.resolve("webhook-certs"));
        int[] ports = FreePorts.of(3);
        int httpsPort = ports[0];
        int managementPort = ports[1];
        Map<String, String> admissionEnv = new HashMap<>(kubeEnv);
        admissionEnv.put("QUARKUS_HTTP_SSL_PORT", Integer.toString(httpsPort));
        admissionEnv.put("QUARKUS_MANAGEMENT_PORT", Integer.toString(managementPort));
        admissionEnv.put("GRANTFLOW_TLS_CERT_FILE", tls.certFile().toString());
        admissionEnv.put("GRANTFLOW_TLS_KEY_FILE", tls.keyFile().toString());
        admission = ServiceProcess.start(root, "admission-service", ports[2], admissionEnv, workDir,
                List.of("-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"),
                "http://127.0.0.1:" + managementPort + "/q/health/ready");
        started.push(admission);
        webhookUrl = "https://localhost:" + httpsPort + "/apply-poddefault";

        for (ServiceProcess service : List.of(watcher, grantService, admission)) {
            Progress.waitFor(service.name() + " ready", () -> {
                service.awaitReady(Duration.ofSeconds(120));
                return null;
            });
        }
        Progress.info("namespace-watcher " + watcher.url() + ", grant-service " + grantService.url()
                + ", admission-service " + webhookUrl.replace("/apply-poddefault", "") + " (HTTPS, self-signed)");
    }

    /** Stops grant-service and starts it again on the same port; returns once it is ready. */
    void restartGrantService() {
        started.remove(grantService);
        grantService.close();
        grantService = ServiceProcess.start(root, "grant-service", grantPort, grantEnv, workDir.resolve("restarted"));
        started.push(grantService);
        grantService.awaitReady(Duration.ofSeconds(120));
    }

    /** Another grant-service instance in the same consumer group, logging under {@code name}; the caller closes it. */
    ServiceProcess startAnotherGrantService(String name) {
        return startAnotherGrantService(name, List.of());
    }

    /** As above, with extra JVM options (e.g. {@code -D} settings of the grants consumer). */
    ServiceProcess startAnotherGrantService(String name, List<String> jvmOptions) {
        List<String> options = new java.util.ArrayList<>(ServiceProcess.DEFAULT_JVM_OPTIONS);
        options.addAll(jvmOptions);
        ServiceProcess another = ServiceProcess.start(root, "grant-service", freePort(), grantEnv,
                workDir.resolve(name), options);
        extraLogs.add(another.log());
        another.awaitReady(Duration.ofSeconds(120));
        return another;
    }

    /**
     * Another namespace-watcher replica in the Lease election, logging under {@code name}, with {@code environment}
     * on top of the first one's (e.g. its identity in the Lease). Stopped when the platform closes.
     */
    ServiceProcess startAnotherWatcher(String name, Map<String, String> environment) {
        Map<String, String> env = new HashMap<>(watcherEnv);
        env.putAll(environment);
        ServiceProcess another = ServiceProcess.start(root, "namespace-watcher", freePort(), env,
                workDir.resolve(name));
        started.push(another);
        extraLogs.add(another.log());
        another.awaitReady(Duration.ofSeconds(120));
        return another;
    }

    /** grant-service has no key queued or being reconciled. */
    boolean grantServiceIdle() {
        return grantService.readinessData("grant-service").path("idle").asBoolean(false);
    }

    /** Full resync passes grant-service completed since it started (every key reconciled once per pass). */
    long grantServiceResyncs() {
        return grantService.readinessData("grant-service").path("resyncsCompleted").asLong(0);
    }

    /** The grant shards the (first) grant-service instance acts on. */
    Set<Integer> grantServiceShards() {
        return grantsShards(grantService);
    }

    /** The grant shards a grant-service instance acts on, read from its readiness data ("0,2"; "" for none). */
    static Set<Integer> grantsShards(ServiceProcess instance) {
        String owned = instance.readinessData("grant-service").path("grantsShards").asText();
        return owned.isEmpty() ? Set.of()
                : Arrays.stream(owned.split(",")).map(Integer::valueOf).collect(Collectors.toCollection(TreeSet::new));
    }

    /** The log files of the three services. */
    List<Path> logs() {
        List<Path> logs = new java.util.ArrayList<>(List.of(watcher.log(), admission.log()));
        logs.add(workDir.resolve("grant-service.log"));
        logs.addAll(extraLogs);
        if (!grantService.log().equals(workDir.resolve("grant-service.log"))) {
            logs.add(grantService.log());
        }
        return logs;
    }

    @Override
    public void close() {
        while (!started.isEmpty()) {
            try {
                started.pop().close();
            } catch (Exception e) {
                System.out.println("    (cleanup: " + e.getMessage() + ")");
            }
        }
    }

    static int freePort() {
        return FreePorts.of(1)[0];
    }
}
