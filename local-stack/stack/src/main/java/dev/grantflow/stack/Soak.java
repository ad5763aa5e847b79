package dev.grantflow.stack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.grantflow.model.event.Topics;
import dev.grantflow.model.grant.Grant;
import dev.grantflow.model.grant.GrantMetadata;
import dev.grantflow.model.grant.GrantPodDefault;
import dev.grantflow.model.grant.GrantSecret;
import dev.grantflow.model.grant.GrantSpec;
import dev.grantflow.model.grant.SecretSource;
import dev.grantflow.model.json.Json;
import dev.grantflow.model.poddefault.PodDefault;
import dev.grantflow.stack.SoakStatistics.Outcome;
import dev.grantflow.stack.SoakStatistics.Sample;
import dev.grantflow.stack.SoakStatistics.Window;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The soak (docs/benchmarks.md, "Soak"): the local {@link Platform} (real broker, API stand-in, the three services as
 * JVMs, grant-service with signatures required, run as two replicas) under mixed load for {@code minutes}:
 * <ul>
 *   <li>admission requests at a fixed {@code rate} over HTTPS, open loop (request k is due at start + k / rate and
 *       its latency is counted from then, so a late send is counted as waiting);</li>
 *   <li>every {@code grantEvery} ms one signed grants record, alternately from a Java producer and from kcat (one
 *       process per record): a new grant, a new generation of a live one, or a revocation;</li>
 *   <li>every {@code tenantEvery} s a labelled profile namespace created, and every second time the oldest deleted;
 *       </li>
 *   <li>one grant-service replica stopped and started again halfway.</li>
 * </ul>
 * Per 10-second window it records admission latency percentiles and errors, and the services' heap and RSS; at the
 * end it checks that what the API holds equals the desired state (and that the statuses agree), writes CSVs under
 * {@code target/soak/} and, when python3 with matplotlib is there, the plots. Not part of the test suite.
 *
 * <p>Usage, from the project root after {@code mvn -B -DskipTests package}: {@code java -cp
 * local-stack/stack/target/grantflow-local-stack.jar dev.grantflow.stack.Soak [minutes=10] [rate=50]
 * [grantEvery=1000] [tenantEvery=15] [converge=300] [python=python3]}. Exits 0 when there was no error and the state
 * converged.
 */
public final class Soak {

