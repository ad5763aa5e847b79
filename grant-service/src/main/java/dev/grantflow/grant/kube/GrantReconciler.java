package dev.grantflow.grant.kube;

import dev.grantflow.grant.config.GrantServiceConfig;
import dev.grantflow.grant.domain.ApiFailurePolicy;
import dev.grantflow.grant.domain.GrantBook;
import dev.grantflow.grant.domain.GrantEntry;
import dev.grantflow.grant.domain.KubeAction;
import dev.grantflow.grant.domain.ReconcileInput;
import dev.grantflow.grant.domain.ReconcilePlan;
import dev.grantflow.grant.domain.ReconcilePolicy;
import dev.grantflow.grant.domain.Requeue;
import dev.grantflow.grant.domain.WorkQueue;
import dev.grantflow.grant.kafka.GrantPartitions;
import dev.grantflow.grant.kafka.StatusPublisher;
import dev.grantflow.grant.kafka.TenantPartitions;
import dev.grantflow.model.grant.GrantKey;
import dev.grantflow.model.grant.GrantStatus;
import dev.grantflow.model.grant.SecretRef;
import dev.grantflow.model.grant.StatusReason;
import io.fabric8.kubernetes.api.model.Secret;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * The controller loop: triggers (grant and tenant records, managed-object and source changes, expiry, resync)
 * enqueue grant keys; a bounded pool of workers takes keys from the de-duplicating {@link WorkQueue}, reads the
 * desired and actual state from memory, asks the {@link ReconcilePolicy} for a plan, performs its writes and
 * publishes the status. A write the API does not accept is classified by the {@link ApiFailurePolicy}: transient
 * failures (409, 429, 5xx, timeouts, ...) are retried with exponential backoff and jitter, or after the Retry-After
 * the API server asked for; a refusal the same write would meet again (400, 403, 422, a namespace being deleted) is
 * reported and not retried until something changes. Workers start once both topics are caught up and the informers
 * have synced.
 */
@ApplicationScoped
public class GrantReconciler {

    private static final Logger LOG = Logger.getLogger(GrantReconciler.class);

    @Inject
    GrantBook book;

    @Inject
    ReconcilePolicy policy;

    @Inject
    ManagedObjectsWatch watch;

    @Inject
    KubeWriter writer;

    @Inject
    StatusPublisher status;

    @Inject
    GrantPartitions grantPartitions;

    @Inject
    TenantPartitions tenantPartitions;

    @Inject
    GrantServiceConfig config;

    @Inject
    MeterRegistry registry;

    private final WorkQueue<GrantKey> queue = new WorkQueue<>();
    private final Map<GrantKey, Integer> attempts = new ConcurrentHashMap<>();
    private final AtomicBoolean resyncPending = new AtomicBoolean(true);
    private volatile boolean running;
    private volatile boolean everReady;
    private ScheduledExecutorService scheduler;
    private List<Thread> workers;
    private Timer latency;
    private Counter retries;

