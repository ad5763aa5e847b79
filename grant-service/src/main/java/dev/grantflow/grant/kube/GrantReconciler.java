package dev.grantflow.grant.kube;

import dev.grantflow.grant.config.GrantServiceConfig;
import dev.grantflow.grant.domain.ApiFailurePolicy;
import dev.grantflow.grant.domain.DeletionBudget;
import dev.grantflow.grant.domain.GrantLedger;
import dev.grantflow.grant.domain.GrantEntry;
import dev.grantflow.grant.domain.GrantFeed;
import dev.grantflow.grant.domain.GrantTraces;
import dev.grantflow.grant.domain.KubeAction;
import dev.grantflow.grant.domain.ReconcileInput;
import dev.grantflow.grant.domain.ReconcilePlan;
import dev.grantflow.grant.domain.ReconcilePolicy;
import dev.grantflow.grant.domain.SealedDataMapper;
import dev.grantflow.grant.domain.SealedValues;
import dev.grantflow.grant.domain.ReconcileTrigger;
import dev.grantflow.grant.domain.Requeue;
import dev.grantflow.grant.domain.Shards;
import dev.grantflow.grant.domain.StatusSink;
import dev.grantflow.grant.domain.SelectorGrantPolicy;
import dev.grantflow.grant.domain.TenantCheck;
import dev.grantflow.grant.domain.TenantConfirmationPolicy;
import dev.grantflow.model.control.RateLimiter;
import dev.grantflow.model.control.WorkQueue;
import dev.grantflow.model.grant.Grant;
import dev.grantflow.model.grant.GrantKey;
import dev.grantflow.model.grant.GrantStatus;
import dev.grantflow.model.grant.SecretRef;
import dev.grantflow.model.grant.StatusReason;
import dev.grantflow.model.grant.TenantCounts;
import io.fabric8.kubernetes.api.model.Secret;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

/**
 * The controller loop: triggers (grant and tenant records, managed-object and source changes, shard activation,
 * expiry, resync) enqueue grant keys into a rate-limited {@link WorkQueue}; a bounded pool of workers takes keys (one
 * worker per key at a time), skips keys outside this instance's active shards, reads the desired and actual state
 * from memory, asks the {@link ReconcilePolicy} for a plan, performs its writes and publishes the status. A write the
 * API does not accept is classified by the {@link ApiFailurePolicy}: transient failures (409, 429, 5xx, timeouts,
 * ...) are retried with the queue's per-key backoff, or after the Retry-After the API server asked for; a refusal the
 * same write would meet again (400, 403, 422, a namespace being deleted) is reported and not retried until something
 * changes. Expiry rechecks wait in the same queue (one per key). Workers start once the topics are caught up, the
 * informers have synced and the published statuses are known.
 */
@ApplicationScoped
public class GrantReconciler implements ReconcileTrigger {

    private static final Logger LOG = Logger.getLogger(GrantReconciler.class);
    private static final Duration AWAIT_QUIET = Duration.ofSeconds(10);
    /** How long a selector grant's status waits for more of its copies to settle before it is tallied again. */
    private static final Duration SELECTOR_STATUS_DELAY = Duration.ofSeconds(1);

    @Inject
    GrantLedger ledger;

    @Inject
    Shards shards;

    @Inject
    ReconcilePolicy policy;

    @Inject
    SealedValues sealedValues;

    @Inject
    DeletionBudget budget;

    @Inject
    ManagedObjectsWatch watch;

    @Inject
    TenantNamespacesWatch namespaces;

    @Inject
    KubeWriter writer;

    @Inject
    StatusSink status;

    @Inject
    GrantFeed feed;

    @Inject
    GrantServiceConfig config;

    @Inject
    MeterRegistry registry;

    @Inject
    GrantTraces traces;

    @Inject
    OpenTelemetry openTelemetry;

    private Tracer tracer;

    private volatile WorkQueue<GrantKey> queue;
    private final Set<GrantKey> inFlight = ConcurrentHashMap.newKeySet();
    private final Set<GrantKey> resyncLeft = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean resyncPending = new AtomicBoolean(true);
    private final AtomicLong resyncsCompleted = new AtomicLong();
    private final CountDownLatch firstReady = new CountDownLatch(1);
    private volatile boolean running;
    private ScheduledExecutorService scheduler;
    private List<Thread> workers;
    private Timer latency;
    private Counter retries;

