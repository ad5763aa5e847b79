package dev.grantflow.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.grantflow.model.event.Topics;
import dev.grantflow.model.json.Json;
import dev.grantflow.model.poddefault.PodDefault;
import dev.grantflow.testing.KubeApiProxy;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Grantflow under process and broker faults: the packaged services as separate processes (grant-service with
 * signatures required), the real Kafka broker, and the Kubernetes API stand-in behind {@link KubeApiProxy}, which
 * records every request the services send. A platform of its own (logs under {@code target/faults-stack/}).
 *
 * <ul>
 *   <li>the broker is stopped and restarted (same port, same data) in the middle of a burst of signed grants,
 *       revocations and tenant namespaces appearing;</li>
 *   <li>one of two grant-service instances is SIGKILLed while a burst is being reconciled, and started again;</li>
 *   <li>the namespace-watcher replica holding the Lease is SIGKILLed while tenant namespaces are being created.</li>
 * </ul>
 *
 * Each ends with every grant in its right phase, and what the API server stored counted per object (a watch on the
 * stand-in): every live grant's Secret and PodDefault created exactly once and never updated, every revoked grant's
 * objects gone, nothing else in the tenants' namespaces. The takeover times are measured and printed
 * ({@code FAULTS ...} lines), never asserted.
 */
class FaultsEndToEndTest {

    static final String SOURCE = "faults-src";
    static final Set<Integer> ALL_SHARDS = Set.of(0, 1, 2);

    static Platform platform;
    static KubeApiProxy proxy;
    static TopicReader statuses;
    static TopicReader tenantEvents;
    static final List<ServiceProcess> watchers = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void start() {
        Path root = Path.of(System.getProperty("grantflow.home", "../..")).toAbsolutePath().normalize();
        platform = Platform.start(root, Platform.Setup.defaults().withWorkDir("faults-stack")
                .withKubeFront(FaultsEndToEndTest::proxyInFront));
        watchers.add(platform.watcher);
        platform.kube.client().secrets().inNamespace(Platform.SOURCE_NAMESPACE).resource(new SecretBuilder()
                .withNewMetadata().withName(SOURCE).withNamespace(Platform.SOURCE_NAMESPACE).endMetadata()
                .withData(Map.of("k", SeedScenario.base64("v"))).build()).create();
        statuses = new TopicReader(platform.broker.bootstrapServers(), Topics.GRANT_STATUS, true);
        tenantEvents = new TopicReader(platform.broker.bootstrapServers(), Topics.TENANTS, false);
    }

