package dev.grantflow.stack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.grantflow.kafka.KafkaBroker;
import dev.grantflow.model.event.Topics;
import dev.grantflow.model.json.Json;
import dev.grantflow.model.poddefault.PodDefault;
import dev.grantflow.trust.Signatures;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.RequestConfigBuilder;
import io.fabric8.kubernetes.client.http.HttpClient;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.IntConsumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Measures grant-service against the real broker and the local Kubernetes API stand-in, each figure beside a ceiling
 * measured in the same run (see docs/benchmarks.md, "grant-service"):
 * <ol>
 *   <li><b>single</b>: a grant is pending; the tenant's {@code created} record is produced; time until its Secret and
 *       PodDefault exist (seen by a watch). Interleaved with the ceiling: the same two objects created bare, one
 *       after the other, by the benchmark's client, timed by the same watch;</li>
 *   <li><b>burst</b>: {@code tenants} x {@code grants} pending grants, then every tenant's {@code created} record at
 *       once; time until all objects exist. Right before it, the ceiling: the same number of Secret + PodDefault
 *       creates (copies of grant-service's own objects) from 8 threads (grant-service's 8 workers), each thread a
 *       Secret then its PodDefault, through fabric8's HTTP client (the one grant-service writes with), timed by the
 *       same watch. The stand-in counts every request it answers, by verb, resource and code, in both;</li>
 *   <li><b>rebuild</b>: {@code rebuild} more grants; the service restarts: time from process start to ready (both
 *       topics caught up, informers synced) beside a bare consumer's read of the same topics, heap after a full GC
 *       and process RSS.</li>
 * </ol>
 * Usage: {@code java -cp local-stack/stack/target/grantflow-local-stack.jar dev.grantflow.stack.GrantServiceBenchmark
 * [mode=all|single|burst|rebuild] [tenants=1000] [grants=5] [single=500] [rebuild=100000] [jvm="<service JVM options>"]
 * [profile=false] [python=python3] [env=NAME=VALUE,...] [also="<JVM options>|..."]} from the project root ({@code env}:
 * extra environment of the service; {@code also}: after the rebuild's restart, one more restart over the same topics
 * for each of these JVM option sets, so that options are compared in one run). Output:
 * {@code target/bench-grant-service/}.
 */
public final class GrantServiceBenchmark {

    private static final String SOURCES = "grantflow-sources";
    private static final String PENDING = "\"phase\":\"Pending\"";
    /**
     * grant-service's JVM options as k8s deploys them (k8s/README.md, "Sizing"); {@code jvm=} replaces them. A
     * relative {@code -XX:SharedArchiveFile} is an AppCDS archive the benchmark makes first under its output directory,
     * as the image build makes {@code /deployments/app-cds.jsa}.
     */
    static final String JVM = "-Xmx256m -Xmn32m -Xms160m -XX:+UseSerialGC -XX:MinHeapFreeRatio=10 "
            + "-XX:MaxHeapFreeRatio=20 -Xss512k -XX:MaxMetaspaceSize=128m -XX:ReservedCodeCacheSize=48m "
            + "-XX:MaxDirectMemorySize=64m -XX:TieredStopAtLevel=1 -XX:SharedArchiveFile=app-cds.jsa";
    private static final String ARCHIVE = "-XX:SharedArchiveFile=";
    private static final int CEILING_THREADS = 8;
    private static final String CEILING_LABEL = "grantflow-ceiling";

    private static StackKeys keys;

    private final Map<String, String> opts;
    private final Path root;
    private final Path out;
    private final CountingDispatcher counts = new CountingDispatcher();
    private final Map<String, Long> seen = new ConcurrentHashMap<>();
    /** Objects seen per namespace prefix ({@code burst-}, {@code ceil-burst-}): waiting must not cost the stand-in CPU. */
    private final Map<String, java.util.concurrent.atomic.LongAdder> seenByPrefix = new ConcurrentHashMap<>();
    private final List<String> summary = new ArrayList<>();
    private final Set<Path> archivesMade = new HashSet<>();
    private KubeStandIn kube;
    private KafkaProducer<String, String> producer;
    private TopicReader statuses;
    private Ceiling ceiling;