    void onStart(@Observes StartupEvent event) {
        latency = Timer.builder("grantflow.reconcile.duration").description("Time to reconcile one grant key")
                .publishPercentileHistogram().register(registry);
        retries = Counter.builder("grantflow.reconcile.retries")
                .description("Reconciles scheduled again after a transient failure").register(registry);
        registry.gauge("grantflow.reconcile.queue.depth", queue, WorkQueue::depth);
        running = true;
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "reconcile-scheduler"));
        scheduler.scheduleWithFixedDelay(this::resyncIfDue, 100, 100, TimeUnit.MILLISECONDS);
        long resync = config.reconcile().resyncPeriod().toMillis();
        scheduler.scheduleWithFixedDelay(() -> resyncPending.set(true), resync, resync, TimeUnit.MILLISECONDS);
        workers = new ArrayList<>();
        for (int i = 0; i < config.reconcile().workers(); i++) {
            Thread worker = daemon(this::work, "reconcile-" + i);
            workers.add(worker);
            worker.start();
        }
    }

    void onStop(@Observes ShutdownEvent event) {
        running = false;
        queue.shutdown();
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
    }

    public void enqueue(GrantKey key) {
        queue.add(key);
    }

    /** Reconcile every known key once the state is rebuilt (after start and after every rebalance). */
    public void resyncWhenReady() {
        resyncPending.set(true);
    }

    /** Both topics caught up, the informers synced and the published statuses known. */
    public boolean ready() {
        return grantPartitions.caughtUp() && tenantPartitions.caughtUp() && watch.synced() && status.seeded();
    }

    public int queueDepth() {
        return queue.depth();
    }

    public boolean idle() {
        return queue.idle();
    }

    private void resyncIfDue() {
        if (!ready() || !resyncPending.getAndSet(false)) {
            return;
        }
        everReady = true;
        var keys = new java.util.HashSet<>(book.keys());
        keys.addAll(watch.managedKeys());
        LOG.infof("Reconciling all %d grant keys", keys.size());
        keys.forEach(queue::add);
    }

    private void work() {
        while (running) {
            GrantKey key;
            try {
                if (!everReady) {
                    Thread.sleep(50);
                    continue;
                }
                key = queue.take(1, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                return;
            }
            if (key == null) {
                continue;
            }
            try {
                latency.record(() -> reconcile(key));
            } catch (RuntimeException e) {
                LOG.errorf(e, "Unexpected failure reconciling %s", key);
                requeue(key, Requeue.RATE_LIMITED);
            } finally {
                queue.done(key);
            }
        }
    }

    private void reconcile(GrantKey key) {
        GrantEntry entry = book.entry(key);
        ReconcileInput input = new ReconcileInput(key, entry, book.tombstoned(key), grantPartitions.owns(key),
                book.tenantExists(key.tenant()), source(entry), watch.secrets(key), watch.podDefaults(key),
                Instant.now());
        ReconcilePlan plan = policy.plan(input);
        GrantStatus outcome = plan.status();
        Requeue requeue = Requeue.FORGET;
        try {
            for (KubeAction action : plan.actions()) {
                writer.execute(action);
            }
        } catch (KubeWriter.NameClash clash) {
            outcome = GrantStatus.of(key, entry == null ? 0 : entry.generation(), StatusReason.CONFLICT,
                    clash.getMessage(), Instant.now());
            requeue = Requeue.RATE_LIMITED;
        } catch (KubeWriter.ApiError error) {
            ApiFailurePolicy.Decision decision = ApiFailurePolicy.decide(key, entry == null ? 0 : entry.generation(),
                    error.failure(), Instant.now());
            LOG.infof("%s: %s", key, decision.status().message());
            outcome = decision.status();
            requeue = decision.requeue();
        }
        if (outcome != null) {
            // Not awaited: the worker moves on; a status the broker refuses is published again by a later reconcile.
            status.publish(outcome).subscribe().with(ok -> { }, failure -> requeue(key, Requeue.RATE_LIMITED));
        }
        if (entry == null && !input.owned()) {
            status.forget(key);
        }
        requeue(key, requeue);
        if (!(requeue instanceof Requeue.Forget)) {
            return;
        }
        if (plan.recheckAt() != null) {
            long delay = Math.max(0, Duration.between(Instant.now(), plan.recheckAt()).toMillis()) + 10;
            scheduler.schedule(() -> queue.add(key), delay, TimeUnit.MILLISECONDS);
        }
    }

    private Secret source(GrantEntry entry) {
        if (entry instanceof GrantEntry.Accepted accepted) {
            SecretRef ref = accepted.grant().spec().secret().source().secretRef();
            return ref == null ? null : watch.source(ref.name());
        }
        return null;
    }

    /**
     * The one place a key's next attempt is scheduled, in a rate-limited queue's terms: {@code RateLimited} is
     * {@code addRateLimited(key)}, {@code After} is {@code addAfter(key, delay)} (capped at the maximum backoff),
     * {@code Forget} is {@code forget(key)}.
     */
    private void requeue(GrantKey key, Requeue requeue) {
        if (requeue instanceof Requeue.Forget) {
            attempts.remove(key);
            return;
        }
        long max = config.reconcile().maxBackoff().toMillis();
        long delay;
        if (requeue instanceof Requeue.After after) {
            delay = Math.min(max, after.delay().toMillis());
        } else {
            int attempt = attempts.merge(key, 1, Integer::sum);
            long base = config.reconcile().initialBackoff().toMillis();
            delay = Math.min(max, base << Math.min(attempt - 1, 20));
            delay = delay / 2 + ThreadLocalRandom.current().nextLong(delay / 2 + 1);
        }
        retries.increment();
        LOG.debugf("Retrying %s in %d ms", key, delay);
        scheduler.schedule(() -> queue.add(key), delay, TimeUnit.MILLISECONDS);
    }

    private static Thread daemon(Runnable runnable, String name) {
        Thread thread = new Thread(runnable, name);
        thread.setDaemon(true);
        return thread;
    }
}