    private static URI proxyInFront(URI standIn) {
        try {
            proxy = KubeApiProxy.start(standIn);
            return proxy.uri();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @AfterAll
    static void stop() {
        for (AutoCloseable closeable : new AutoCloseable[] {statuses, tenantEvents, platform, proxy}) {
            try {
                if (closeable != null) {
                    closeable.close();
                }
            } catch (Exception e) {
                System.out.println("    (cleanup: " + e.getMessage() + ")");
            }
        }
    }

    /**
     * A burst of signed grants (4 every 100 ms, every fifth revoked on the next tick) to eight tenants: two exist, two
     * namespaces exist without the tenant label and get it during the burst, four are created during the burst. In
     * the middle, the broker is stopped (SIGTERM: controlled shutdown) and, once namespace-watcher reports it
     * unreachable, started again on the same port and data; a label and two namespaces change while it is away.
     */
    @Test
    void theBrokerStoppedAndRestartedMidBurstLosesNoGrantAndAppliesNoneTwice() throws Exception {
        String prefix = "kb-";
        KubernetesClient kube = platform.kube.client();
        List<String> tenants = IntStream.range(0, 8).mapToObj(i -> prefix + i).toList();
        createNamespace(tenants.get(0), true);
        createNamespace(tenants.get(1), true);
        createNamespace(tenants.get(2), false);
        createNamespace(tenants.get(3), false);
        proxy.clearRequests();
        try (ObjectEvents events = new ObjectEvents(kube, prefix);
                KafkaProducer<String, String> producer = producer();
                GrantBurst burst = new GrantBurst(producer, platform.keys::sign, tenants, SOURCE, 4, 5).start()) {
            await().atMost(Duration.ofSeconds(60)).until(() -> burst.postedCount() >= 40);

            Instant stopped = Instant.now();
            platform.broker.stop();
            int postedAtStop = burst.postedCount();
            labelAsTenant(tenants.get(2));
            createNamespace(tenants.get(4), true);
            createNamespace(tenants.get(5), true);
            await().atMost(Duration.ofSeconds(60)).until(() -> liveWatchers().stream()
                    .anyMatch(w -> w.readinessData("namespace-watcher").has("kafka")));
            platform.broker.restart();
            Duration outage = Duration.between(stopped, Instant.now());
            int postedAtRestart = burst.postedCount();

            labelAsTenant(tenants.get(3));
            createNamespace(tenants.get(6), true);
            createNamespace(tenants.get(7), true);
            await().atMost(Duration.ofSeconds(60)).until(() -> burst.postedCount() >= postedAtRestart + 40);
            List<String> keys = burst.finish(burst.postedCount(), Duration.ofMinutes(2));
            Set<String> live = burst.live();
            Set<String> revoked = burst.revoked();
            assertThat(revoked).isNotEmpty();

            Instant burstEnded = Instant.now();
            await().atMost(Duration.ofSeconds(120)).until(() -> converged(prefix, keys, revoked, true));
            await().atMost(Duration.ofSeconds(60)).until(platform::grantServiceIdle);
            Duration convergence = Duration.between(burstEnded, Instant.now());

            assertThat(tenants).allSatisfy(t -> assertThat(tenantEvents.latest(t)).as("tenant event of " + t)
                    .isNotNull());
            assertEachWrittenOnce(events, live, revoked);
            assertNoLiveGrantReportedRevoked(live);
            WriteAttempts attempts = WriteAttempts.of(prefix);
            assertThat(attempts.updates()).as("updates sent to the API").isZero();
            assertThat(attempts.creates()).as("creates sent (a 409 on a create the cache had not seen counts here)")
                    .isGreaterThanOrEqualTo(events.total("ADDED"));

            report("broker outage: %d grants (%d revoked) to %d tenants; broker down %d ms (stopped after %d grants,"
                    + " %d more sent while it was away, held by the producer); converged %d ms after the burst ended;"
                    + " API: %d creates took effect of %d sent, %d updates, %d deletes",
                    keys.size(), revoked.size(), tenants.size(), outage.toMillis(), postedAtStop,
                    postedAtRestart - postedAtStop,
                    convergence.toMillis(), events.total("ADDED"), attempts.creates(), attempts.updates(),
                    events.total("DELETED"));
        }
    }

    /**
     * Two grant-service instances share the shards; a burst (3 grants every 100 ms, every fourth revoked) is being
     * reconciled when the second instance is SIGKILLed (it never leaves the consumer group). The survivor takes every
     * shard once the dead member's session times out, the killed instance is started again and takes its share back.
     * Measured: kill -> the survivor holds every shard (readiness {@code grantsShards}), kill -> every grant posted
     * before the kill in its right state.
     */
    @Test
    void aGrantServiceInstanceSigkilledMidReconcileIsTakenOverWithoutDuplicateOrOrphan() throws Exception {
        String prefix = "gk-";
        KubernetesClient kube = platform.kube.client();
        List<String> tenants = IntStream.range(0, 6).mapToObj(i -> prefix + i).toList();
        tenants.forEach(t -> createNamespace(t, true));
        ServiceProcess second = platform.startAnotherGrantService("faults-grant-service-2");
        ServiceProcess restartedInstance = null;
        GrantBurst burst = null;
        try (ObjectEvents events = new ObjectEvents(kube, prefix);
                KafkaProducer<String, String> producer = producer()) {
            await().atMost(Duration.ofSeconds(90)).until(() -> splitBetween(platform.grantService, second));
            proxy.clearRequests();
            burst = new GrantBurst(producer, platform.keys::sign, tenants, SOURCE, 3, 4).start();
            await().atMost(Duration.ofSeconds(60)).until(() -> managedObjects(prefix).size() >= 20);

            List<String> postedAtKill = burst.posted();
            long appliedAtKill = managedObjects(prefix).stream().filter(o -> o.startsWith("Secret ")).count();
            Set<Integer> killedShards = Platform.grantsShards(second);
            Instant killed = Instant.now();
            second.kill();
            GrantBurst running = burst;
            await().pollInterval(Duration.ofMillis(100)).atMost(Duration.ofSeconds(90))
                    .until(() -> Platform.grantsShards(platform.grantService).equals(ALL_SHARDS));
            Duration takeover = Duration.between(killed, Instant.now());
            await().pollInterval(Duration.ofMillis(100)).atMost(Duration.ofSeconds(120))
                    .until(() -> converged(prefix, postedAtKill, running.revoked(), false));
            Duration convergence = Duration.between(killed, Instant.now());

            restartedInstance = platform.startAnotherGrantService("faults-grant-service-2-restarted");
            ServiceProcess again = restartedInstance;
            await().atMost(Duration.ofSeconds(90)).until(() -> splitBetween(platform.grantService, again));
            List<String> keys = burst.finish(burst.postedCount(), Duration.ofMinutes(2));
            Set<String> live = burst.live();
            Set<String> revoked = burst.revoked();

            await().atMost(Duration.ofSeconds(120)).until(() -> converged(prefix, keys, revoked, true));
            await().atMost(Duration.ofSeconds(60)).until(() -> platform.grantServiceIdle()
                    && again.readinessData("grant-service").path("idle").asBoolean(false));
            assertEachWrittenOnce(events, live, revoked);
            assertNoLiveGrantReportedRevoked(live);
            // Every managed object belongs to a live grant: its grant label names it, in its tenant's namespace.
            for (HasMetadata object : Stream.concat(
                    kube.secrets().inAnyNamespace().withLabel("app.kubernetes.io/managed-by", "grantflow").list()
                            .getItems().stream(),
                    kube.resources(PodDefault.class).inAnyNamespace()
                            .withLabel("app.kubernetes.io/managed-by", "grantflow").list().getItems().stream())
                    .filter(o -> o.getMetadata().getNamespace().startsWith(prefix)).toList()) {
                String key = object.getMetadata().getNamespace() + "/" + object.getMetadata().getName();
                assertThat(live).as(object.getKind() + " " + key).contains(key);
                assertThat(object.getMetadata().getLabels()).containsEntry("grantflow.dev/grant",
                        object.getMetadata().getName());
            }
            WriteAttempts attempts = WriteAttempts.of(prefix);
            assertThat(attempts.updates()).as("updates sent to the API").isZero();

            report("grant-service SIGKILL: killed the instance holding shards %s when %d of %d posted grants had"
                    + " their Secret; survivor held every shard %d ms after the kill (session timeout 15 s); every"
                    + " grant posted before the kill in its right state %d ms after the kill; the restarted instance"
                    + " holds shards %s; %d grants (%d revoked) in all; API: %d creates took effect of %d sent, %d"
                    + " updates, %d deletes",
                    killedShards, appliedAtKill, postedAtKill.size(), takeover.toMillis(), convergence.toMillis(),
                    Platform.grantsShards(again), keys.size(), revoked.size(), events.total("ADDED"),
                    attempts.creates(), attempts.updates(), events.total("DELETED"));
        } finally {
            if (burst != null) {
                burst.close();
            }
            second.close();
            if (restartedInstance != null) {
                restartedInstance.close();
            }
        }
    }

    /**
     * A second namespace-watcher replica joins the election; grants for thirty tenants that do not exist yet are
     * posted (pending), then their namespaces are created one every 200 ms, and after the sixth the replica holding
     * the Lease is SIGKILLed (its Lease is not released). The other replica takes the Lease once it expires and
     * announces every tenant, those created while nobody led included: every tenant gets its tenant event and its
     * grant applied.
     */
    @Test
    void theNamespaceWatcherLeaderSigkilledMissesNoTenant() throws Exception {
        String prefix = "nw-";
        KubernetesClient kube = platform.kube.client();
        List<String> tenants = IntStream.range(0, 30).mapToObj(i -> prefix + i).toList();
        ServiceProcess another = platform.startAnotherWatcher("faults-namespace-watcher-2",
                Map.of("GRANTFLOW_WATCHER_LEADER_ELECTION_IDENTITY", "faults-watcher-2"));
        watchers.add(another);
        List<ServiceProcess> pair = liveWatchers();
        assertThat(pair).hasSize(2);
        await().atMost(Duration.ofSeconds(60)).until(() -> leaders(pair).size() == 1 && leaseHolder() != null);

        List<String> keys = new ArrayList<>();
        try (KafkaProducer<String, String> producer = producer()) {
            for (String tenant : tenants) {
                var grant = GrantBurst.grant(tenant, "cred", SOURCE);
                producer.send(GrantBurst.signed(platform.keys::sign, grant.key(), Json.write(grant)))
                        .get(30, TimeUnit.SECONDS);
                keys.add(grant.key());
            }
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> keys.stream()
                .allMatch(key -> "Pending".equals(phase(key))));

        AtomicInteger created = new AtomicInteger();
        ScheduledExecutorService creator = Executors.newSingleThreadScheduledExecutor();
        try {
            creator.scheduleWithFixedDelay(() -> {
                int n = created.get();
                if (n < tenants.size()) {
                    createNamespace(tenants.get(n), true);
                    created.incrementAndGet();
                }
            }, 0, 200, TimeUnit.MILLISECONDS);
            await().atMost(Duration.ofSeconds(60)).until(() -> created.get() >= 6);

            ServiceProcess leader = leaders(pair).get(0);
            ServiceProcess survivor = pair.stream().filter(w -> w != leader).findFirst().orElseThrow();
            String holder = leaseHolder();
            int createdAtKill = created.get();
            Instant killed = Instant.now();
            leader.kill();
            watchers.remove(leader);
            await().pollInterval(Duration.ofMillis(100)).atMost(Duration.ofSeconds(90))
                    .until(() -> survivor.readinessData("namespace-watcher").path("leader").asBoolean(false)
                            && !holder.equals(leaseHolder()));
            Duration takeover = Duration.between(killed, Instant.now());
            int createdAtTakeover = created.get();

            await().atMost(Duration.ofSeconds(60)).until(() -> created.get() == tenants.size());
            await().atMost(Duration.ofSeconds(120)).until(() -> tenants.stream()
                    .allMatch(t -> tenantEvents.latest(t) != null));
            await().atMost(Duration.ofSeconds(120)).until(() -> keys.stream()
                    .allMatch(key -> "Applied".equals(phase(key))));
            Set<String> objects = managedObjects(prefix);
            for (String key : keys) {
                assertThat(objects).contains("Secret " + key, "PodDefault " + key);
            }
            if (survivor == another) {
                assertThat(leaseHolder()).isEqualTo("faults-watcher-2");
            }
            report("namespace-watcher SIGKILL: killed the leader %s after %d of %d namespaces; %s held the Lease"
                    + " %d ms after the kill (lease duration 15 s); %d namespaces created while nobody led; every"
                    + " tenant announced and its grant applied",
                    holder, createdAtKill, tenants.size(), leaseHolder(), takeover.toMillis(),
                    createdAtTakeover - createdAtKill);
        } finally {
            creator.shutdownNow();
        }
    }

    // ---- helpers ------------------------------------------------------------------------------------------------

    /**
     * Every key in its right state: revoked ones Revoked with no object left, the others Applied with both objects;
     * with {@code exactly}, nothing else is managed under the prefix.
     */
    static boolean converged(String prefix, List<String> keys, Set<String> revoked, boolean exactly) {
        Set<String> objects = managedObjects(prefix);
        Set<String> expected = new TreeSet<>();
        for (String key : keys) {
            boolean isRevoked = revoked.contains(key);
            if (!(isRevoked ? "Revoked" : "Applied").equals(phase(key))) {
                return false;
            }
            if (!isRevoked) {
                expected.add("Secret " + key);
                expected.add("PodDefault " + key);
            }
        }
        boolean noRevokedLeft = keys.stream().filter(revoked::contains)
                .noneMatch(key -> objects.contains("Secret " + key) || objects.contains("PodDefault " + key));
        return noRevokedLeft && (exactly ? objects.equals(expected) : objects.containsAll(expected));
    }

    /** {@code Secret <ns>/<name>} and {@code PodDefault <ns>/<name>} of the managed objects under the prefix. */
    static Set<String> managedObjects(String prefix) {
        KubernetesClient kube = platform.kube.client();
        Set<String> objects = new TreeSet<>();
        kube.secrets().inAnyNamespace().withLabel("app.kubernetes.io/managed-by", "grantflow").list().getItems()
                .stream().filter(s -> s.getMetadata().getNamespace().startsWith(prefix))
                .forEach(s -> objects.add("Secret " + s.getMetadata().getNamespace() + "/"
                        + s.getMetadata().getName()));
        kube.resources(PodDefault.class).inAnyNamespace().withLabel("app.kubernetes.io/managed-by", "grantflow").list()
                .getItems().stream().filter(p -> p.getMetadata().getNamespace().startsWith(prefix))
                .forEach(p -> objects.add("PodDefault " + p.getMetadata().getNamespace() + "/"
                        + p.getMetadata().getName()));
        return objects;
    }

    /**
     * Per object, what the API server stored: a live grant's Secret and PodDefault were created exactly once and never
     * updated nor deleted; a revoked grant's objects were created at most once and deleted as often as created.
     */
    static void assertEachWrittenOnce(ObjectEvents events, Set<String> live, Set<String> revoked) {
        assertThat(events.broken()).as("the counting watches stayed open").isNull();
        for (String kind : List.of("Secret", "PodDefault")) {
            for (String key : live) {
                assertThat(events.count("ADDED", kind, key)).as("%s %s created", kind, key).isEqualTo(1);
                assertThat(events.count("MODIFIED", kind, key)).as("%s %s updated", kind, key).isZero();
                assertThat(events.count("DELETED", kind, key)).as("%s %s deleted", kind, key).isZero();
            }
            for (String key : revoked) {
                int added = events.count("ADDED", kind, key);
                assertThat(added).as("%s %s (revoked) created", kind, key).isLessThanOrEqualTo(1);
                assertThat(events.count("MODIFIED", kind, key)).as("%s %s (revoked) updated", kind, key).isZero();
                assertThat(events.count("DELETED", kind, key)).as("%s %s (revoked) deleted", kind, key)
                        .isEqualTo(added);
            }
        }
    }

    /** No status record of a live grant ever said Revoked (nothing was revoked on the way by a partial view). */
    static void assertNoLiveGrantReportedRevoked(Set<String> live) {
        assertThat(statuses.records()).filteredOn(r -> live.contains(r.key()) && r.value() != null)
                .noneMatch(r -> r.value().contains("\"phase\":\"Revoked\""));
    }

    /** Writes the services sent through the proxy to the tenants' namespaces under a prefix (refused ones included). */
    record WriteAttempts(int creates, int updates) {

        static WriteAttempts of(String prefix) {
            String objects = "/(api/v1|apis/kubeflow\\.org/v1alpha1)/namespaces/" + prefix
                    + "[^/]*/(secrets|poddefaults)";
            return new WriteAttempts(proxy.count("POST", objects), proxy.count("PUT", objects + "/[^/]+")
                    + proxy.count("PATCH", objects + "/[^/]+"));
        }
    }

    /** The phase of the latest status of {@code key}, or null. */
    static String phase(String key) {
        String status = statuses.latest(key);
        return status == null ? null : Json.readTree(status).path("phase").asText(null);
    }

    /** The grant shards are split between the two instances: each holds some, together all, none twice. */
    static boolean splitBetween(ServiceProcess first, ServiceProcess second) {
        Set<Integer> a = Platform.grantsShards(first);
        Set<Integer> b = Platform.grantsShards(second);
        Set<Integer> union = new TreeSet<>(a);
        union.addAll(b);
        return !a.isEmpty() && !b.isEmpty() && union.equals(ALL_SHARDS) && a.size() + b.size() == ALL_SHARDS.size();
    }

    static List<ServiceProcess> liveWatchers() {
        return watchers.stream().filter(ServiceProcess::alive).toList();
    }

    static List<ServiceProcess> leaders(List<ServiceProcess> replicas) {
        return replicas.stream().filter(w -> w.readinessData("namespace-watcher").path("leader").asBoolean(false))
                .toList();
    }

    static String leaseHolder() {
        var lease = platform.kube.client().leases().inNamespace("default").withName("grantflow-namespace-watcher")
                .get();
        return lease == null || lease.getSpec() == null ? null : lease.getSpec().getHolderIdentity();
    }

    static void createNamespace(String name, boolean tenant) {
        NamespaceBuilder namespace = new NamespaceBuilder().withNewMetadata().withName(name).endMetadata()
                .withNewStatus().withPhase("Active").endStatus();
        if (tenant) {
            namespace.editMetadata().addToLabels("app.kubernetes.io/part-of", "kubeflow-profile").endMetadata();
        }
        platform.kube.client().namespaces().resource(namespace.build()).create();
    }

    static void labelAsTenant(String name) {
        Namespace namespace = platform.kube.client().namespaces().withName(name).get();
        Map<String, String> labels = new java.util.HashMap<>();
        if (namespace.getMetadata().getLabels() != null) {
            labels.putAll(namespace.getMetadata().getLabels());
        }
        labels.put("app.kubernetes.io/part-of", "kubeflow-profile");
        namespace.getMetadata().setLabels(labels);
        platform.kube.client().namespaces().resource(namespace).update();
    }

    static KafkaProducer<String, String> producer() {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, platform.broker.bootstrapServers());
        return new KafkaProducer<>(props, new StringSerializer(), new StringSerializer());
    }

    static void report(String format, Object... args) {
        System.out.println("FAULTS " + String.format(format, args));
    }
}