    private GrantServiceBenchmark(Map<String, String> opts, Path root, Path out) {
        this.opts = opts;
        this.root = root;
        this.out = out;
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> opts = new LinkedHashMap<>(Map.of("mode", "all", "tenants", "1000", "grants", "5",
                "single", "500", "rebuild", "100000", "jvm", JVM, "profile", "false", "python", "", "env",
                "MALLOC_ARENA_MAX=2", "also", ""));
        for (String arg : args) {
            String[] kv = arg.split("=", 2);
            if (kv.length != 2 || !opts.containsKey(kv[0])) {
                System.err.println("usage: GrantServiceBenchmark [mode=all|single|burst|rebuild] [tenants=1000] "
                        + "[grants=5] [single=500] [rebuild=100000] [jvm=\"" + JVM + "\"] [profile=false] "
                        + "[python=python3] [env=NAME=VALUE,...] [also=\"<other JVM options>|...\"]; unknown: " + arg);
                System.exit(2);
            }
            opts.put(kv[0], kv[1]);
        }
        Path root = Path.of(System.getProperty("grantflow.home", ".")).toAbsolutePath().normalize();
        Path out = Files.createDirectories(root.resolve("target/bench-grant-service"));
        new GrantServiceBenchmark(opts, root, out).run();
        System.exit(0);
    }

    /**
     * JVM options as given, with a relative {@code -XX:SharedArchiveFile} made absolute under the output directory;
     * that archive is made first when this run has not made it yet (the service's jar may have changed since).
     */
    private List<String> jvmOptions(String options) {
        List<String> jvm = new ArrayList<>();
        for (String option : options.trim().split("\\s+")) {
            if (option.startsWith(ARCHIVE) && !Path.of(option.substring(ARCHIVE.length())).isAbsolute()) {
                Path archive = out.resolve(option.substring(ARCHIVE.length()));
                if (archivesMade.add(archive)) {
                    ServiceProcess.makeClassArchive(root, "grant-service", archive);
                    note("made the AppCDS archive %s (%d MiB)", archive.getFileName(), archive.toFile().length() >> 20);
                }
                option = ARCHIVE + archive;
            }
            if (!option.isEmpty()) {
                jvm.add(option);
            }
        }
        return List.copyOf(jvm);
    }

    /** Warns when the service's JVM could not map the class archive it was given (it then runs without). */
    private void checkArchive(ServiceProcess service, List<String> jvm) throws IOException {
        if (jvm.stream().anyMatch(o -> o.startsWith(ARCHIVE))
                && Files.readString(service.log()).contains("Unable to use shared archive")) {
            note("WARNING: grant-service did not use its AppCDS archive (see its log)");
        }
    }

    private int number(String name) {
        return Integer.parseInt(opts.get(name));
    }

    private boolean runs(String mode) {
        return opts.get("mode").equals("all") || opts.get("mode").equals(mode);
    }