    /**
     * The queue exists from the bean's first use: the consumers start before the StartupEvent observers run, and may
     * enqueue before {@link #onStart} (workers take keys only after the first resync).
     */
    @PostConstruct
    void createQueue() {
        queue = WorkQueue.create(RateLimiter.exponentialWithJitter(config.reconcile().initialBackoff(),
                config.reconcile().maxBackoff()));
    }

    void onStart(@Observes StartupEvent event) {
        latency = Timer.builder("grantflow.reconcile.duration").description("Time to reconcile one grant key")
                .publishPercentileHistogram().register(registry);
        retries = Counter.builder("grantflow.reconcile.retries")
                .description("Reconciles scheduled again after a transient failure").register(registry);
        registry.gauge("grantflow.reconcile.queue.depth", queue, WorkQueue::depth);
        registry.gauge("grantflow.reconcile.queue.waiting", queue, WorkQueue::waiting);
        registry.gauge("grantflow.deletions.held", budget, DeletionBudget::heldCount);
        tracer = openTelemetry.getTracer("dev.grantflow.grant-service");
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

    /**
     * A selector grant's key also enqueues its copies: in the tenants it selects now, and where it left some. Any
     * other key also enqueues the selector grants' copies in its tenant (while there are selector grants): whether a
     * copy yields depends on the other grants there (precedence), so a grant that comes, goes or takes a name over
     * there is a trigger for them.
     */
    @Override
    public void enqueue(GrantKey key) {
        queue.add(key);
        if (key.isSelector()) {
            copiesOf(key).forEach(queue::add);
        } else if (ledger.hasSelectorKeys()) {
            copiesIn(key.tenant()).forEach(queue::add);
        }
    }

    @Override
    public void tenantChanged(String tenant) {
        ledger.keysOf(tenant).forEach(queue::add);
        copiesIn(tenant).forEach(queue::add);
    }

    /**
     * The copies of selector grant {@code key} to reconcile: in every tenant it selects (while in force), with
     * objects, or with a status reported here.
     */
    private Set<GrantKey> copiesOf(GrantKey key) {
        if (!informersSynced()) {
            return Set.of();
        }
        Set<GrantKey> copies = new HashSet<>(watch.copiesOf(key));
        ledger.selectorGrant(key).ifPresent(selector -> namespaces.selected(selector.selector())
                .forEach(tenant -> copies.add(key.copyIn(tenant))));
        copies.addAll(status.reported(reported -> reported.isCopy() && reported.grantKey().equals(key)));
        return copies;
    }

    /**
     * The copies in {@code tenant} to reconcile when it changed: of every selector grant in force that selects it,
     * of those with objects there, and of those with a status reported here. Costs the selector grants, not all
     * grants.
     */
    private Set<GrantKey> copiesIn(String tenant) {
        if (!informersSynced()) {
            return Set.of();
        }
        Set<GrantKey> copies = new HashSet<>(watch.copiesIn(tenant));
        TenantCheck check = namespaces.check(tenant);
        Map<String, String> labels = namespaces.labels(tenant);
        for (GrantLedger.SelectorGrant selector : ledger.selectorGrants()) {
            if (SelectorGrantPolicy.selects(selector, check, labels)) {
                copies.add(selector.key().copyIn(tenant));
            }
        }
        for (GrantKey selector : ledger.selectorKeys()) {
            GrantKey copy = selector.copyIn(tenant);
            if (status.last(copy) != null) {
                copies.add(copy);
            }
        }
        return copies;
    }

    /**
     * The managed-object and namespace informers have synced. Tenant and grant records are read from the start, before
     * the informers have started (a restart over existing tenants): until they have synced there are no copies to
     * look up, and none needs enqueuing, since no worker runs before the first resync, which waits for the informers
     * and reconciles every copy of every selector grant.
     */
    private boolean informersSynced() {
        return watch.synced() && namespaces.synced();
    }

    /**
     * The statuses of the keys taken over are read back first (their previous owner published them), then a full
     * resync follows, so that the completed passes count covers the keys of every shard held now.
     */
    @Override
    public void shardsActivated(Set<Integer> activated) {
        status.refresh(key -> shards.inShards(key, activated));
        resyncWhenReady();
    }

    @Override
    public boolean awaitQuiet(Set<Integer> released) {
        long deadline = System.nanoTime() + AWAIT_QUIET.toNanos();
        synchronized (inFlight) {
            while (inFlight.stream().anyMatch(key -> shards.inShards(key, released))) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(inFlight, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
        }
        return true;
    }

    /** Reconcile every known key once the state is rebuilt (after start, periodically, and on request). */
    public void resyncWhenReady() {
        resyncPending.set(true);
    }

    /**
     * Resync passes completed: every key a pass enqueued has been reconciled since. A pass starts once the instance is
     * ready and all its shards are active (after start, after every shard activation, every resync period).
     */
    public long resyncsCompleted() {
        return resyncsCompleted.get();
    }

    /** The topics caught up, the informers (managed objects, namespaces) synced and the published statuses known. */
    public boolean ready() {
        return feed.caughtUp() && watch.synced() && namespaces.synced() && status.seeded();
    }

    public int queueDepth() {
        return queue.depth();
    }

    /** Keys waiting for a delay: expiry rechecks, retries, held-back deletions (at most one per key). */
    public int queueWaiting() {
        return queue.waiting();
    }

    public boolean idle() {
        return queue.idle();
    }

    private Set<GrantKey> allKeys() {
        Set<GrantKey> keys = new HashSet<>(ledger.keys());
        keys.addAll(watch.managedKeys());
        for (GrantLedger.SelectorGrant selector : ledger.selectorGrants()) {
            namespaces.selected(selector.selector()).forEach(tenant -> keys.add(selector.key().copyIn(tenant)));
        }
        return keys;
    }

    private void resyncIfDue() {
        if (!ready() || !shards.settled() || !resyncPending.getAndSet(false)) {
            return;
        }
        firstReady.countDown();
        Set<GrantKey> keys = allKeys();
        LOG.infof("Reconciling all %d grant keys", keys.size());
        synchronized (resyncLeft) {
            resyncLeft.clear();
            resyncLeft.addAll(keys);
            if (keys.isEmpty()) {
                resyncsCompleted.incrementAndGet();
            }
        }
        keys.forEach(queue::add);
    }

    private void work() {
        while (running) {
            GrantKey key;
            try {
                if (!firstReady.await(1, TimeUnit.SECONDS)) {
                    continue;
                }
                key = queue.take(Duration.ofSeconds(1));
            } catch (InterruptedException e) {
                return;
            }
            if (key == null) {
                continue;
            }
            inFlight.add(key);
            // Every log record of this reconcile carries the grant key and its tenant (JSON logs print the MDC).
            MDC.put("grant", key.format());
            MDC.put("tenant", key.tenant());
            Span span = span(key);
            try (Scope scope = span.makeCurrent()) {
                latency.record(() -> reconcile(key));
            } catch (RuntimeException e) {
                span.recordException(e);
                LOG.errorf(e, "Unexpected failure reconciling %s", key);
                requeue(key, Requeue.RATE_LIMITED);
            } finally {
                span.end();
                MDC.remove("grant");
                MDC.remove("tenant");
                queue.done(key);
                synchronized (inFlight) {
                    inFlight.remove(key);
                    inFlight.notifyAll();
                }
                resyncDone(key);
            }
        }
    }

    /**
     * One span per reconcile, a child of the trace context the key's latest grant record carried (if any): the status
     * published from this reconcile carries the same trace on (StatusPublisher). With the OpenTelemetry SDK disabled
     * (the default) spans still get ids but are not exported.
     */
    private Span span(GrantKey key) {
        Context parent = traces.traceparent(key.grantKey())
                .map(traceparent -> W3CTraceContextPropagator.getInstance().extract(Context.root(), traceparent,
                        TRACEPARENT))
                .orElse(Context.root());
        return tracer.spanBuilder("reconcile " + key.format()).setParent(parent).setSpanKind(SpanKind.INTERNAL)
                .setAttribute("grantflow.grant", key.format()).setAttribute("grantflow.tenant", key.tenant())
                .startSpan();
    }

    /** Reads a {@code traceparent} value as the only header of a carrier. */
    private static final TextMapGetter<String> TRACEPARENT = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(String carrier) {
            return List.of("traceparent");
        }

        @Override
        public String get(String carrier, String name) {
            return "traceparent".equals(name) ? carrier : null;
        }
    };

    private void resyncDone(GrantKey key) {
        synchronized (resyncLeft) {
            if (resyncLeft.remove(key) && resyncLeft.isEmpty()) {
                resyncsCompleted.incrementAndGet();
            }
        }
    }

    private void reconcile(GrantKey key) {
        OptionalLong stale = ledger.takeStale(key);
        if (!shards.owns(key)) {
            status.forget(key);
            return;
        }
        // A copy reconciles its selector grant's record, instantiated in the copy's tenant.
        GrantKey grantKey = key.grantKey();
        // The record and the grants topic it came from, read together: a topic replaced in between must not pair
        // the old topic's grant with the new topic's id, nor the reverse.
        GrantLedger.Held held = ledger.held(grantKey);
        GrantEntry recorded = held.entry();
        GrantEntry entry = key.isCopy() ? SelectorGrantPolicy.forCopy(key, recorded) : recorded;
        SealedDataMapper.Result sealed = sealedValues.open(grantKey, recorded);
        Secret source = sealed instanceof SealedDataMapper.Opened opened ? opened.source() : source(entry);
        ReconcileInput input = new ReconcileInput(key, entry, held.tombstoned(), true,
                ledger.tenantExists(key.tenant()), source, watch.secrets(key), watch.podDefaults(key),
                Instant.now(), held.grantsTopic(), sealed, status.last(key), namespaces.check(key.tenant()));
        ReconcilePlan plan;
        if (key.isSelector() && entry instanceof GrantEntry.Accepted accepted) {
            plan = selectorStatus(input, accepted.grant(), sealed);
        } else {
            plan = policy.withinBudget(TenantConfirmationPolicy.protectedTenant(input)
                    .orElseGet(() -> key.isCopy() ? copyPlan(input) : policy.plan(input)), input, budget);
        }
        if (key.isCopy()) {
            // The selector grant's status tallies its copies: refresh it (at most once a second).
            queue.addAfter(grantKey, SELECTOR_STATUS_DELAY);
        }
        GrantStatus outcome = plan.status();
        if (stale.isPresent() && entry != null && !(entry instanceof GrantEntry.Revoked)) {
            // A grant older than the one in force was read: report that, not the unchanged state of the newer one.
            // Not over a revocation: its Revoked status (with its generation) must stay the key's latest status, the
            // floor that keeps a replayed grant revoked after the revocation record is compacted away (ADR 0011).
            outcome = plan.actions().isEmpty() ? null : outcome;
            publish(key, ReconcilePolicy.staleGeneration(key, stale.getAsLong(), entry.generation(), Instant.now()));
        }
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
            publish(key, outcome);
        }
        requeue(key, requeue);
        if (!(requeue instanceof Requeue.Forget)) {
            return;
        }
        if (plan.recheckAt() != null) {
            queue.addAfter(key, Duration.between(Instant.now(), plan.recheckAt()).plusMillis(10));
        }
    }