    static final int WINDOW_SECONDS = 10;
    private static final String PREFIX = "soak-";
    private static final String SOURCE = "soak-src";
    private static final List<String> STABLE_TENANTS = List.of("soak-stable-0", "soak-stable-1", "soak-stable-2");
    private static final List<String> STABLE_GRANTS = List.of("stable-a", "stable-b");
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);
    private static final long MIB = 1024 * 1024;

    private final Platform platform;
    private final Map<String, String> opts;
    private final Path out;
    private final KubernetesClient kube;
    private final HttpClient https;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final Random random = new Random(7);
    private final List<String> events = new ArrayList<>();
    private long t0;

    // Desired state: changed only on the driver thread; read by the final check once the driver has stopped.
    private final Map<String, Long> liveGrants = new TreeMap<>();
    private final Set<String> revokedGrants = new TreeSet<>();
    private final List<String> liveTenants = new ArrayList<>();
    private final Set<String> deletedTenants = new TreeSet<>();
    private int nextTenant;
    private int nextGrant;
    private volatile List<String> admissionTenants = List.of();

    // Counters.
    private final ConcurrentLinkedQueue<Sample> samples = new ConcurrentLinkedQueue<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final Map<String, AtomicLong> counts = new TreeMap<>();
    private final ConcurrentLinkedQueue<String> errorLines = new ConcurrentLinkedQueue<>();
    private final Map<String, List<long[]>> memory = new LinkedHashMap<>();
    /** Heap used after a full GC ({@code jcmd GC.run}) just before and just after the load: service -> {start, end}. */
    private final Map<String, long[]> heapAfterGc = new LinkedHashMap<>();

    private ServiceProcess secondGrantService;
    private volatile long restartedAtMillis = -1;

    private Soak(Platform platform, Map<String, String> opts, Path out) {
        this.platform = platform;
        this.opts = opts;
        this.out = out;
        this.kube = platform.kube.client();
        this.https = HttpClient.newBuilder().sslContext(platform.tls.clientContext())
                .connectTimeout(Duration.ofSeconds(2)).build();
        for (String name : List.of("admission requests", "grants new", "grants new generation", "grants revoked",
                "records by java", "records by kcat", "tenants created", "tenants deleted", "producer errors",
                "driver errors")) {
            counts.put(name, new AtomicLong());
        }
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> opts = new LinkedHashMap<>(Map.of("minutes", "10", "rate", "50", "grantEvery", "1000",
                "tenantEvery", "15", "converge", "300", "python", ""));
        for (String arg : args) {
            String[] kv = arg.split("=", 2);
            if (kv.length != 2 || !opts.containsKey(kv[0])) {
                System.err.println("usage: Soak [minutes=10] [rate=50] [grantEvery=1000] [tenantEvery=15] "
                        + "[converge=300] [python=python3]; unknown: " + arg);
                System.exit(2);
            }
            opts.put(kv[0], kv[1]);
        }
        Path root = Path.of(System.getProperty("grantflow.home", ".")).toAbsolutePath().normalize();
        Path out = Files.createDirectories(root.resolve("target/soak"));
        boolean passed;
        Progress.step("Soak: " + opts + " -> " + root.relativize(out));
        try (Platform platform = Platform.start(root)) {
            passed = new Soak(platform, opts, out).run();
        }
        plot(root, out, opts.get("python"));
        System.exit(passed ? 0 : 1);
    }

    private int opt(String name) {
        return Integer.parseInt(opts.get(name));
    }

    private boolean run() throws Exception {
        long minutes = opt("minutes");
        Duration load = Duration.ofMinutes(minutes);
        Progress.step("Setting up: a source Secret, a second grant-service replica, " + STABLE_TENANTS.size()
                + " stable tenants with " + STABLE_GRANTS.size() + " grants each");
        kube.secrets().inNamespace(Platform.SOURCE_NAMESPACE).resource(new SecretBuilder().withNewMetadata()
                .withName(SOURCE).withNamespace(Platform.SOURCE_NAMESPACE).endMetadata()
                .withData(Map.of("token", base64("soak-" + UUID.randomUUID()))).build())
                .createOr(NonDeletingOperation::update);
        secondGrantService = Progress.waitFor("grant-service replica 2 ready",
                () -> platform.startAnotherGrantService("soak-grant-service-2"));
        try {
            return load(minutes, load);
        } finally {
            secondGrantService.close();
        }
    }

    private boolean load(long minutes, Duration load) throws Exception {
        try (KafkaProducer<String, String> producer = producer();
                TopicReader statuses = new TopicReader(platform.broker.bootstrapServers(), Topics.GRANT_STATUS,
                        false)) {
            for (String tenant : STABLE_TENANTS) {
                createNamespace(tenant);
                for (String name : STABLE_GRANTS) {
                    String key = tenant + "/" + name;
                    producer.send(SignedRecords.signed(platform.keys, null, key, Json.write(grant(tenant, name, 1))));
                    liveGrants.put(key, 1L);
                }
            }
            producer.flush();
            JsonNode pod = SeedScenario.notebookPod();
            Progress.until("the stable tenants' credentials mounted by the webhook", Duration.ofSeconds(120),
                    () -> STABLE_TENANTS.stream().allMatch(t -> admitOnce(pod, t) == Outcome.OK));

            ScheduledExecutorService driver = Executors.newSingleThreadScheduledExecutor(named("soak-driver"));
            ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor(named("soak-sampler"));
            ScheduledExecutorService restarter = Executors.newSingleThreadScheduledExecutor(named("soak-restart"));
            Progress.step("Load for " + minutes + " min: " + opt("rate") + " admission req/s (open loop), a signed "
                    + "grants record every " + opt("grantEvery") + " ms (Java and kcat in turn), a tenant created "
                    + "every " + opt("tenantEvery") + " s (and one deleted every other time), grant-service "
                    + "replica 1 restarted at " + (minutes * 30) + " s");
            fullGcs(0);
            t0 = System.nanoTime();
            event("load started");
            sampler.scheduleAtFixedRate(this::sample, 0, WINDOW_SECONDS, TimeUnit.SECONDS);
            driver.scheduleWithFixedDelay(() -> guarded(() -> grantOperation(producer)), 0, opt("grantEvery"),
                    TimeUnit.MILLISECONDS);
            driver.scheduleWithFixedDelay(() -> guarded(this::tenantOperation), 0, opt("tenantEvery"),
                    TimeUnit.SECONDS);
            restarter.schedule(() -> guarded(() -> {
                event("grant-service replica 1 stopping");
                platform.restartGrantService();
                restartedAtMillis = (System.nanoTime() - t0) / 1_000_000;
                event("grant-service replica 1 ready again");
            }), minutes * 30, TimeUnit.SECONDS);

            admissionLoad(pod, load);

            driver.shutdown();
            driver.awaitTermination(2, TimeUnit.MINUTES);
            restarter.shutdown();
            restarter.awaitTermination(3, TimeUnit.MINUTES);
            long deadline = System.nanoTime() + REQUEST_TIMEOUT.plusSeconds(5).toNanos();
            while (inFlight.get() > 0 && System.nanoTime() < deadline) {
                Progress.pause(Duration.ofMillis(50));
            }
            sampler.shutdown();
            sampler.awaitTermination(1, TimeUnit.MINUTES);
            sample();
            event("load ended");
            long loadEnded = System.nanoTime();
            fullGcs(1);

            Progress.step("Final check: what the API holds against the desired state, and the statuses");
            Instant checkStart = Instant.now();
            long checkBegan = System.nanoTime();
            List<String> diff = List.of();
            List<String> statusDiff = List.of();
            Duration converge = Duration.ofSeconds(opt("converge"));
            while (Duration.between(checkStart, Instant.now()).compareTo(converge) < 0) {
                diff = stateDiff();
                statusDiff = statusDiff(statuses);
                if (diff.isEmpty() && statusDiff.isEmpty()) {
                    break;
                }
                Progress.pause(Duration.ofSeconds(1));
            }
            long convergedMillis = Duration.between(checkStart, Instant.now()).toMillis();
            event("final check began " + (checkBegan - loadEnded) / 1_000_000 + " ms after the load ended (full GCs "
                    + "in between) and took " + convergedMillis + " ms");
            String retries = metric(platform.grantService, "grantflow_reconcile_retries_total") + " / "
                    + metric(secondGrantService, "grantflow_reconcile_retries_total");
            return report(minutes, diff, statusDiff, convergedMillis, retries);
        }
    }

    // ---- admission ------------------------------------------------------------------------------------------------

    /** Sends request k at t0 + k / rate, whatever the answers to earlier requests do (open loop). */
    private void admissionLoad(JsonNode pod, Duration load) {
        long period = 1_000_000_000L / opt("rate");
        long end = t0 + load.toNanos();
        Map<String, String> bodies = new TreeMap<>();
        for (long k = 0; ; k++) {
            long due = t0 + k * period;
            if (due >= end) {
                return;
            }
            long wait;
            while ((wait = due - System.nanoTime()) > 0) {
                LockSupport.parkNanos(wait);
            }
            // Four in five go to a stable tenant (the answer is checked), one in five to a churning one.
            List<String> churn = admissionTenants;
            boolean stable = k % 5 != 4 || churn.isEmpty();
            String tenant = stable ? STABLE_TENANTS.get((int) (k % STABLE_TENANTS.size()))
                    : churn.get((int) ((k / 5) % churn.size()));
            String body = bodies.computeIfAbsent(tenant, t -> review(pod, t).toString())
                    .replace("\"uid\":\"soak\"", "\"uid\":\"" + UUID.randomUUID() + "\"");
            counts.get("admission requests").incrementAndGet();
            inFlight.incrementAndGet();
            long intendedMillis = (due - t0) / 1_000_000;
            https.sendAsync(post(body), HttpResponse.BodyHandlers.ofString()).whenComplete((response, error) -> {
                long latencyMicros = (System.nanoTime() - due) / 1000;
                Outcome outcome;
                try {
                    outcome = error != null ? failure(error) : judge(response, stable);
                } catch (RuntimeException unreadable) {
                    outcome = Outcome.WRONG_ANSWER;
                }
                if (outcome != Outcome.OK) {
                    errorLines.add(String.format(Locale.ROOT, "%.1f s: admission %s in %s (%s)",
                            intendedMillis / 1000.0, outcome, tenant, error != null ? error.toString()
                                    : "HTTP " + response.statusCode()));
                }
                samples.add(new Sample(intendedMillis, latencyMicros, outcome));
                inFlight.decrementAndGet();
            });
        }
    }

    private Outcome admitOnce(JsonNode pod, String tenant) {
        try {
            return judge(https.send(post(review(pod, tenant).toString()), HttpResponse.BodyHandlers.ofString()), true);
        } catch (IOException e) {
            return Outcome.IO_ERROR;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Outcome.IO_ERROR;
        }
    }

    private HttpRequest post(String body) {
        return HttpRequest.newBuilder(URI.create(platform.webhookUrl)).header("Content-Type", "application/json")
                .timeout(REQUEST_TIMEOUT).POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    /** The notebook pod, labelled for the stable grants too, in an AdmissionReview for {@code tenant}. */
    private static ObjectNode review(JsonNode template, String tenant) {
        ObjectNode pod = template.deepCopy();
        ((ObjectNode) pod.get("metadata")).put("namespace", tenant);
        STABLE_GRANTS.forEach(name -> ((ObjectNode) pod.get("metadata").get("labels")).put(name, "true"));
        ObjectNode review = Json.mapper().createObjectNode();
        review.put("apiVersion", "admission.k8s.io/v1").put("kind", "AdmissionReview");
        ObjectNode request = review.putObject("request");
        request.put("uid", "soak");
        request.putObject("kind").put("group", "").put("version", "v1").put("kind", "Pod");
        request.putObject("resource").put("group", "").put("version", "v1").put("resource", "pods");
        request.put("namespace", tenant).put("operation", "CREATE");
        request.putObject("userInfo").put("username",
                "system:serviceaccount:kubeflow:notebook-controller-service-account");
        request.set("object", pod);
        return review;
    }

    /** 200, allowed, and for a stable tenant a patch that mounts both of its granted Secrets. */
    private static Outcome judge(HttpResponse<String> response, boolean stable) {
        if (response.statusCode() != 200) {
            return Outcome.NON_200;
        }
        JsonNode answer = Json.readTree(response.body()).path("response");
        if (!answer.path("allowed").asBoolean(false)) {
            return Outcome.DENIED;
        }
        if (stable) {
            String patch = answer.has("patch")
                    ? new String(Base64.getDecoder().decode(answer.get("patch").asText()), StandardCharsets.UTF_8)
                    : "";
            for (String name : STABLE_GRANTS) {
                if (!patch.contains("\"secretName\":\"" + name + "\"")) {
                    return Outcome.WRONG_ANSWER;
                }
            }
        }
        return Outcome.OK;
    }

    private static Outcome failure(Throwable error) {
        Throwable cause = error instanceof java.util.concurrent.CompletionException && error.getCause() != null
                ? error.getCause() : error;
        return cause instanceof HttpTimeoutException ? Outcome.TIMEOUT : Outcome.IO_ERROR;
    }

    // ---- grants and tenants (the driver thread) -------------------------------------------------------------------

    /** One signed grants record, from Java and kcat in turn: a new grant, a new generation, or a revocation. */
    private void grantOperation(KafkaProducer<String, String> producer) {
        List<String> churning = liveGrants.keySet().stream().filter(k -> !isStable(k)).toList();
        double r = random.nextDouble();
        String key;
        String value;
        if (churning.size() < 5 || r < 0.4) {
            // For a live tenant, or (one in four) for a tenant that does not exist yet: Pending until it appears.
            String tenant = liveTenants.isEmpty() || random.nextInt(4) == 0
                    ? PREFIX + "t-" + (nextTenant + random.nextInt(3)) : liveTenants.get(random.nextInt(liveTenants.size()));
            String name = "g-" + nextGrant++;
            key = tenant + "/" + name;
            value = Json.write(grant(tenant, name, 1));
            liveGrants.put(key, 1L);
            counts.get("grants new").incrementAndGet();
        } else if (r < 0.7) {
            key = churning.get(random.nextInt(churning.size()));
            long generation = liveGrants.get(key) + 1;
            value = Json.write(grant(key.split("/")[0], key.split("/")[1], generation));
            liveGrants.put(key, generation);
            counts.get("grants new generation").incrementAndGet();
        } else {
            key = churning.get(random.nextInt(churning.size()));
            value = SignedRecords.revocation(key, liveGrants.remove(key));
            revokedGrants.add(key);
            counts.get("grants revoked").incrementAndGet();
        }
        if (counts.get("records by java").get() <= counts.get("records by kcat").get()) {
            String what = key;
            producer.send(SignedRecords.signed(platform.keys, null, key, value), (metadata, error) -> {
                if (error != null) {
                    counts.get("producer errors").incrementAndGet();
                    errorLines.add(elapsed() + ": java producer failed for " + what + ": " + error);
                }
            });
            producer.flush();
            counts.get("records by java").incrementAndGet();
        } else {
            try {
                Kcat.sendSigned(platform.broker.bootstrapServers(), Topics.GRANTS, key, value,
                        platform.keys.sign(value));
                counts.get("records by kcat").incrementAndGet();
            } catch (RuntimeException e) {
                counts.get("producer errors").incrementAndGet();
                errorLines.add(elapsed() + ": kcat failed for " + key + ": " + e.getMessage());
            }
        }
    }

    /** A profile namespace created; every other time, once three churning tenants live, the oldest deleted. */
    private void tenantOperation() {
        String tenant = PREFIX + "t-" + nextTenant++;
        createNamespace(tenant);
        liveTenants.add(tenant);
        counts.get("tenants created").incrementAndGet();
        if (nextTenant % 2 == 0 && liveTenants.size() > 3) {
            String gone = liveTenants.remove(0);
            kube.namespaces().withName(gone).delete();
            deletedTenants.add(gone);
            counts.get("tenants deleted").incrementAndGet();
        }
        admissionTenants = List.copyOf(liveTenants);
    }

    private void createNamespace(String tenant) {
        kube.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(tenant)
                .addToLabels("app.kubernetes.io/part-of", "kubeflow-profile").endMetadata().withNewStatus()
                .withPhase("Active").endStatus().build()).create();
    }

    private void guarded(Runnable action) {
        try {
            action.run();
        } catch (RuntimeException e) {
            counts.get("driver errors").incrementAndGet();
            errorLines.add(elapsed() + ": " + e);
        }
    }

    private static boolean isStable(String key) {
        return STABLE_TENANTS.contains(key.split("/")[0]);
    }

    private static Grant grant(String tenant, String name, long generation) {
        String mount = STABLE_GRANTS.contains(name) ? "/secret/" + name : "/secret/" + name + "/v" + generation;
        return Grant.of(new GrantMetadata(tenant, name, generation, Instant.now(), "soak@example.com"),
                new GrantSpec(new GrantSecret(name, "Opaque", SecretSource.ofSecretRef(Platform.SOURCE_NAMESPACE,
                        SOURCE)), new GrantPodDefault(name, null, name, mount, null, List.of()), null));
    }

    // ---- memory ---------------------------------------------------------------------------------------------------

    private Map<String, ServiceProcess> services() {
        Map<String, ServiceProcess> services = new LinkedHashMap<>();
        services.put("grant-service-1", platform.grantService);
        services.put("grant-service-2", secondGrantService);
        services.put("namespace-watcher", platform.watcher);
        services.put("admission-service", platform.admission);
        return services;
    }

    /** Heap used, from the service's Prometheus page; -1 when it does not answer (e.g. restarting). */
    private long heapUsed(ServiceProcess service) {
        try {
            return SoakStatistics.heapUsedBytes(http.send(HttpRequest.newBuilder(URI.create(service.metricsUrl()))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString()).body());
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /**
     * Heap used after a full GC of every service (slot 0: before the load, 1: after it): what the heap holds, free
     * of the sawtooth of the 10-s samples. Outside the load, so that the pauses are not in the latency figures.
     */
    private void fullGcs(int slot) {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        services().forEach((name, service) -> {
            try {
                new ProcessBuilder(Files.isExecutable(jcmd) ? jcmd.toString() : "jcmd", Long.toString(service.pid()),
                        "GC.run").redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start()
                        .waitFor(60, TimeUnit.SECONDS);
            } catch (IOException e) {
                errorLines.add("jcmd GC.run failed for " + name + ": " + e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            heapAfterGc.computeIfAbsent(name, n -> new long[] {-1, -1})[slot] = heapUsed(service);
        });
        Progress.info("heap after a full GC, MiB: " + heapAfterGc.entrySet().stream()
                .map(e -> e.getKey() + " " + mib(e.getValue()[slot])).toList());
    }

    /** Heap used and RSS of every service process, as one row per service at the current time. */
    private void sample() {
        long t = (System.nanoTime() - t0) / 1_000_000;
        StringBuilder line = new StringBuilder();
        services().forEach((name, service) -> {
            long heap = heapUsed(service);
            long rss = heap < 0 ? -1 : service.rssBytes();
            synchronized (memory) {
                memory.computeIfAbsent(name, n -> new ArrayList<>()).add(new long[] {t, heap, rss});
            }
            line.append(String.format(Locale.ROOT, " %s %s/%s", name, mib(heap), mib(rss)));
        });
        long errors = samples.stream().filter(s -> s.outcome() != Outcome.OK).count()
                + counts.get("producer errors").get() + counts.get("driver errors").get();
        Progress.info(String.format(Locale.ROOT, "%4d s  requests %d, errors %d, records java %d kcat %d, "
                        + "tenants +%d -%d | heap/RSS MiB%s", t / 1000, counts.get("admission requests").get(), errors,
                counts.get("records by java").get(), counts.get("records by kcat").get(),
                counts.get("tenants created").get(), counts.get("tenants deleted").get(), line));
    }

    private String metric(ServiceProcess service, String name) {
        try {
            String page = http.send(HttpRequest.newBuilder(URI.create(service.metricsUrl())).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            return page.lines().filter(l -> l.startsWith(name)).map(l -> l.substring(l.lastIndexOf(' ') + 1))
                    .findFirst().orElse("n/a");
        } catch (IOException | InterruptedException e) {
            return "n/a";
        }
    }

    // ---- the final check ------------------------------------------------------------------------------------------

    /** What the API should hold: {@code <namespace>/<name>} -> generation, for Secrets and PodDefaults alike. */
    private Map<String, Long> desiredObjects() {
        Set<String> tenants = new TreeSet<>(STABLE_TENANTS);
        tenants.addAll(liveTenants);
        Map<String, Long> desired = new TreeMap<>();
        liveGrants.forEach((key, generation) -> {
            if (tenants.contains(key.split("/")[0])) {
                desired.put(key, generation);
            }
        });
        return desired;
    }

    /** Differences between the desired objects and the managed Secrets and PodDefaults in the soak's namespaces. */
    private List<String> stateDiff() {
        Map<String, Long> desired = desiredObjects();
        List<String> diff = new ArrayList<>();
        diff.addAll(compare("Secret", desired, actual(kube.secrets().inAnyNamespace()
                .withLabel("app.kubernetes.io/managed-by", "grantflow").list().getItems())));
        diff.addAll(compare("PodDefault", desired, actual(kube.resources(PodDefault.class).inAnyNamespace()
                .withLabel("app.kubernetes.io/managed-by", "grantflow").list().getItems())));
        return diff;
    }

    private static Map<String, Long> actual(List<? extends HasMetadata> objects) {
        Map<String, Long> actual = new TreeMap<>();
        for (HasMetadata o : objects) {
            if (o.getMetadata().getNamespace().startsWith(PREFIX)) {
                String generation = o.getMetadata().getAnnotations() == null ? null
                        : o.getMetadata().getAnnotations().get("grantflow.dev/generation");
                actual.put(o.getMetadata().getNamespace() + "/" + o.getMetadata().getName(),
                        generation == null ? -1 : Long.parseLong(generation));
            }
        }
        return actual;
    }

    private List<String> compare(String kind, Map<String, Long> desired, Map<String, Long> actual) {
        List<String> diff = new ArrayList<>();
        desired.forEach((key, generation) -> {
            Long found = actual.get(key);
            if (found == null) {
                diff.add(kind + " " + key + " missing (generation " + generation + " desired)");
            } else if (!found.equals(generation)) {
                diff.add(kind + " " + key + " at generation " + found + ", " + generation + " desired");
            }
        });
        actual.keySet().stream().filter(key -> !desired.containsKey(key)).forEach(key -> diff.add(kind + " " + key
                + " present but " + (revokedGrants.contains(key) ? "revoked"
                : deletedTenants.contains(key.split("/")[0]) ? "its tenant was deleted" : "not desired")));
        return diff;
    }

    /** Live grants of live tenants Applied at their generation, revoked ones Revoked, the others Pending. */
    private List<String> statusDiff(TopicReader statuses) {
        Map<String, Long> desired = desiredObjects();
        List<String> diff = new ArrayList<>();
        Map<String, String> expected = new TreeMap<>();
        liveGrants.keySet().forEach(key -> expected.put(key, desired.containsKey(key) ? "Applied" : "Pending"));
        revokedGrants.forEach(key -> expected.put(key, "Revoked"));
        expected.forEach((key, phase) -> {
            String latest = statuses.latest(key);
            JsonNode status = latest == null ? null : Json.readTree(latest);
            String actualPhase = status == null ? "none" : status.path("phase").asText();
            if (!phase.equals(actualPhase)) {
                diff.add("status of " + key + " is " + actualPhase + (status == null ? ""
                        : "/" + status.path("reason").asText()) + ", " + phase + " expected");
            } else if (phase.equals("Applied") && status.path("generation").asLong() != desired.get(key)) {
                diff.add("status of " + key + " is Applied at generation " + status.path("generation").asLong()
                        + ", " + desired.get(key) + " expected");
            }
        });
        return diff;
    }

    // ---- output ---------------------------------------------------------------------------------------------------

    private boolean report(long minutes, List<String> diff, List<String> statusDiff, long convergedMillis,
            String retries) throws IOException {
        List<Sample> all = new ArrayList<>(samples);
        all.sort(java.util.Comparator.comparingLong(Sample::intendedMillis));
        List<Window> windows = SoakStatistics.windows(all, WINDOW_SECONDS, minutes * 60);
        Window total = SoakStatistics.window(0, all);
        writeCsvs(all, windows);

        long producerErrors = counts.get("producer errors").get();
        long driverErrors = counts.get("driver errors").get();
        long errors = total.errors() + producerErrors + driverErrors;
        List<String> lines = new ArrayList<>();
        lines.add(String.format(Locale.ROOT, "soak: %d min, %d admission req/s scheduled, a grants record every %s ms,"
                + " a tenant every %s s", minutes, opt("rate"), opts.get("grantEvery"), opts.get("tenantEvery")));
        lines.add(String.format(Locale.ROOT, "admission: %d requests, p50 %s / p99 %s / p99.9 %s / max %s ms "
                        + "(from the intended send time; windows of %d s in latency.csv)", total.requests(),
                ms(total.p50Micros()), ms(total.p99Micros()), ms(total.p999Micros()), ms(total.maxMicros()),
                WINDOW_SECONDS));
        lines.add(String.format(Locale.ROOT, "admission, worst %d-s window: p99 %s ms, p99.9 %s ms, max %s ms",
                WINDOW_SECONDS, ms(windows.stream().mapToLong(Window::p99Micros).max().orElse(-1)),
                ms(windows.stream().mapToLong(Window::p999Micros).max().orElse(-1)),
                ms(windows.stream().mapToLong(Window::maxMicros).max().orElse(-1))));
        lines.add("admission outcomes: " + total.outcomes());
        lines.add(String.format(Locale.ROOT, "grants: %d new, %d new generations, %d revoked; records by java %d, by "
                        + "kcat %d; tenants: %d created, %d deleted; %d live grants at the end",
                counts.get("grants new").get(), counts.get("grants new generation").get(),
                counts.get("grants revoked").get(), counts.get("records by java").get(),
                counts.get("records by kcat").get(), counts.get("tenants created").get(),
                counts.get("tenants deleted").get(), liveGrants.size()));
        lines.add("errors total: " + errors + " (admission " + total.errors() + ", producers " + producerErrors
                + ", driver " + driverErrors + ")");
        errorLines.stream().limit(20).forEach(line -> lines.add("  " + line));
        lines.add("grant-service reconcile retries (replica 1 since its restart / replica 2): " + retries);
        synchronized (memory) {
            memory.forEach((name, rows) -> lines.add(memoryLine(name, rows)));
        }
        int desiredCount = desiredObjects().size();
        lines.add((diff.isEmpty() ? "final state: the API holds exactly the desired state" : "final state: "
                + diff.size() + " differences") + " (" + desiredCount + " Secrets and " + desiredCount
                + " PodDefaults at their generations; nothing for " + revokedGrants.size() + " revoked grants, "
                + deletedTenants.size() + " deleted tenants and the grants of tenants not created), "
                + (diff.isEmpty() && statusDiff.isEmpty() ? "converged " + convergedMillis + " ms"
                : "not converged within " + opts.get("converge") + " s") + " into the check");
        diff.stream().limit(20).forEach(line -> lines.add("  " + line));
        lines.add(statusDiff.isEmpty() ? "statuses: every grant's latest status agrees (Applied at its generation, "
                + "Revoked, or Pending)" : "statuses: " + statusDiff.size() + " disagree");
        statusDiff.stream().limit(20).forEach(line -> lines.add("  " + line));
        lines.add("events: " + String.join("; ", events));
        boolean passed = errors == 0 && diff.isEmpty() && statusDiff.isEmpty();
        lines.add(passed ? "PASSED" : "FAILED");
        Progress.step("Soak summary");
        lines.forEach(Progress::info);
        Files.write(out.resolve("summary.txt"), lines);
        return passed;
    }

    /**
     * Heap and RSS at the first and last sample, and the trend over the second half of the run (the first half holds
     * the JIT's warm-up and the heap growing to its working size); for the restarted replica, since its restart.
     */
    private String memoryLine(String name, List<long[]> rows) {
        List<long[]> valid = rows.stream().filter(r -> r[1] >= 0).toList();
        if (valid.isEmpty()) {
            return name + ": no samples";
        }
        long[] first = valid.get(0);
        long[] last = valid.get(valid.size() - 1);
        long from = name.equals("grant-service-1") && restartedAtMillis >= 0
                ? Math.max(last[0] / 2, restartedAtMillis) : last[0] / 2;
        List<long[]> tail = valid.stream().filter(r -> r[0] >= from).toList();
        double[] x = tail.stream().mapToDouble(r -> r[0] / 60_000.0).toArray();
        double rssSlope = SoakStatistics.slope(x, tail.stream().mapToDouble(r -> r[2] / (double) MIB).toArray());
        long[] gc = heapAfterGc.getOrDefault(name, new long[] {-1, -1});
        return String.format(Locale.ROOT, "%s: heap after full GC %s -> %s MiB%s; heap used %s -> %s MiB, RSS %s -> "
                        + "%s MiB (first and last 10-s sample); RSS from %d s on %+.2f MiB/min (least squares, %d "
                        + "samples)", name, mib(gc[0]), mib(gc[1]),
                name.equals("grant-service-1") ? " (the end figure is of the restarted process)" : "",
                mib(first[1]), mib(last[1]), mib(first[2]), mib(last[2]), from / 1000, rssSlope, tail.size());
    }

    private void writeCsvs(List<Sample> all, List<Window> windows) throws IOException {
        List<String> latency = new ArrayList<>(List.of("window_start_s,requests,p50_ms,p99_ms,p999_ms,max_ms,errors,"
                + "non_200,denied,wrong_answer,timeout,io_error"));
        for (Window w : windows) {
            latency.add(String.format(Locale.ROOT, "%d,%d,%s,%s,%s,%s,%d,%d,%d,%d,%d,%d", w.startSeconds(),
                    w.requests(), ms(w.p50Micros()), ms(w.p99Micros()), ms(w.p999Micros()), ms(w.maxMicros()),
                    w.errors(), w.outcomes().getOrDefault(Outcome.NON_200, 0),
                    w.outcomes().getOrDefault(Outcome.DENIED, 0), w.outcomes().getOrDefault(Outcome.WRONG_ANSWER, 0),
                    w.outcomes().getOrDefault(Outcome.TIMEOUT, 0), w.outcomes().getOrDefault(Outcome.IO_ERROR, 0)));
        }
        Files.write(out.resolve("latency.csv"), latency);
        List<String> requests = new ArrayList<>(List.of("intended_ms,latency_us,outcome"));
        all.forEach(s -> requests.add(s.intendedMillis() + "," + s.latencyMicros() + "," + s.outcome()));
        Files.write(out.resolve("requests.csv"), requests);
        synchronized (memory) {
            for (Map.Entry<String, List<long[]>> series : memory.entrySet()) {
                List<String> rows = new ArrayList<>(List.of("t_s,heap_mib,rss_mib"));
                series.getValue().forEach(r -> rows.add(String.format(Locale.ROOT, "%.1f,%s,%s", r[0] / 1000.0,
                        r[1] < 0 ? "" : mib(r[1]), r[2] < 0 ? "" : mib(r[2]))));
                Files.write(out.resolve("memory-" + series.getKey() + ".csv"), rows);
            }
        }
        List<String> gcRows = new ArrayList<>(List.of("service,heap_after_full_gc_start_mib,"
                + "heap_after_full_gc_end_mib"));
        heapAfterGc.forEach((name, gc) -> gcRows.add(name + "," + mib(gc[0]) + "," + mib(gc[1])));
        Files.write(out.resolve("heap-after-gc.csv"), gcRows);
        List<String> eventRows = new ArrayList<>(List.of("t_s,event"));
        events.forEach(e -> eventRows.add(e.replaceFirst(" s: ", ",")));
        Files.write(out.resolve("events.csv"), eventRows);
        List<String> errorRows = new ArrayList<>(List.of("error"));
        errorRows.addAll(errorLines);
        Files.write(out.resolve("errors.csv"), errorRows);
    }

    /** Runs the plotting script with the first python that has matplotlib; says so when none has. */
    private static void plot(Path root, Path out, String python) throws IOException, InterruptedException {
        Path script = root.resolve("local-stack/stack/src/main/python/soak_plots.py");
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
            Progress.info("plots (" + candidate + " " + root.relativize(script) + "): exit " + exit);
            return;
        }
        Progress.info("no plots: no python3 with matplotlib (apt-get install -y python3-matplotlib); the CSVs are in "
                + root.relativize(out));
    }

    // ---- small helpers --------------------------------------------------------------------------------------------

    private void event(String what) {
        synchronized (events) {
            events.add(elapsed() + ": " + what);
        }
        Progress.info(elapsed() + ": " + what);
    }

    private String elapsed() {
        return String.format(Locale.ROOT, "%.1f s", (System.nanoTime() - t0) / 1e9);
    }

    private static String ms(long micros) {
        return micros < 0 ? "" : String.format(Locale.ROOT, "%.2f", micros / 1000.0);
    }

    private static String mib(long bytes) {
        return bytes < 0 ? "-" : Long.toString(Math.round(bytes / (double) MIB));
    }

    private static String base64(String plain) {
        return Base64.getEncoder().encodeToString(plain.getBytes(StandardCharsets.UTF_8));
    }

    private static java.util.concurrent.ThreadFactory named(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }

    private KafkaProducer<String, String> producer() {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, platform.broker.bootstrapServers());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        return new KafkaProducer<>(props, new StringSerializer(), new StringSerializer());
    }
}