    private void run() throws Exception {
        Path work = out;
        note("GrantServiceBenchmark " + opts + "; load average before: " + loadAverage());
        note("service JVM options: " + opts.get("jvm"));
        try (KafkaBroker broker = KafkaBroker.start(KafkaBroker.Options.defaults().withWorkDir(work.resolve("kafka"), true));
                KubeStandIn standIn = KubeStandIn.start(counts)) {
            kube = standIn;
            broker.createTopics(Topics.ALL.stream()
                    .map(t -> new KafkaBroker.TopicSpec(t.name(), t.partitions(), t.config())).toList());
            for (int g = 0; g < Math.max(1, number("grants")); g++) {
                kube.client().secrets().inNamespace(SOURCES).resource(new SecretBuilder().withNewMetadata()
                        .withName("cred-" + g).withNamespace(SOURCES).endMetadata()
                        .withData(Map.of("foo", Base64.getEncoder().encodeToString(("value-" + g).getBytes(StandardCharsets.UTF_8))))
                        .build()).create();
            }
            watch();
            Map<String, String> env = new HashMap<>(kube.serviceEnvironment());
            env.put("KAFKA_BOOTSTRAP_SERVERS", broker.bootstrapServers());
            // A bearer token (fabric8 reads KUBERNETES_AUTH_TOKEN), as a cluster's service account gives one (the
            // stand-in accepts any). Without any token fabric8's TokenRefreshInterceptor re-reads the whole client configuration (environment, system
            // properties, kubeconfig) before every request once the client is a minute old: a cost of the stand-in
            // setup alone, 16 % of grant-service's CPU in the burst when measured (docs/benchmarks.md).
            env.put("KUBERNETES_AUTH_TOKEN", "grantflow-benchmark");
            // The production trust setting: every grant is signed (the signing happens here, in the producer).
            keys = StackKeys.generate(work.resolve("keys"));
            env.putAll(keys.grantServiceEnvironment());
            // Extra environment for the service, as a Deployment sets it (e.g. MALLOC_ARENA_MAX=2).
            for (String pair : opts.get("env").split(",")) {
                if (pair.contains("=")) {
                    env.put(pair.substring(0, pair.indexOf('=')), pair.substring(pair.indexOf('=') + 1));
                }
            }
            int port = Platform.freePort();
            List<String> jvm = jvmOptions(opts.get("jvm"));
            try (KafkaProducer<String, String> kafka = producer(broker.bootstrapServers());
                    TopicReader statusTopic = new TopicReader(broker.bootstrapServers(), Topics.GRANT_STATUS, false)) {
                producer = kafka;
                statuses = statusTopic;
                ServiceProcess service = ServiceProcess.start(root, "grant-service", port, env, work, jvm);
                try {
                    Instant started = Instant.now();
                    service.awaitReady(Duration.ofSeconds(120));
                    checkArchive(service, jvm);
                    note("first start to ready (empty topics): %d ms", millis(started));
                    // Warm-up (not measured): JIT of both sides; one tenant's objects become the ceiling's templates.
                    List<Long> warm = new ArrayList<>();
                    for (int i = 0; i < 20; i++) {
                        warm.add(singleSample("warm-" + i));
                    }
                    ceiling = new Ceiling(kube, template("warm-0", "Secret"), template("warm-0", "PodDefault"));
                    for (int i = 0; i < 20; i++) {
                        ceilingSample("ceil-warm-" + i);
                    }
                    Progress.pause(Duration.ofSeconds(2));
                    note("after warm-up: service RSS %d MiB", service.rssBytes() >> 20);
                    if (runs("single") && number("single") > 0) {
                        single(number("single"));
                    }
                    if (runs("burst")) {
                        burst(service, broker, number("tenants"), number("grants"));
                    }
                    if (runs("rebuild")) {
                        postRebuild(number("rebuild"));
                        // The restart of a running service: its consumer group has audited what it read. (Before
                        // verification receipts that audit of 100,000 records took over 10 minutes, run C in
                        // docs/benchmarks.md, and the restart shared the cores with what was left of it.)
                        Instant auditing = Instant.now();
                        quiet(service, broker);
                        note("rebuild: the consumer group audited the posts %d ms after their statuses", millis(auditing));
                    }
                } finally {
                    service.close();
                }
                if (runs("rebuild")) {
                    rebuild(broker, root, port, env, work, jvm, true);
                    for (String other : opts.get("also").split("\\|")) {
                        List<String> options = jvmOptions(other);
                        if (!options.isEmpty()) {
                            rebuild(broker, root, port, env, work, options, false);
                        }
                    }
                }
            }
        }
        note("load average after: " + loadAverage());
        Files.write(out.resolve("summary.txt"), summary);
        plot();
    }

    // ---- single tenant ------------------------------------------------------------------------------------------