    /**
     * The plan for a selector grant's copy ({@link SelectorGrantPolicy}): deleted where the grant does not select the
     * tenant, yielding where another grant takes precedence, else the grant in that tenant like any other.
     */
    private ReconcilePlan copyPlan(ReconcileInput input) {
        if (!(input.entry() instanceof GrantEntry.Accepted accepted)) {
            return policy.plan(input);
        }
        GrantKey grantKey = input.key().grantKey();
        String tenant = input.key().tenant();
        long generation = accepted.generation();
        if (policy.floored(status.last(grantKey), generation)) {
            return policy.plan(new ReconcileInput(input.key(), new GrantEntry.Revoked(input.key(), generation),
                    false, true, input.tenantExists(), input.source(), input.actualSecrets(),
                    input.actualPodDefaults(), input.now(), input.grantsTopicId(), input.sealed(), input.reported(),
                    input.tenant()));
        }
        Map<String, String> labels = namespaces.labels(tenant);
        List<GrantLedger.SelectorGrant> selecting = ledger.selectorGrants().stream()
                .filter(selector -> SelectorGrantPolicy.selects(selector, input.tenant(), labels)).toList();
        Optional<GrantLedger.SelectorGrant> self = selecting.stream()
                .filter(selector -> selector.key().equals(grantKey)).findFirst();
        if (self.isEmpty()) {
            String selector = ledger.selectorGrant(grantKey).map(s -> s.selector().toString()).orElse("");
            return SelectorGrantPolicy.notSelected(input, selector, generation);
        }
        Optional<Grant> winner = SelectorGrantPolicy.overriddenBy(accepted.grant(), ledger.tenantGrants(tenant),
                selecting, input.now());
        if (winner.isPresent()) {
            return SelectorGrantPolicy.overridden(input, winner.get(), generation);
        }
        return policy.plan(input);
    }

