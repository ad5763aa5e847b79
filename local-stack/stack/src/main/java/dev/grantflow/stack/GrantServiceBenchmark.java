package dev.grantflow.stack;

import dev.grantflow.kafka.KafkaBroker;
import dev.grantflow.model.event.Topics;
import dev.grantflow.trust.Signatures;
import dev.grantflow.model.json.Json;
import dev.grantflow.model.poddefault.PodDefault;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Measures grant-service against the real broker and the local Kubernetes API stand-in (see docs/benchmarks.md):
 * <ol>
 *   <li>single tenant: a grant is pending; the tenant's {@code created} record is produced; time until its Secret
 *       and PodDefault exist (seen by a watch), repeated, p50/p99;</li>
 *   <li>burst: {@code tenants} x {@code grants} pending grants, then every tenant's {@code created} record at once;
 *       time until all objects exist;</li>
 *   <li>rebuild: the service restarts over {@code rebuild} grants; time from process start to ready (both topics
 *       caught up, informers synced), and heap used after a full GC.</li>
 * </ol>
 * Usage: {@code java -cp local-stack/stack/target/grantflow-local-stack.jar dev.grantflow.stack.GrantServiceBenchmark
 * [tenants=1000] [grants=5] [single=50] [rebuild=100000]} from the project root.
 */
public final class GrantServiceBenchmark {

    private static final String SOURCES = "grantflow-sources";
    private static final String PENDING = "\"phase\":\"Pending\"";
    /** Production-like JVM: room to measure the heap instead of a limit that would hide it. */
    private static final List<String> JVM = List.of("-Xmx1g", "-XX:+UseG1GC");

    private static StackKeys keys;

    public static void main(String[] args) throws Exception {
        Map<String, Integer> opts = new HashMap<>(Map.of("tenants", 1000, "grants", 5, "single", 50, "rebuild", 100_000));
        for (String arg : args) {
            String[] kv = arg.split("=", 2);
            opts.put(kv[0], Integer.parseInt(kv[1]));
        }
        Path root = Path.of(System.getProperty("grantflow.home", ".")).toAbsolutePath().normalize();
        Path work = Files.createDirectories(root.resolve("target/bench-grant-service"));
        try (KafkaBroker broker = KafkaBroker.start(KafkaBroker.Options.defaults().withWorkDir(work.resolve("kafka"), true));
                KubeStandIn kube = KubeStandIn.start()) {
            broker.createTopics(Topics.ALL.stream()
                    .map(t -> new KafkaBroker.TopicSpec(t.name(), t.partitions(), t.config())).toList());
            for (int g = 0; g < opts.get("grants"); g++) {
                kube.client().secrets().inNamespace(SOURCES).resource(new SecretBuilder().withNewMetadata()
                        .withName("cred-" + g).withNamespace(SOURCES).endMetadata()
                        .withData(Map.of("foo", Base64.getEncoder().encodeToString(("value-" + g).getBytes(StandardCharsets.UTF_8))))
                        .build()).create();
            }
            rawStandInCeiling(kube, opts.get("tenants") * opts.get("grants") * 2);
            Map<String, Instant> seen = new ConcurrentHashMap<>();
            watch(kube, seen);

            Map<String, String> env = new HashMap<>(kube.serviceEnvironment());
            env.put("KAFKA_BOOTSTRAP_SERVERS", broker.bootstrapServers());
            // The production trust setting: every grant is signed (the signing happens here, in the producer).
            keys = StackKeys.generate(work.resolve("keys"));
            env.putAll(keys.grantServiceEnvironment());
            int port = freePort();
            int total = opts.get("rebuild");
            try (KafkaProducer<String, String> producer = producer(broker.bootstrapServers());
                    TopicReader statuses = new TopicReader(broker.bootstrapServers(), Topics.GRANT_STATUS, false)) {
                ServiceProcess service = ServiceProcess.start(root, "grant-service", port, env, work, JVM);
                try {
                    service.awaitReady(Duration.ofSeconds(120));
                    singleTenant(kube, producer, statuses, seen, opts.get("single"));
                    burst(kube, producer, statuses, seen, opts.get("tenants"), opts.get("grants"));
                    System.out.printf("after the burst: %s%n", retries(service));
                    Instant posting = Instant.now();
                    for (int i = 0; i < total; i++) {
                        send(producer, grant("r-" + (i / 10), "g" + (i % 10), "cred-" + (i % opts.get("grants"))));
                    }
                    producer.flush();
                    System.out.printf("rebuild: posted %d grants in %d ms%n", total, millis(posting));
                    await("statuses of the " + total + " grants", Duration.ofMinutes(10),
                            () -> statuses.countLatest("r-", PENDING) >= total);
                } finally {
                    service.close();
                }
                Instant restart = Instant.now();
                ServiceProcess again = ServiceProcess.start(root, "grant-service", port, env, work, JVM);
                try {
                    again.awaitReady(Duration.ofMinutes(5));
                    System.out.printf("rebuild: restart to ready (both topics caught up, informers synced) over %d "
                            + "grants: %d ms%n", total + opts.get("tenants") * opts.get("grants") + opts.get("single"),
                            millis(restart));
                    Progress.pause(Duration.ofSeconds(1));
                    await("every key reconciled after the restart", Duration.ofMinutes(10), () -> idle(again));
                    System.out.printf("rebuild: restart to every key reconciled (no writes needed): %d ms%n",
                            millis(restart));
                    Progress.pause(Duration.ofSeconds(20));
                    System.out.printf("heap used after full GC: %d MiB (process RSS %d MiB)%n",
                            heapAfterGc(again), rssMiB(again));
                } finally {
                    again.close();
                }
            }
        }
        System.exit(0);
    }