    /** {@code count} service samples, each followed by a ceiling sample (the same two objects created bare). */
    private void single(int count) throws IOException {
        List<Long> service = new ArrayList<>();
        List<Long> bare = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            service.add(singleSample("single-" + i));
            bare.add(ceilingSample("ceil-single-" + i));
        }
        List<String> rows = new ArrayList<>(List.of("sample,service_ms,ceiling_ms"));
        for (int i = 0; i < count; i++) {
            rows.add(i + "," + micros(service.get(i)) + "," + micros(bare.get(i)));
        }
        Files.write(out.resolve("single.csv"), rows);
        note("single tenant (%d samples): created record -> Secret+PodDefault seen: p50 %s, p90 %s, p99 %s, max %s ms",
                count, ms(percentile(service, 50)), ms(percentile(service, 90)), ms(percentile(service, 99)),
                ms(percentile(service, 100)));
        note("  ceiling (bare Secret then PodDefault, same watch, interleaved): p50 %s, p90 %s, p99 %s, max %s ms",
                ms(percentile(bare, 50)), ms(percentile(bare, 90)), ms(percentile(bare, 99)), ms(percentile(bare, 100)));
        note("  ratio p50 %.2fx, p99 %.2fx", (double) percentile(service, 50) / percentile(bare, 50),
                (double) percentile(service, 99) / percentile(bare, 99));
    }

    /** One tenant: namespace and pending grant first (outside the clock), then its record; nanos until both seen. */
    private long singleSample(String tenant) {
        namespace(tenant);
        send(grant(tenant, "g0", "cred-0"));
        producer.flush();
        await("pending " + tenant, Duration.ofSeconds(30),
                () -> String.valueOf(statuses.latest(tenant + "/g0")).contains(PENDING));
        long start = System.nanoTime();
        tenant(tenant);
        producer.flush();
        String secret = tenant + "/Secret/g0";
        String podDefault = tenant + "/PodDefault/g0";
        await("objects of " + tenant, Duration.ofSeconds(30), () -> seen.containsKey(secret) && seen.containsKey(podDefault));
        return Math.max(seen.get(secret), seen.get(podDefault)) - start;
    }

    // ---- burst --------------------------------------------------------------------------------------------------

    private void burst(ServiceProcess service, KafkaBroker broker, int tenants, int grants) throws Exception {
        for (int t = 0; t < tenants; t++) {
            for (int g = 0; g < grants; g++) {
                send(grant("burst-" + t, "g" + g, "cred-" + g));
            }
        }
        producer.flush();
        await(tenants * grants + " pending grants", Duration.ofMinutes(5),
                () -> statuses.countLatest("burst-", PENDING) >= tenants * grants);
        // The profile namespaces exist before their tenant records (grant-service confirms tenants from them).
        inParallel(tenants, t -> namespace("burst-" + t));
        int objects = tenants * grants * 2;
        quiet(service, broker);

        // Ceiling: the same creates, bare, same client, same concurrency, the same watch timing them.
        boolean profile = Boolean.parseBoolean(opts.get("profile"));
        jdk.jfr.Recording standIn = profile ? profile(service, "ceiling") : null;
        String loadBefore = loadAverage();
        Cpu cpu = Cpu.now(service);
        Map<String, Long> before = counts.snapshot();
        long start = System.nanoTime();
        AtomicInteger next = new AtomicInteger();
        inParallel(CEILING_THREADS, thread -> {
            for (int n = next.getAndIncrement(); n < tenants * grants; n = next.getAndIncrement()) {
                ceiling.pair("ceil-burst-" + (n / grants), n % grants);
            }
        });
        await(objects + " ceiling objects", Duration.ofMinutes(10), () -> count("ceil-burst-") >= objects);
        long ceilingNanos = lastSeen("ceil-burst-") - start;
        Map<String, Long> ceilingRequests = CountingDispatcher.difference(before, counts.snapshot());
        String ceilingCpu = cpu.since(service);
        if (profile) {
            stopProfile(service, "ceiling", standIn);
        }
        List<Long> ceilingTimes = times("ceil-burst-", start);
        note("burst ceiling: %d bare creates (%d Secret + %d PodDefault pairs) from %d threads: %s s (load average %s)",
                objects, objects / 2, objects / 2, CEILING_THREADS, seconds(ceilingNanos), loadBefore);
        note("  ceiling requests at the stand-in: %s", ceilingRequests);
        note("  ceiling CPU: %s", ceilingCpu);
        // The stand-in holds the same objects for both runs: the ceiling's copies go before the service starts.
        AtomicInteger gone = new AtomicInteger();
        inParallel(CEILING_THREADS, thread -> {
            for (int n = gone.getAndIncrement(); n < tenants * grants; n = gone.getAndIncrement()) {
                ceiling.delete("ceil-burst-" + (n / grants), n % grants);
            }
        });
        quiet(service, broker);

        standIn = profile ? profile(service, "service") : null;
        loadBefore = loadAverage();
        cpu = Cpu.now(service);
        before = counts.snapshot();
        start = System.nanoTime();
        for (int t = 0; t < tenants; t++) {
            tenant("burst-" + t);
        }
        producer.flush();
        await(objects + " objects", Duration.ofMinutes(10), () -> count("burst-") >= objects);
        long serviceNanos = lastSeen("burst-") - start;
        Map<String, Long> serviceRequests = CountingDispatcher.difference(before, counts.snapshot());
        String serviceCpu = cpu.since(service);
        if (profile) {
            stopProfile(service, "service", standIn);
        }
        List<Long> serviceTimes = times("burst-", start);
        await("grant-service idle after the burst", Duration.ofMinutes(5), () -> idle(service));
        Map<String, Long> untilIdle = CountingDispatcher.difference(before, counts.snapshot());
        note("burst: %d tenants x %d grants = %d objects fully applied in %s s (load average %s)", tenants, grants,
                objects, seconds(serviceNanos), loadBefore);
        note("  ratio to the ceiling: %.2fx", (double) serviceNanos / ceilingNanos);
        note("  per object: p50 %s s, p99 %s s (ceiling p50 %s s, p99 %s s)", seconds(percentile(serviceTimes, 50)),
                seconds(percentile(serviceTimes, 99)), seconds(percentile(ceilingTimes, 50)),
                seconds(percentile(ceilingTimes, 99)));
        note("  requests at the stand-in until every object was seen: %s", serviceRequests);
        note("  ... until grant-service was idle: %s", untilIdle);
        note("  writes per grant: %.2f (ceiling %.2f); all requests per grant: %.2f (ceiling %.2f)",
                writes(untilIdle) / (tenants * grants), writes(ceilingRequests) / (tenants * grants),
                total(untilIdle) / (tenants * grants), total(ceilingRequests) / (tenants * grants));
        note("  CPU: %s", serviceCpu);
        note("  %s", retries(service));
        List<String> rows = new ArrayList<>(List.of("run,object,seen_ms"));
        for (int i = 0; i < serviceTimes.size(); i++) {
            rows.add("service," + i + "," + micros(serviceTimes.get(i)));
        }
        for (int i = 0; i < ceilingTimes.size(); i++) {
            rows.add("ceiling," + i + "," + micros(ceilingTimes.get(i)));
        }
        Files.write(out.resolve("burst.csv"), rows);
    }

    /**
     * Waits until grant-service has nothing left to do before a timed run: its consumer group has committed the end of
     * the grants topic (every record audited: that path verifies each signature again, and a ceiling measured while
     * it still ran would share the cores with it) and no key is queued.
     */
    private static void quiet(ServiceProcess service, KafkaBroker broker) {
        try (org.apache.kafka.clients.admin.Admin admin = broker.admin()) {
            await("grant-service's consumer group at the end of the grants topic", Duration.ofMinutes(10), () -> {
                try {
                    Map<TopicPartition, org.apache.kafka.clients.consumer.OffsetAndMetadata> committed = admin
                            .listConsumerGroupOffsets("grantflow-grant-service").partitionsToOffsetAndMetadata()
                            .get(30, TimeUnit.SECONDS);
                    Map<TopicPartition, org.apache.kafka.clients.admin.OffsetSpec> latest = new HashMap<>();
                    admin.describeTopics(List.of(Topics.GRANTS)).allTopicNames().get(30, TimeUnit.SECONDS)
                            .get(Topics.GRANTS).partitions().forEach(p -> latest.put(new TopicPartition(Topics.GRANTS,
                                    p.partition()), org.apache.kafka.clients.admin.OffsetSpec.latest()));
                    var ends = admin.listOffsets(latest).all().get(30, TimeUnit.SECONDS);
                    boolean caughtUp = ends.entrySet().stream().allMatch(e -> e.getValue().offset() == 0
                            || (committed.get(e.getKey()) != null
                                    && committed.get(e.getKey()).offset() >= e.getValue().offset()));
                    if (!caughtUp) {
                        Progress.pause(Duration.ofMillis(500));
                    }
                    return caughtUp;
                } catch (Exception e) {
                    throw new IllegalStateException("reading the consumer group's offsets: " + e, e);
                }
            });
        }
        await("grant-service idle", Duration.ofMinutes(5), () -> idle(service));
        Progress.pause(Duration.ofSeconds(2));
    }

    private static double writes(Map<String, Long> requests) {
        return requests.entrySet().stream().filter(e -> e.getKey().startsWith("POST ") || e.getKey().startsWith("PUT ")
                || e.getKey().startsWith("DELETE ") || e.getKey().startsWith("PATCH "))
                .mapToLong(Map.Entry::getValue).sum();
    }

    private static double total(Map<String, Long> requests) {
        return requests.values().stream().mapToLong(Long::longValue).sum();
    }

    /**
     * JFR ({@code profile} settings) in grant-service and in this JVM (the stand-in, the benchmark's client and watch)
     * while one run of the burst goes: {@code burst-<run>-service.jfr}, {@code burst-<run>-standin.jfr}.
     */
    private jdk.jfr.Recording profile(ServiceProcess service, String run) throws Exception {
        jcmd(service, "JFR.start", "name=" + run, "settings=profile", "filename=" + out.resolve("burst-" + run + "-service.jfr"));
        jdk.jfr.Recording recording = new jdk.jfr.Recording(jdk.jfr.Configuration.getConfiguration("profile"));
        recording.setDestination(out.resolve("burst-" + run + "-standin.jfr"));
        recording.start();
        return recording;
    }

    private void stopProfile(ServiceProcess service, String run, jdk.jfr.Recording standIn) throws Exception {
        jcmd(service, "JFR.stop", "name=" + run);
        standIn.stop();
        standIn.close();
    }

    // ---- rebuild ------------------------------------------------------------------------------------------------

    private void postRebuild(int total) {
        Instant posting = Instant.now();
        for (int i = 0; i < total; i++) {
            send(grant("r-" + (i / 10), "g" + (i % 10), "cred-" + (i % Math.max(1, number("grants")))));
        }
        producer.flush();
        note("rebuild: posted %d grants in %d ms", total, millis(posting));
        await("statuses of the " + total + " grants", Duration.ofMinutes(10),
                () -> statuses.countLatest("r-", PENDING) >= total);
    }

    private void rebuild(KafkaBroker broker, Path root, int port, Map<String, String> env, Path work, List<String> jvm,
                         boolean details) throws Exception {
        // Ceiling: a bare consumer in this JVM reads the topics grant-service reads on start, to their ends.
        long read = System.nanoTime();
        long records = readToEnd(broker, List.of(Topics.GRANTS, Topics.TENANTS, Topics.GRANT_STATUS));
        long readNanos = System.nanoTime() - read;
        Instant restart = Instant.now();
        ServiceProcess again = ServiceProcess.start(root, "grant-service", port, env, work, jvm);
        try {
            again.awaitReady(Duration.ofMinutes(5));
            long ready = millis(restart);
            checkArchive(again, jvm);
            long grantsHeld = statuses.countLatest("", "\"generation\"");
            note("rebuild: restart to ready (both topics caught up, informers synced) over %d keys: %d ms", grantsHeld,
                    ready);
            note("  ceiling: a bare consumer reads the grants, tenants and status topics to their ends (%d records): "
                    + "%d ms; ratio %.2fx", records, readNanos / 1_000_000, ready / (readNanos / 1e6));
            note("  signatures at the restart: %s", metric(again, "grantflow_signature_checks_total"));
            Progress.pause(Duration.ofSeconds(1));
            await("every key reconciled after the restart", Duration.ofMinutes(10), () -> idle(again));
            note("rebuild: restart to every key reconciled (no writes needed): %d ms", millis(restart));
            Progress.pause(Duration.ofSeconds(20));
            long heap = heapAfterGc(again);
            note("rebuild: heap used after full GC %d MiB; process RSS %d MiB (JVM options %s)", heap,
                    again.rssBytes() >> 20, String.join(" ", jvm));
            if (!details) {
                return;
            }
            Files.write(out.resolve("class-histogram.txt"), jcmd(again, "GC.class_histogram").lines().limit(60).toList());
            if (opts.get("jvm").contains("NativeMemoryTracking")) {
                Files.writeString(out.resolve("native-memory.txt"), jcmd(again, "VM.native_memory", "summary"));
            }
        } finally {
            again.close();
        }
    }

    private static long readToEnd(KafkaBroker broker, List<String> topics) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        long records = 0;
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = topics.stream().flatMap(t -> consumer.partitionsFor(t).stream())
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                records += consumer.poll(Duration.ofMillis(100)).count();
            }
        }
        return records;
    }

    // ---- the ceiling's writer -----------------------------------------------------------------------------------

    /**
     * Bare creates of grant-service's own objects (read back from the stand-in, names and namespace changed, the
     * managed-by label set to {@value #CEILING_LABEL} so that grant-service's informers do not see them), as plain
     * HTTP through fabric8's HTTP client without retries, as grant-service's writer sends them.
     */
    private static final class Ceiling {
        private final HttpClient http;
        private final String api;
        private final ObjectNode secret;
        private final ObjectNode podDefault;

        Ceiling(KubeStandIn kube, ObjectNode secret, ObjectNode podDefault) {
            this.http = kube.client().newClient(new RequestConfigBuilder(kube.client().getConfiguration()
                    .getRequestConfig()).withRequestRetryBackoffLimit(0).build()).getHttpClient();
            String master = kube.client().getConfiguration().getMasterUrl();
            this.api = master.endsWith("/") ? master : master + "/";
            this.secret = secret;
            this.podDefault = podDefault;
        }

        /** Creates the Secret, then the PodDefault, of grant {@code g<grant>} in {@code namespace}. */
        void pair(String namespace, int grant) {
            String name = "g" + grant;
            post("api/v1/namespaces/" + namespace + "/secrets", copy(secret, namespace, name));
            post("apis/kubeflow.org/v1alpha1/namespaces/" + namespace + "/poddefaults", copy(podDefault, namespace, name));
        }

        void delete(String namespace, int grant) {
            String name = "g" + grant;
            send("DELETE", api + "api/v1/namespaces/" + namespace + "/secrets/" + name, null);
            send("DELETE", api + "apis/kubeflow.org/v1alpha1/namespaces/" + namespace + "/poddefaults/" + name, null);
        }

        private void post(String path, String body) {
            HttpResponse<String> response = send("POST", api + path, body);
            if (!response.isSuccessful()) {
                throw new IllegalStateException("ceiling create " + path + ": HTTP " + response.code());
            }
        }

        private HttpResponse<String> send(String method, String url, String body) {
            HttpRequest.Builder request = http.newHttpRequestBuilder().uri(url).header("Accept", "application/json");
            request.method(method, "application/json", body == null ? "" : body);
            try {
                return http.sendAsync(request.build(), String.class).get(30, TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new IllegalStateException(method + " " + url + ": " + e, e);
            }
        }

        private static String copy(ObjectNode template, String namespace, String name) {
            ObjectNode copy = template.deepCopy();
            ObjectNode metadata = (ObjectNode) copy.get("metadata");
            metadata.put("namespace", namespace);
            metadata.put("name", name);
            return copy.toString();
        }
    }

    /** A grant-service object as the ceiling's template: server-set fields dropped, the managed-by label changed. */
    private ObjectNode template(String namespace, String kind) {
        HasMetadata object = "Secret".equals(kind)
                ? kube.client().secrets().inNamespace(namespace).withName("g0").get()
                : kube.client().resources(PodDefault.class).inNamespace(namespace).withName("g0").get();
        ObjectNode tree = (ObjectNode) Json.readTree(kube.client().getKubernetesSerialization().asJson(object));
        ObjectNode metadata = (ObjectNode) tree.get("metadata");
        for (String field : List.of("uid", "resourceVersion", "creationTimestamp", "generation", "managedFields")) {
            metadata.remove(field);
        }
        ((ObjectNode) metadata.get("labels")).put("app.kubernetes.io/managed-by", CEILING_LABEL);
        return tree;
    }

    // ---- measuring helpers --------------------------------------------------------------------------------------

    /** Every Secret and PodDefault (any namespace, any label) when the benchmark's watch first sees it. */
    private void watch() {
        ResourceEventHandler<HasMetadata> handler = new ResourceEventHandler<>() {
            @Override
            public void onAdd(HasMetadata o) {
                String namespace = o.getMetadata().getNamespace();
                if (seen.putIfAbsent(namespace + "/" + o.getKind() + "/" + o.getMetadata().getName(),
                        System.nanoTime()) == null) {
                    int dash = namespace.lastIndexOf('-');
                    seenByPrefix.computeIfAbsent(namespace.substring(0, dash + 1),
                            k -> new java.util.concurrent.atomic.LongAdder()).increment();
                }
            }

            @Override
            public void onUpdate(HasMetadata oldObj, HasMetadata newObj) {
            }

            @Override
            public void onDelete(HasMetadata obj, boolean deletedFinalStateUnknown) {
            }
        };
        kube.client().resources(PodDefault.class).inAnyNamespace().inform(cast(handler), 0);
        kube.client().secrets().inAnyNamespace().inform(cast(handler), 0);
    }

    /** Ceiling sample of the single-tenant mode: nanos from the first create until both objects were seen. */
    private long ceilingSample(String namespace) {
        long start = System.nanoTime();
        ceiling.pair(namespace, 0);
        String secret = namespace + "/Secret/g0";
        String podDefault = namespace + "/PodDefault/g0";
        await("ceiling objects in " + namespace, Duration.ofSeconds(30),
                () -> seen.containsKey(secret) && seen.containsKey(podDefault));
        return Math.max(seen.get(secret), seen.get(podDefault)) - start;
    }

    /** Objects seen in namespaces {@code <prefix><n>}. */
    private long count(String prefix) {
        java.util.concurrent.atomic.LongAdder adder = seenByPrefix.get(prefix);
        return adder == null ? 0 : adder.sum();
    }

    private long lastSeen(String prefix) {
        return seen.entrySet().stream().filter(e -> e.getKey().startsWith(prefix)).mapToLong(Map.Entry::getValue)
                .max().orElseThrow();
    }

    private List<Long> times(String prefix, long start) {
        return seen.entrySet().stream().filter(e -> e.getKey().startsWith(prefix)).map(e -> e.getValue() - start)
                .sorted().toList();
    }

    /** CPU time used by grant-service, this JVM (stand-in, client, watch) and the broker (the other children). */
    private record Cpu(long wall, long service, long self, long others) {
        static Cpu now(ServiceProcess service) {
            long svc = cpu(ProcessHandle.of(service.pid()).orElseThrow());
            long others = ProcessHandle.current().children().filter(p -> p.pid() != service.pid())
                    .mapToLong(Cpu::cpu).sum();
            return new Cpu(System.nanoTime(), svc, cpu(ProcessHandle.current()), others);
        }

        private static long cpu(ProcessHandle process) {
            return process.info().totalCpuDuration().map(Duration::toNanos).orElse(0L);
        }

        String since(ServiceProcess service) {
            Cpu now = now(service);
            return String.format(Locale.ROOT, "wall %.1f s; CPU grant-service %.1f s, stand-in + benchmark JVM %.1f s, "
                    + "broker %.1f s", (now.wall - wall) / 1e9, (now.service - this.service) / 1e9,
                    (now.self - self) / 1e9, (now.others - others) / 1e9);
        }
    }

    private void note(String format, Object... args) {
        String line = args.length == 0 ? format : String.format(Locale.ROOT, format, args);
        summary.add(line);
        System.out.println(line);
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+", 4)[0]
                    + " " + Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+", 4)[1];
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    /** Runs the plotting script with the first python that has matplotlib; says so when none has. */
    private void plot() throws IOException, InterruptedException {
        Path script = root.resolve("local-stack/stack/src/main/python/grant_bench_plots.py");
        String python = opts.get("python");
        List<String> candidates = python.isBlank() ? List.of("python3", "/usr/bin/python3") : List.of(python);
        for (String candidate : candidates) {
            try {
                if (new ProcessBuilder(candidate, "-c", "import matplotlib").redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor() != 0) {
                    continue;
                }
            } catch (IOException e) {
                continue;
            }
            int exit = new ProcessBuilder(candidate, script.toString(), out.toString()).inheritIO().start().waitFor();
            System.out.println("plot (" + candidate + " " + root.relativize(script) + "): exit " + exit);
            return;
        }
        System.out.println("no plot: no python3 with matplotlib (apt-get install -y python3-matplotlib); the CSVs are "
                + "in " + root.relativize(out));
    }

    private static String jcmd(ServiceProcess service, String... command) throws IOException, InterruptedException {
        List<String> line = new ArrayList<>(List.of("jcmd", Long.toString(service.pid())));
        line.addAll(List.of(command));
        Process process = new ProcessBuilder(line).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        process.waitFor();
        return output;
    }

    /** The service's retry counter (reconciles repeated after a failed API call), from its Prometheus endpoint. */
    private static String retries(ServiceProcess service) {
        return metric(service, "grantflow_reconcile_retries_total");
    }

    /** The lines of the service's Prometheus endpoint for {@code name}, joined, or that it is missing. */
    private static String metric(ServiceProcess service, String name) {
        String lines = String.join("; ", service.metricLines(name));
        return lines.isEmpty() ? name + " missing" : lines;
    }

    /** The grant-service readiness check says no key is queued or being reconciled. */
    private static boolean idle(ServiceProcess service) {
        return service.readinessData("grant-service").path("idle").asBoolean(false);
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

    private void send(String grantJson) {
        JsonNode tree = Json.readTree(grantJson);
        String key = tree.get("metadata").get("tenant").asText() + "/" + tree.get("metadata").get("name").asText();
        ProducerRecord<String, String> record = new ProducerRecord<>(Topics.GRANTS, key, grantJson);
        record.headers().add(Signatures.HEADER, keys.sign(grantJson).getBytes(StandardCharsets.UTF_8));
        producer.send(record);
    }

    /** A Kubeflow profile namespace, as namespace-watcher and grant-service select it by default. */
    private void namespace(String tenant) {
        kube.client().namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(tenant)
                .addToLabels("app.kubernetes.io/part-of", "kubeflow-profile").endMetadata().withNewStatus()
                .withPhase("Active").endStatus().build()).create();
    }

    private void tenant(String tenant) {
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

    private static void inParallel(int count, IntConsumer task) throws InterruptedException {
        ExecutorService pool = Executors.newFixedThreadPool(CEILING_THREADS);
        List<java.util.concurrent.Future<?>> futures = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int n = i;
            futures.add(pool.submit(() -> task.accept(n)));
        }
        pool.shutdown();
        pool.awaitTermination(10, TimeUnit.MINUTES);
        for (java.util.concurrent.Future<?> future : futures) {
            try {
                future.get();
            } catch (java.util.concurrent.ExecutionException e) {
                throw new IllegalStateException(e.getCause());
            }
        }
    }

    private static long heapAfterGc(ServiceProcess service) throws IOException, InterruptedException {
        jcmd(service, "GC.run");
        String metrics = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                URI.create(service.url() + "/q/metrics")).build(), java.net.http.HttpResponse.BodyHandlers.ofString())
                .body();
        double used = metrics.lines().filter(l -> l.startsWith("jvm_memory_used_bytes{area=\"heap\""))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
        return Math.round(used / (1024 * 1024));
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

    private static long millis(Instant since) {
        return Duration.between(since, Instant.now()).toMillis();
    }

    private static String micros(long nanos) {
        return String.format(Locale.ROOT, "%.3f", nanos / 1e6);
    }

    private static String ms(long nanos) {
        return String.format(Locale.ROOT, "%.1f", nanos / 1e6);
    }

    private static String seconds(long nanos) {
        return String.format(Locale.ROOT, "%.1f", nanos / 1e9);
    }

    private static long percentile(List<Long> values, int p) {
        List<Long> sorted = new ArrayList<>(values);
        sorted.sort(Long::compare);
        int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(index, sorted.size() - 1)));
    }

}