    /**
     * The status of an accepted selector grant: refused as a whole when its source can never be used, revoked while a
     * published revocation floors it, else the tally of its copies over the tenants it selects now.
     */
    private ReconcilePlan selectorStatus(ReconcileInput input, Grant grant, SealedDataMapper.Result sealed) {
        GrantKey key = input.key();
        if (policy.floored(input.reported(), grant.generation())) {
            return new ReconcilePlan(List.of(), input.reported(), null);
        }
        Optional<GrantStatus> refused = policy.refusedSource(key, grant, sealed, input.now());
        if (refused.isPresent()) {
            return new ReconcilePlan(List.of(), refused.get(), null);
        }
        Optional<GrantLedger.SelectorGrant> selector = ledger.selectorGrant(key);
        if (selector.isEmpty()) {
            return new ReconcilePlan(List.of(), null, null);
        }
        TenantCounts counts = TenantCounts.none();
        for (String tenant : namespaces.selected(selector.get().selector())) {
            counts = counts.plus(status.last(key.copyIn(tenant)), grant.generation());
        }
        if (grant.isExpiredAt(input.now())) {
            return new ReconcilePlan(List.of(), GrantStatus.of(key, grant.generation(), StatusReason.EXPIRED,
                    "expired at " + grant.spec().expiresAt() + "; " + counts, input.now()).withTenants(counts), null);
        }
        return new ReconcilePlan(List.of(), SelectorGrantPolicy.summary(key, grant, selector.get().selector()
                .toString(), counts, input.now()), grant.spec().expiresAt());
    }

