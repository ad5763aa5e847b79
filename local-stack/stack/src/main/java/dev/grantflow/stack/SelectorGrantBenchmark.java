package dev.grantflow.stack;

import dev.grantflow.kafka.KafkaBroker;
import dev.grantflow.model.event.Topics;
import dev.grantflow.model.grant.Grant;
import dev.grantflow.model.grant.GrantKey;
import dev.grantflow.model.grant.GrantMetadata;
import dev.grantflow.model.grant.GrantPodDefault;
import dev.grantflow.model.grant.GrantSecret;
import dev.grantflow.model.grant.GrantSpec;
import dev.grantflow.model.grant.SecretSource;
import dev.grantflow.model.json.Json;
import dev.grantflow.model.poddefault.PodDefault;
import dev.grantflow.model.poddefault.PodDefaultSpec;
import dev.grantflow.model.tenant.TenantEvent;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.fabric8.kubernetes.client.http.HttpClient;
import io.fabric8.kubernetes.client.http.HttpResponse;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.IntConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Measures a selector grant over many tenants (issue 11; docs/benchmarks.md, "Selector grants") against the real
 * broker and the local Kubernetes API stand-in, with grant-service as a separate JVM in the production trust setting.
 * In one run, on the same stand-in holding the same {@code tenants} labelled tenant namespaces:
 * <ol>
 *   <li><b>ceiling</b>: the stand-in's own time for {@code 2 x tenants} bare creates (a Secret and a PodDefault per
 *       tenant, shaped and labelled like grant-service's), sent as plain HTTP through fabric8's HTTP client (the kind
 *       grant-service's writer uses) from {@code workers} threads, grant-service's worker count; then deleted again
 *       (not timed);</li>
 *   <li><b>rollout</b>: grant-service reads the tenants and is idle; a signed selector grant matching every tenant is
 *       posted; time until every tenant's Secret and PodDefault exist (seen by a watch), and until the selector
 *       grant's status says Applied with {@code applied = tenants}; the reconciles grant-service counted
 *       ({@code grantflow_reconcile_duration_seconds_count}) and the API requests it sent (counted by
 *       {@link CountingStandIn});</li>
 *   <li><b>relabel</b>: {@code unrelated} signed grants to single tenants are applied too; then one tenant namespace
 *       (which has one of those grants) is relabelled out of the selector and back in, each followed by the
 *       {@code updated} tenant record namespace-watcher would publish: the reconciles and API requests each change
 *       cost, against the number of keys grant-service holds.</li>
 * </ol>
 * Usage (from the project root, after {@code mvn -B -DskipTests package}):
 * {@code java -cp local-stack/stack/target/grantflow-local-stack.jar dev.grantflow.stack.SelectorGrantBenchmark
 * [tenants=5000] [unrelated=1000] [workers=8] [jfr=0]} ({@code jfr=1}: grant-service records a JFR profile into
 * {@code target/bench-selector-grant/grant-service.jfr}).
 */
public final class SelectorGrantBenchmark {

    private static final String SOURCES = "grantflow-sources";
    private static final String GRANT = "fleet";
    private static final String PREFIX = "fleet-";
    private static final Map<String, String> PROFILE = Map.of("app.kubernetes.io/part-of", "kubeflow-profile");
    /** Production-like JVM, as GrantServiceBenchmark runs it. */
    private static final List<String> JVM = List.of("-Xmx1g", "-XX:+UseG1GC");

    private final Map<String, Integer> opts;
    private final CountingStandIn kube;
    private final KafkaProducer<String, String> producer;
    private final StackKeys keys;
    private final Map<String, Instant> added = new ConcurrentHashMap<>();
    private final Map<String, Instant> deleted = new ConcurrentHashMap<>();
    private final List<String> tenants;

    private SelectorGrantBenchmark(Map<String, Integer> opts, CountingStandIn kube,
            KafkaProducer<String, String> producer, StackKeys keys) {
        this.opts = opts;
        this.kube = kube;
        this.producer = producer;
        this.keys = keys;
        this.tenants = java.util.stream.IntStream.range(0, opts.get("tenants"))
                .mapToObj(i -> String.format(PREFIX + "%04d", i)).toList();
    }

    public static void main(String[] args) throws Exception {
        Map<String, Integer> opts = new HashMap<>(Map.of("tenants", 5000, "unrelated", 1000, "workers", 8));
        for (String arg : args) {
            String[] kv = arg.split("=", 2);
            opts.put(kv[0], Integer.parseInt(kv[1]));
        }
        Path root = Path.of(System.getProperty("grantflow.home", ".")).toAbsolutePath().normalize();
        Path work = Files.createDirectories(root.resolve("target/bench-selector-grant"));
        System.out.printf("load average at start: %s; %d cores%n", loadAverage(),
                Runtime.getRuntime().availableProcessors());
        try (KafkaBroker broker = KafkaBroker.start(KafkaBroker.Options.defaults()
                        .withWorkDir(work.resolve("kafka"), true));
                CountingStandIn kube = CountingStandIn.start();
                KafkaProducer<String, String> producer = producer(broker.bootstrapServers())) {
            broker.createTopics(Topics.ALL.stream()
                    .map(t -> new KafkaBroker.TopicSpec(t.name(), t.partitions(), t.config())).toList());
            StackKeys keys = StackKeys.generate(work.resolve("keys"));
            new SelectorGrantBenchmark(opts, kube, producer, keys).run(root, work, broker.bootstrapServers());
        }
        System.out.printf("load average at the end: %s%n", loadAverage());
        System.exit(0);
    }

    private void run(Path root, Path work, String bootstrap) throws Exception {
        int workers = opts.get("workers");
        int count = tenants.size();
        // A value no output of this benchmark prints: the scan at the end checks grant-service's log for it.
        String value = "bench-" + UUID.randomUUID();
        kube.client().secrets().inNamespace(SOURCES).resource(new SecretBuilder().withNewMetadata().withName(GRANT)
                .withNamespace(SOURCES).endMetadata().withData(Map.of("token", base64(value))).build()).create();

        Instant creating = Instant.now();
        inParallel(count, workers, i -> namespace(tenants.get(i), true));
        for (String tenant : tenants) {
            tenantRecord(tenant, labels(true), true);
        }
        producer.flush();
        System.out.printf("setup: %d tenant namespaces (labels %s) and their tenant records in %d ms%n", count,
                labels(true), millis(creating));

        watch();
        long ceiling = ceiling(workers);

        Map<String, String> env = new HashMap<>(kube.serviceEnvironment());
        env.put("KAFKA_BOOTSTRAP_SERVERS", bootstrap);
        env.put("GRANTFLOW_GRANTS_RECONCILE_WORKERS", Integer.toString(workers));
        env.putAll(keys.grantServiceEnvironment());
        List<String> jvm = new ArrayList<>(JVM);
        if (opts.getOrDefault("jfr", 0) != 0) {
            // A profile of grant-service (JFR's "profile" settings: a stack sample every 10-20 ms), written on exit.
            jvm.add("-XX:StartFlightRecording=settings=profile,dumponexit=true,filename="
                    + work.resolve("grant-service.jfr"));
        }
        try (TopicReader statuses = new TopicReader(bootstrap, Topics.GRANT_STATUS, true)) {
            ServiceProcess service = ServiceProcess.start(root, "grant-service", Platform.freePort(), env, work, jvm);
            try {
                Instant starting = Instant.now();
                service.awaitReady(Duration.ofMinutes(5));
                await("grant-service's first resync", Duration.ofMinutes(5), Duration.ofMillis(500),
                        () -> service.readinessData("grant-service").path("resyncsCompleted").asLong() >= 1);
                awaitQuiet(service, Duration.ofMinutes(5));
                System.out.printf("grant-service (%d workers, %s) ready and quiet over %d tenants in %d ms%n",
                        workers, String.join(" ", jvm), count, millis(starting));
                long rollout = rollout(service, statuses, ceiling);
                relabel(service, statuses);
                System.out.printf("summary: ceiling %d ms, rollout %d ms, ratio %.2f (target < 2)%n", ceiling, rollout,
                        rollout / (double) ceiling);
            } finally {
                service.close();
            }
            String log = Files.readString(service.log());
            boolean leaked = log.contains(value) || log.contains(base64(value)) || statuses.records().stream()
                    .anyMatch(r -> String.valueOf(r.value()).contains(value));
            System.out.printf("secret value in grant-service's log or a status record: %s%n", leaked ? "FOUND" : "no");
        }
    }

    /**
     * The stand-in's own time for a Secret and a PodDefault per tenant, like grant-service's, from {@code workers}
     * threads (each creates one tenant's pair, as a worker reconciling one copy does), as plain HTTP POSTs through
     * fabric8's HTTP client; then deleted (not timed).
     */
    private long ceiling(int workers) throws Exception {
        HttpClient http = kube.client().getHttpClient();
        String api = kube.url();
        AtomicInteger failures = new AtomicInteger();
        Cpu cpuBefore = Cpu.now(null);
        Instant start = Instant.now();
        inParallel(tenants.size(), workers, i -> {
            String tenant = tenants.get(i);
            if (!post(http, api + "/api/v1/namespaces/" + tenant + "/secrets", secret(tenant, "ceiling"))
                    || !post(http, api + "/apis/kubeflow.org/v1alpha1/namespaces/" + tenant + "/poddefaults",
                    podDefault(tenant, "ceiling"))) {
                failures.incrementAndGet();
            }
        });
        long ceiling = millis(start);
        System.out.printf("stand-in ceiling: %d bare creates (%d Secrets + %d PodDefaults like grant-service's), "
                        + "%d threads, fabric8 HTTP client (Vert.x), no Grantflow: %d ms (%d failed)%n",
                2 * tenants.size(), tenants.size(), tenants.size(), workers, ceiling, failures.get());
        System.out.printf("  ceiling CPU: %s%n", Cpu.now(null).minus(cpuBefore));
        Instant deleting = Instant.now();
        inParallel(tenants.size(), workers, i -> {
            kube.client().secrets().inNamespace(tenants.get(i)).withName("ceiling").delete();
            kube.client().resources(PodDefault.class).inNamespace(tenants.get(i)).withName("ceiling").delete();
        });
        System.out.printf("  (ceiling objects deleted again in %d ms, not timed)%n", millis(deleting));
        return ceiling;
    }

    private long rollout(ServiceProcess service, TopicReader statuses, long ceiling) throws Exception {
        int count = tenants.size();
        Map<String, Long> requestsBefore = kube.counts();
        long reconcilesBefore = reconciles(service);
        Grant grant = selectorGrant();
        Cpu cpuBefore = Cpu.now(service);
        Instant posted = Instant.now();
        send(GrantKey.selector(GRANT).format(), Json.write(grant));
        producer.flush();
        await("every tenant's Secret and PodDefault", Duration.ofMinutes(30), () -> objects(GRANT) >= 2L * count);
        Instant allObjects = latest(GRANT);
        Cpu cpu = Cpu.now(service).minus(cpuBefore);
        long toObjects = Duration.between(posted, allObjects).toMillis();
        await("the selector grant's status: Applied, applied " + count, Duration.ofMinutes(10),
                () -> summary(statuses, count, count));
        long toSummary = millis(posted);
        awaitQuiet(service, Duration.ofMinutes(5));
        Map<String, Long> requests = CountingDispatcher.difference(requestsBefore, kube.counts());
        long reconciled = reconciles(service) - reconcilesBefore;
        long copyStatuses = statuses.records().stream().filter(r -> r.key() != null
                && r.key().endsWith("/" + GrantKey.COPY_PREFIX + GRANT)).count();
        long summaries = statuses.records().stream().filter(r -> GrantKey.selector(GRANT).format().equals(r.key()))
                .count();
        System.out.printf("rollout: selector grant over %d tenants, posted -> every Secret and PodDefault exists "
                + "(watch): %d ms = %.2f x the ceiling (%d ms)%n", count, toObjects, toObjects / (double) ceiling,
                ceiling);
        System.out.printf("rollout: posted -> status of %s Applied with applied=%d: %d ms; %s%n",
                GrantKey.selector(GRANT).format(), count, toSummary,
                Json.readTree(statuses.latest(GrantKey.selector(GRANT).format())).path("tenants"));
        System.out.printf("rollout: grant-service reconciled %d keys (%.2f per copy), published %d copy statuses and "
                + "%d summaries; API requests it sent: %s%n", reconciled, reconciled / (double) count, copyStatuses,
                summaries, only(requests, "service "));
        System.out.printf("rollout CPU (posted -> every object): %s%n", cpu);
        return toObjects;
    }

    private void relabel(ServiceProcess service, TopicReader statuses) throws Exception {
        int count = tenants.size();
        int unrelated = Math.min(opts.get("unrelated"), count);
        Instant posting = Instant.now();
        for (int i = 0; i < unrelated; i++) {
            Grant own = tenantGrant(tenants.get(i), "own");
            send(own.key(), Json.write(own));
        }
        producer.flush();
        await(unrelated + " tenant grants applied", Duration.ofMinutes(20), () -> statuses
                .countLatest(PREFIX, "\"phase\":\"Applied\"") >= count + unrelated);
        awaitQuiet(service, Duration.ofMinutes(5));
        System.out.printf("relabel: %d more grants (one each to %s..%s) applied in %d ms; grant-service holds %d "
                + "grant keys and %d copies%n", unrelated, tenants.get(0), tenants.get(unrelated - 1),
                millis(posting), unrelated + 1, count);

        String tenant = tenants.get(0);
        String copy = tenant + "/" + GrantKey.COPY_PREFIX + GRANT;
        measure(service, "out", tenant, false, () -> deleted.containsKey(tenant + "/Secret/" + GRANT)
                && deleted.containsKey(tenant + "/PodDefault/" + GRANT)
                && String.valueOf(statuses.latest(copy)).contains("\"TenantNotSelected\"")
                && summary(statuses, count - 1, count - 1));
        added.remove(tenant + "/Secret/" + GRANT);
        added.remove(tenant + "/PodDefault/" + GRANT);
        measure(service, "in", tenant, true, () -> added.containsKey(tenant + "/Secret/" + GRANT)
                && added.containsKey(tenant + "/PodDefault/" + GRANT)
                && String.valueOf(statuses.latest(copy)).contains("\"phase\":\"Applied\"")
                && summary(statuses, count, count));
    }

    /** Relabels {@code tenant} in or out of the selector, as namespace-watcher would publish it, and counts the work. */
    private void measure(ServiceProcess service, String direction, String tenant, boolean in, BooleanSupplier done)
            throws Exception {
        Map<String, Long> before = kube.counts();
        long reconcilesBefore = reconciles(service);
        Instant start = Instant.now();
        Namespace namespace = kube.client().namespaces().withName(tenant).get();
        namespace.getMetadata().setLabels(labels(in));
        kube.client().namespaces().resource(namespace).update();
        tenantRecord(tenant, labels(in), false);
        producer.flush();
        await("relabel " + direction + " of " + tenant + " done", Duration.ofMinutes(2), done);
        long took = millis(start);
        awaitQuiet(service, Duration.ofMinutes(2));
        Map<String, Long> requests = CountingDispatcher.difference(before, kube.counts());
        System.out.printf("relabel %s of %s (1 grant to it + 1 selector grant; %d keys held): done in %d ms; "
                + "grant-service reconciled %d keys and sent %d API requests %s%n", direction, tenant,
                opts.get("unrelated") + 1 + tenants.size(), took, reconciles(service) - reconcilesBefore,
                CountingStandIn.total(requests, "service "), only(requests, "service "));
    }

    // ---- what is posted and created --------------------------------------------------------------------------------

    private Grant selectorGrant() {
        LabelSelector selector = new LabelSelectorBuilder().addToMatchLabels("fleet", "yes").build();
        return Grant.of(GrantMetadata.forKey(GrantKey.selector(GRANT), selector, 1, Instant.now(),
                "bench@example.com"), spec(GRANT));
    }

    private static Grant tenantGrant(String tenant, String name) {
        return Grant.of(new GrantMetadata(tenant, name, 1, Instant.now(), "bench@example.com"), spec(name));
    }

    private static GrantSpec spec(String name) {
        return new GrantSpec(new GrantSecret(name, "Opaque", SecretSource.ofSecretRef(SOURCES, GRANT)),
                new GrantPodDefault(name, null, name, "/secret/" + name, null, List.of()), null);
    }

    private static Map<String, String> labels(boolean selected) {
        Map<String, String> labels = new LinkedHashMap<>(PROFILE);
        if (selected) {
            labels.put("fleet", "yes");
        }
        return labels;
    }

    private void namespace(String name, boolean selected) {
        kube.client().namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(name)
                .withLabels(labels(selected)).endMetadata().withNewStatus().withPhase("Active").endStatus().build())
                .create();
    }

    /** The tenant record namespace-watcher publishes for a tenant namespace (created, or its labels updated). */
    private void tenantRecord(String tenant, Map<String, String> labels, boolean created) {
        TenantEvent event = created ? TenantEvent.created(tenant, null, labels, Instant.now())
                : TenantEvent.updated(tenant, null, labels, Instant.now());
        producer.send(new ProducerRecord<>(Topics.TENANTS, tenant, Json.write(event)));
    }

    /** A Secret as grant-service makes one (labels, annotations, one key), for the ceiling. */
    private String secret(String tenant, String name) {
        return kube.client().getKubernetesSerialization().asJson(new SecretBuilder().withMetadata(metadata(tenant,
                name)).withType("Opaque").withData(Map.of("token", base64("ceiling-value"))).build());
    }

    /** A PodDefault as grant-service makes one (selector, volume, mount), for the ceiling. */
    private String podDefault(String tenant, String name) {
        PodDefaultSpec spec = new PodDefaultSpec();
        spec.setSelector(new LabelSelectorBuilder().addToMatchLabels(name, "true").build());
        spec.setDesc(name);
        spec.setVolumes(List.of(new VolumeBuilder().withName(name).withNewSecret().withSecretName(name).endSecret()
                .build()));
        spec.setVolumeMounts(List.of(new VolumeMountBuilder().withName(name).withMountPath("/secret/" + name)
                .withReadOnly(true).build()));
        return kube.client().getKubernetesSerialization().asJson(new PodDefault(metadata(tenant, name), spec));
    }

    private static ObjectMeta metadata(String tenant, String name) {
        return new ObjectMetaBuilder().withName(name).withNamespace(tenant)
                .addToLabels("app.kubernetes.io/managed-by", "grantflow")
                .addToLabels("grantflow.dev/selector-grant", name)
                .addToAnnotations("grantflow.dev/generation", "1")
                .addToAnnotations("grantflow.dev/content-hash", "sha256:" + "0".repeat(64)).build();
    }

    private static boolean post(HttpClient http, String url, String json) {
        var request = http.newHttpRequestBuilder().uri(url).header("Accept", "application/json")
                .timeout(10_000, TimeUnit.MILLISECONDS).method("POST", "application/json", json).build();
        try {
            HttpResponse<String> response = http.sendAsync(request, String.class).get(15, TimeUnit.SECONDS);
            return response.isSuccessful();
        } catch (Exception e) {
            return false;
        }
    }

    private void send(String key, String value) {
        ProducerRecord<String, String> record = new ProducerRecord<>(Topics.GRANTS, key, value);
        record.headers().add(dev.grantflow.trust.Signatures.HEADER, keys.sign(value).getBytes(StandardCharsets.UTF_8));
        producer.send(record);
    }

    // ---- what is measured ------------------------------------------------------------------------------------------

    /** Records when each managed Secret and PodDefault is first added and when it is deleted. */
    private void watch() {
        ResourceEventHandler<HasMetadata> handler = new ResourceEventHandler<>() {
            @Override
            public void onAdd(HasMetadata o) {
                added.putIfAbsent(id(o), Instant.now());
            }

            @Override
            public void onUpdate(HasMetadata previous, HasMetadata o) {
            }

            @Override
            public void onDelete(HasMetadata o, boolean finalStateUnknown) {
                deleted.put(id(o), Instant.now());
            }
        };
        SharedIndexInformer<?> secrets = kube.client().secrets().inAnyNamespace()
                .withLabel("app.kubernetes.io/managed-by", "grantflow").inform(cast(handler), 0);
        SharedIndexInformer<?> podDefaults = kube.client().resources(PodDefault.class).inAnyNamespace()
                .withLabel("app.kubernetes.io/managed-by", "grantflow").inform(cast(handler), 0);
        await("the benchmark's watches", Duration.ofSeconds(60), () -> secrets.hasSynced() && podDefaults.hasSynced());
    }

    private static String id(HasMetadata o) {
        return o.getMetadata().getNamespace() + "/" + o.getKind() + "/" + o.getMetadata().getName();
    }

    private long objects(String name) {
        return added.keySet().stream().filter(k -> k.startsWith(PREFIX) && k.endsWith("/" + name)).count();
    }

    private Instant latest(String name) {
        return added.entrySet().stream().filter(e -> e.getKey().startsWith(PREFIX) && e.getKey().endsWith("/" + name))
                .map(Map.Entry::getValue).max(Instant::compareTo).orElseThrow();
    }

    /** The selector grant's latest status is Applied and counts {@code selected} tenants, {@code applied} applied. */
    private static boolean summary(TopicReader statuses, int selected, int applied) {
        String latest = statuses.latest(GrantKey.selector(GRANT).format());
        if (latest == null) {
            return false;
        }
        var status = Json.readTree(latest);
        return "Applied".equals(status.path("phase").asText())
                && status.path("tenants").path("selected").asInt() == selected
                && status.path("tenants").path("applied").asInt() == applied;
    }

    /** Nothing queued, being reconciled or waiting for a delay (e.g. the selector grant's status refresh). */
    private static boolean quiet(ServiceProcess service) {
        var data = service.readinessData("grant-service");
        return data.path("idle").asBoolean(false) && data.path("queueWaiting").asInt(-1) == 0;
    }

    /** Reconciles grant-service has done: the count of its {@code grantflow.reconcile.duration} timer. */
    private static long reconciles(ServiceProcess service) throws IOException, InterruptedException {
        String metrics = java.net.http.HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(service.url() + "/q/metrics")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString()).body();
        String name = "grantflow_reconcile_duration_seconds_count";
        // "<name>[{labels}] <value>[ # <exemplar>]": the value is the first token after the name and its labels.
        return metrics.lines().filter(line -> line.startsWith(name + " ") || line.startsWith(name + "{"))
                .map(line -> line.startsWith(name + "{") ? line.substring(line.indexOf('}') + 1)
                        : line.substring(name.length()))
                .mapToLong(rest -> (long) Double.parseDouble(rest.trim().split("\\s+")[0]))
                .findFirst().orElseThrow(() -> new IllegalStateException("no grantflow_reconcile_duration metric"));
    }

    private static Map<String, Long> only(Map<String, Long> counts, String prefix) {
        Map<String, Long> only = new LinkedHashMap<>();
        counts.forEach((k, v) -> {
            if (k.startsWith(prefix)) {
                only.put(k.substring(prefix.length()), v);
            }
        });
        return only;
    }

    /**
     * CPU time used so far: by this JVM (the API stand-in, the benchmark's watches and clients), by grant-service, by
     * the other child processes (the broker), and by the whole machine (every core, other users' processes included,
     * from {@code /proc/stat}).
     */
    record Cpu(Duration standIn, Duration grantService, Duration broker, Duration machine) {

        static Cpu now(ServiceProcess service) {
            Duration self = ProcessHandle.current().info().totalCpuDuration().orElse(Duration.ZERO);
            Duration grantService = Duration.ZERO;
            Duration others = Duration.ZERO;
            for (ProcessHandle child : ProcessHandle.current().children().toList()) {
                Duration used = child.info().totalCpuDuration().orElse(Duration.ZERO);
                if (service != null && child.pid() == service.pid()) {
                    grantService = used;
                } else {
                    others = others.plus(used);
                }
            }
            return new Cpu(self, grantService, others, machineBusy());
        }

        Cpu minus(Cpu before) {
            return new Cpu(standIn.minus(before.standIn), grantService.minus(before.grantService),
                    broker.minus(before.broker), machine.minus(before.machine));
        }

        /** Busy time summed over every core: {@code /proc/stat} minus idle and iowait, in USER_HZ ticks of 10 ms. */
        private static Duration machineBusy() {
            try {
                String[] cpu = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
                long total = 0;
                for (int i = 1; i < cpu.length; i++) {
                    total += Long.parseLong(cpu[i]);
                }
                long idle = Long.parseLong(cpu[4]) + Long.parseLong(cpu[5]);
                return Duration.ofMillis((total - idle) * 10);
            } catch (IOException | RuntimeException e) {
                return Duration.ZERO;
            }
        }

        @Override
        public String toString() {
            Duration ours = standIn.plus(grantService).plus(broker);
            return String.format("stand-in + benchmark JVM %.1f s, grant-service %.1f s, broker %.1f s; the machine "
                    + "%.1f s busy in all (other processes %.1f s)", standIn.toMillis() / 1000.0,
                    grantService.toMillis() / 1000.0, broker.toMillis() / 1000.0, machine.toMillis() / 1000.0,
                    machine.minus(ours).toMillis() / 1000.0);
        }
    }

    // ---- plumbing --------------------------------------------------------------------------------------------------

    private static void inParallel(int count, int threads, IntConsumer task) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                int n = i;
                futures.add(pool.submit(() -> task.accept(n)));
            }
            for (Future<?> future : futures) {
                future.get(30, TimeUnit.MINUTES);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @SuppressWarnings("unchecked")
    private static <T extends HasMetadata> ResourceEventHandler<T> cast(ResourceEventHandler<HasMetadata> handler) {
        return (ResourceEventHandler<T>) (ResourceEventHandler<?>) handler;
    }

    private static KafkaProducer<String, String> producer(String bootstrap) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        return new KafkaProducer<>(props, new StringSerializer(), new StringSerializer());
    }

    /** Polls {@code condition} every 20 ms. */
    private static void await(String what, Duration timeout, BooleanSupplier condition) {
        await(what, timeout, Duration.ofMillis(20), condition);
    }

    /** Polls grant-service's readiness every 500 ms until it is {@link #quiet}. */
    private static void awaitQuiet(ServiceProcess service, Duration timeout) {
        await("grant-service quiet", timeout, Duration.ofMillis(500), () -> quiet(service));
    }

    private static void await(String what, Duration timeout, Duration poll, BooleanSupplier condition) {
        Instant deadline = Instant.now().plus(timeout);
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException("timed out waiting for " + what);
            }
            Progress.pause(poll);
        }
    }

    private static String loadAverage() {
        try {
            String[] parts = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return parts[0] + " " + parts[1] + " " + parts[2];
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static String base64(String value) {
        return Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8));
    }

    private static long millis(Instant since) {
        return Duration.between(since, Instant.now()).toMillis();
    }
}