    private static void singleTenant(KubeStandIn kube, KafkaProducer<String, String> producer, TopicReader statuses,
            Map<String, Instant> seen, int count) {
        List<Long> latencies = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String tenant = "single-" + i;
            // grant-service confirms a tenant from its own Namespace informer: the profile namespace exists first.
            namespace(kube, tenant);
            send(producer, grant(tenant, "g0", "cred-0"));
            producer.flush();
            await("pending " + tenant, Duration.ofSeconds(30), () -> String.valueOf(statuses.latest(tenant + "/g0")).contains(PENDING));
            Instant start = Instant.now();
            tenant(producer, tenant);
            await("objects of " + tenant, Duration.ofSeconds(30), () -> seen.containsKey(tenant + "/PodDefault/g0")
                    && seen.containsKey(tenant + "/Secret/g0"));
            latencies.add(Duration.between(start, later(seen.get(tenant + "/PodDefault/g0"),
                    seen.get(tenant + "/Secret/g0"))).toMillis());
        }
        System.out.printf("single tenant (%d runs): created record -> Secret+PodDefault p50 %d ms, p99 %d ms, max %d ms%n",
                count, percentile(latencies, 50), percentile(latencies, 99), percentile(latencies, 100));
    }

    private static void burst(KubeStandIn kube, KafkaProducer<String, String> producer, TopicReader statuses,
            Map<String, Instant> seen, int tenants, int grants) throws InterruptedException {
        for (int t = 0; t < tenants; t++) {
            for (int g = 0; g < grants; g++) {
                send(producer, grant("burst-" + t, "g" + g, "cred-" + g));
            }
        }
        producer.flush();
        await(tenants * grants + " pending grants", Duration.ofMinutes(5),
                () -> statuses.countLatest("burst-", PENDING) >= tenants * grants);
        // The profile namespaces exist before their tenant records (grant-service confirms tenants from them).
        inParallel(tenants, t -> namespace(kube, "burst-" + t));
        Instant start = Instant.now();
        for (int t = 0; t < tenants; t++) {
            tenant(producer, "burst-" + t);
        }
        producer.flush();
        int objects = tenants * grants * 2;
        await(objects + " objects", Duration.ofMinutes(10),
                () -> seen.keySet().stream().filter(k -> k.startsWith("burst-")).count() >= objects);
        List<Long> perTenant = new ArrayList<>();
        for (int t = 0; t < tenants; t++) {
            String prefix = "burst-" + t + "/";
            perTenant.add(seen.entrySet().stream().filter(e -> e.getKey().startsWith(prefix))
                    .map(e -> Duration.between(start, e.getValue()).toMillis()).max(Long::compare).orElseThrow());
        }
        System.out.printf("burst: %d tenants x %d grants = %d objects fully applied in %d ms "
                        + "(per tenant p50 %d ms, p99 %d ms)%n", tenants, grants, objects,
                percentile(perTenant, 100), percentile(perTenant, 50), percentile(perTenant, 99));
    }

    /**
     * The API stand-in's own ceiling: {@code count} Secret creates from 8 client threads, no Grantflow involved (the
     * mock server scans its store on every request, so its cost grows with the number of objects it holds).
     */
    private static void rawStandInCeiling(KubeStandIn kube, int count) throws InterruptedException {
        Instant start = Instant.now();
        inParallel(count, n -> kube.client().secrets().inNamespace("raw-" + (n / 10)).resource(new SecretBuilder()
                .withNewMetadata().withName("raw-" + n).withNamespace("raw-" + (n / 10)).endMetadata()
                .withData(Map.of("k", "dg==")).build()).create());
        System.out.printf("stand-in ceiling: %d Secret creates from 8 threads, no Grantflow: %d ms%n", count,
                millis(start));
        inParallel(count, n -> kube.client().secrets().inNamespace("raw-" + (n / 10)).withName("raw-" + n).delete());
    }

    private static void inParallel(int count, java.util.function.IntConsumer task) throws InterruptedException {
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(8);
        for (int i = 0; i < count; i++) {
            int n = i;
            pool.submit(() -> task.accept(n));
        }
        pool.shutdown();
        pool.awaitTermination(10, java.util.concurrent.TimeUnit.MINUTES);
    }

    /** The service's retry counter (reconciles repeated after a failed API call), from its Prometheus endpoint. */
    private static String retries(ServiceProcess service) throws IOException, InterruptedException {
        String metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(service.url() + "/q/metrics"))
                .build(), HttpResponse.BodyHandlers.ofString()).body();
        return metrics.lines().filter(line -> line.startsWith("grantflow_reconcile_retries_total")).findFirst()
                .orElse("grantflow_reconcile_retries_total missing");
    }

    /** The grant-service readiness check says no key is queued or being reconciled. */
    private static boolean idle(ServiceProcess service) {
        return service.readinessData("grant-service").path("idle").asBoolean(false);
    }

    private static void watch(KubeStandIn kube, Map<String, Instant> seen) {
        ResourceEventHandler<HasMetadata> handler = new ResourceEventHandler<>() {
            @Override
            public void onAdd(HasMetadata o) {
                seen.putIfAbsent(o.getMetadata().getNamespace() + "/" + o.getKind() + "/" + o.getMetadata().getName(),
                        Instant.now());
            }

            @Override
            public void onUpdate(HasMetadata oldObj, HasMetadata newObj) {
            }

            @Override
            public void onDelete(HasMetadata obj, boolean deletedFinalStateUnknown) {
            }
        };
        kube.client().resources(PodDefault.class).inAnyNamespace().inform(cast(handler), 0);
        kube.client().secrets().inAnyNamespace().withLabel("app.kubernetes.io/managed-by", "grantflow")
                .inform(cast(handler), 0);
    }

    @SuppressWarnings("unchecked")
    private static <T extends HasMetadata> ResourceEventHandler<T> cast(ResourceEventHandler<HasMetadata> handler) {
        return (ResourceEventHandler<T>) (ResourceEventHandler<?>) handler;
    }

    private static String grant(String tenant, String name, String source) {
        Map<String, Object> grant = Map.of(
                "apiVersion", "grantflow.dev/v1", "kind", "Grant",
                "metadata", Map.of("tenant", tenant, "name", name, "generation", 1,
                        "issuedAt", "2026-11-26T10:00:00Z", "issuer", "bench@example.com"),
                "spec", Map.of(
                        "secret", Map.of("name", name, "type", "Opaque",
                                "source", Map.of("secretRef", Map.of("namespace", SOURCES, "name", source))),
                        "podDefault", Map.of("name", name, "desc", name, "selectorLabel", name,
                                "mountPath", "/secret/" + name)));
        return Json.write(grant);
    }

    private static void send(KafkaProducer<String, String> producer, String grantJson) {
        var tree = Json.readTree(grantJson);
        String key = tree.get("metadata").get("tenant").asText() + "/" + tree.get("metadata").get("name").asText();
        ProducerRecord<String, String> record = new ProducerRecord<>(Topics.GRANTS, key, grantJson);
        record.headers().add(Signatures.HEADER, keys.sign(grantJson).getBytes(StandardCharsets.UTF_8));
        producer.send(record);
    }

    /** A Kubeflow profile namespace, as namespace-watcher and grant-service select it by default. */
    private static void namespace(KubeStandIn kube, String tenant) {
        kube.client().namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(tenant)
                .addToLabels("app.kubernetes.io/part-of", "kubeflow-profile").endMetadata().withNewStatus()
                .withPhase("Active").endStatus().build()).create();
    }

    private static void tenant(KafkaProducer<String, String> producer, String tenant) {
        producer.send(new ProducerRecord<>(Topics.TENANTS, tenant, Json.write(Map.of("type", "created",
                "tenant", tenant, "labels", Map.of(), "observedAt", Instant.now().toString()))));
    }

    private static KafkaProducer<String, String> producer(String bootstrap) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        return new KafkaProducer<>(props, new StringSerializer(), new StringSerializer());
    }

    private static long heapAfterGc(ServiceProcess service) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newHttpClient();
        new ProcessBuilder("jcmd", Long.toString(service.pid()), "GC.run").redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor();
        String metrics = http.send(HttpRequest.newBuilder(URI.create(service.url() + "/q/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        double used = metrics.lines().filter(l -> l.startsWith("jvm_memory_used_bytes{area=\"heap\""))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
        return Math.round(used / (1024 * 1024));
    }

    private static long rssMiB(ServiceProcess service) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + service.pid() + "/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D", "")) / 1024;
            }
        }
        return -1;
    }

    private static void await(String what, Duration timeout, BooleanSupplier condition) {
        Instant deadline = Instant.now().plus(timeout);
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException("timed out waiting for " + what);
            }
            Progress.pause(Duration.ofMillis(5));
        }
    }

    private static Instant later(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }

    private static long millis(Instant since) {
        return Duration.between(since, Instant.now()).toMillis();
    }

    private static long percentile(List<Long> values, int p) {
        List<Long> sorted = new ArrayList<>(values);
        sorted.sort(Long::compare);
        int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(index, sorted.size() - 1)));
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private GrantServiceBenchmark() {
    }
}