    /** Not awaited: the worker moves on; a status the broker refuses is published again by a later reconcile. */
    private void publish(GrantKey key, GrantStatus outcome) {
        status.publish(outcome).whenComplete((ok, failure) -> {
            if (failure != null) {
                requeue(key, Requeue.RATE_LIMITED);
            }
        });
    }

    private Secret source(GrantEntry entry) {
        if (entry instanceof GrantEntry.Accepted accepted) {
            SecretRef ref = accepted.grant().spec().secret().source().secretRef();
            return ref == null ? null : watch.source(ref.name());
        }
        return null;
    }

    /**
     * The one place a key's next attempt is scheduled: {@code RateLimited} is the queue's per-key backoff,
     * {@code After} a delay the API server asked for (capped at the maximum backoff), {@code Forget} resets the
     * key's backoff and waits for the next trigger.
     */
    private void requeue(GrantKey key, Requeue requeue) {
        if (requeue instanceof Requeue.Forget) {
            queue.forget(key);
            return;
        }
        retries.increment();
        if (requeue instanceof Requeue.After after) {
            Duration max = config.reconcile().maxBackoff();
            queue.addAfter(key, after.delay().compareTo(max) > 0 ? max : after.delay());
        } else {
            LOG.debugf("Retrying %s (attempt %d)", key, queue.numRequeues(key) + 1);
            queue.addRateLimited(key);
        }
    }

    private static Thread daemon(Runnable runnable, String name) {
        Thread thread = new Thread(runnable, name);
        thread.setDaemon(true);
        return thread;
    }
}
