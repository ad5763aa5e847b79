package dev.grantflow.watcher.kafka;

import dev.grantflow.model.control.Backoff;
import dev.grantflow.model.control.RateLimiter;
import dev.grantflow.model.control.WorkQueue;
import dev.grantflow.model.tenant.TenantEvent;
import dev.grantflow.watcher.config.WatcherConfig;
import dev.grantflow.watcher.domain.Publication;
import dev.grantflow.watcher.domain.TenantLedger;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.ce.OutgoingCloudEventMetadata;
import io.smallrye.reactive.messaging.kafka.Record;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;
import org.jboss.logging.Logger;

/**
 * Publishes what the {@link TenantLedger} says is pending, while this replica is the leader.
 *
 * <p>One worker thread drains a {@link WorkQueue} of dirty tenant keys in batches. The queue holds a key at most once
 * and hands it out again only once the batch that holds it is done, so records of one key are never reordered. A
 * failed send is not dropped: its key goes back with {@link WorkQueue#addRateLimited} (per key exponential backoff,
 * {@code publish.initial-backoff} doubling up to {@code publish.max-backoff}) and the failure shows in readiness and
 * metrics until a send succeeds again; a key sent successfully is forgotten. A failure that is not a key's (reading
 * the topic back while the broker is away) pauses the worker with a {@link Backoff}. What is sent is always the latest
 * state (level-triggered), never a stale queued event.
 */
@ApplicationScoped
public class TenantEventPublisher {

    private static final Logger LOG = Logger.getLogger(TenantEventPublisher.class);

    /** How long the worker waits for a key before it looks at leadership and a pending restart again. */
    private static final Duration TURN_CHECK = Duration.ofSeconds(1);

    @Inject
    @Channel(Channels.TENANTS_OUT)
    @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 2048)
    MutinyEmitter<Record<String, TenantEvent>> emitter;

    @Inject
    TenantLedger ledger;

    @Inject
    TenantTopicReader topicReader;

    @Inject
    WatcherConfig config;

    @Inject
    MeterRegistry registry;

    private final Object turn = new Object();
    private final AtomicBoolean leader = new AtomicBoolean();
    private final AtomicBoolean synced = new AtomicBoolean();
    private final AtomicBoolean restartNeeded = new AtomicBoolean();
    private final AtomicReference<String> lastFailure = new AtomicReference<>();
    private WorkQueue<String> queue;
    private Backoff errors;
    private volatile boolean running;
    private Thread worker;
    private Counter failures;
    private List<Gauge> gauges = List.of();

    @PostConstruct
    void init() {
        // Before any StartupEvent observer runs: the namespace informer may wake keys as soon as it starts.
        RateLimiter limiter = RateLimiter.exponential(config.publish().initialBackoff(), config.publish().maxBackoff());
        queue = WorkQueue.create(limiter);
        errors = new Backoff(limiter);
    }

    void onStart(@Observes StartupEvent event) {
        failures = Counter.builder("grantflow.watcher.publish.failures")
                .description("Tenant records the broker did not acknowledge (each is retried)").register(registry);
        gauges = List.of(
                Gauge.builder("grantflow.watcher.leader", leader, b -> b.get() ? 1 : 0).register(registry),
                Gauge.builder("grantflow.watcher.pending", queue, q -> pendingCount()).register(registry));
        running = true;
        worker = new Thread(this::run, "tenant-publisher");
        worker.setDaemon(true);
        worker.start();
    }

    void onStop(@Observes ShutdownEvent event) {
        // A registry that outlives this application (tests restart it in one JVM) would otherwise keep reporting this
        // instance's flags: a gauge registered again under the same name returns the existing one.
        gauges.forEach(registry::remove);
        running = false;
        queue.shutdown();
        signal();
        if (worker != null) {
            LockSupport.unpark(worker);
            try {
                worker.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** A tenant key may need a publication. Cheap; called from informer threads. */
    public void wake(String tenant) {
        queue.add(tenant);
    }

    /** The namespace informer has listed every namespace: the ledger now reflects the cluster. */
    public void informerSynced() {
        synced.set(true);
        signal();
    }

    /** This replica now holds the Lease: re-read the topic, then announce every tenant again. */
    public void leadershipAcquired() {
        LOG.info("Leader: republishing the current state of every tenant namespace");
        restartNeeded.set(true);
        leader.set(true);
        signal();
    }

    public void leadershipLost() {
        if (leader.getAndSet(false)) {
            LOG.info("No longer leader: stopped publishing");
        }
    }

    public boolean isLeader() {
        return leader.get();
    }

    /** The last send failure, while sends keep failing; null once a send succeeded. */
    public String lastFailure() {
        return lastFailure.get();
    }

    /** Tenant keys waiting to be published: ready now, or waiting for their retry. */
    public int pendingCount() {
        return queue.depth() + queue.waiting();
    }

    private void signal() {
        synchronized (turn) {
            turn.notifyAll();
        }
    }

    private void run() {
        try {
            while (running) {
                try {
                    if (!awaitTurn()) {
                        continue;
                    }
                    if (restartNeeded.getAndSet(false)) {
                        restart();
                    }
                    List<String> batch = queue.takeBatch(config.publish().batchSize(), TURN_CHECK);
                    if (!batch.isEmpty()) {
                        publishBatch(batch);
                    }
                } catch (RuntimeException e) {
                    // Reading the topic back can fail while the broker is away; try again later, never give up.
                    lastFailure.set(e.getMessage());
                    failures.increment();
                    Duration delay = errors.next();
                    LOG.warnf("Tenant publishing failed, retrying in %s: %s", delay, e.getMessage());
                    pause(delay);
                }
            }
        } catch (InterruptedException e) {
            LOG.warn("Tenant publisher interrupted: stopped publishing");
            Thread.currentThread().interrupt();
        }
    }

    /** Waits until this replica may publish: it leads and the informer has synced. False when stopping. */
    private boolean awaitTurn() throws InterruptedException {
        synchronized (turn) {
            while (running && !(leader.get() && synced.get())) {
                turn.wait(TURN_CHECK.toMillis());
            }
        }
        return running;
    }

    /** Forgets what was published, reads what the topic holds, and queues every key that may need a record. */
    private void restart() {
        Collection<String> keys;
        try {
            keys = ledger.restartFrom(topicReader.liveKeys(config.publish().sendTimeout()));
        } catch (RuntimeException e) {
            restartNeeded.set(true);
            throw e;
        }
        keys.forEach(queue::add);
        errors.reset();
    }

    /** Publishes one batch of keys taken from the queue; failed keys go back rate-limited, every key is done. */
    private void publishBatch(List<String> batch) {
        try {
            if (!leader.get()) {
                // Leadership was lost while waiting for keys: keep them for the next term.
                batch.forEach(queue::add);
                return;
            }
            Set<String> failed;
            try {
                failed = new HashSet<>(publish(batch));
            } catch (RuntimeException e) {
                batch.forEach(queue::addRateLimited);
                throw e;
            }
            for (String tenant : batch) {
                if (failed.contains(tenant)) {
                    queue.addRateLimited(tenant);
                } else {
                    queue.forget(tenant);
                }
            }
            errors.reset();
        } finally {
            batch.forEach(queue::done);
        }
    }

    /** Sends one batch and waits for every acknowledgement; returns the keys whose send failed. */
    private List<String> publish(List<String> batch) {
        Instant now = Instant.now();
        List<Publication> publications = new ArrayList<>();
        List<Uni<Throwable>> sends = new ArrayList<>();
        for (String tenant : batch) {
            Publication publication = ledger.pending(tenant, now);
            if (publication instanceof Publication.Nothing) {
                continue;
            }
            publications.add(publication);
            sends.add(emitter.sendMessage(toMessage(publication))
                    .onItemOrFailure().transform((ok, failure) -> failure));
        }
        if (sends.isEmpty()) {
            return List.of();
        }
        List<Throwable> outcomes;
        try {
            outcomes = Uni.join().all(sends).andFailFast().await().atMost(config.publish().sendTimeout());
        } catch (RuntimeException timeout) {
            failures.increment();
            lastFailure.set("no acknowledgement within " + config.publish().sendTimeout());
            LOG.warnf("The broker did not acknowledge %d tenant records in time, will retry", publications.size());
            return publications.stream().map(Publication::tenant).toList();
        }
        List<String> failed = new ArrayList<>();
        for (int i = 0; i < publications.size(); i++) {
            Publication publication = publications.get(i);
            Throwable failure = outcomes.get(i);
            if (failure == null) {
                ledger.acknowledged(publication);
                count(publication);
            } else {
                failed.add(publication.tenant());
                failures.increment();
                lastFailure.set(failure.getClass().getSimpleName() + ": " + failure.getMessage());
                LOG.warnf("Publishing tenant %s failed, will retry: %s", publication.tenant(), failure.getMessage());
            }
        }
        if (failed.isEmpty()) {
            lastFailure.set(null);
        }
        return failed;
    }

    private Message<Record<String, TenantEvent>> toMessage(Publication publication) {
        if (publication instanceof Publication.Announce announce) {
            TenantEvent event = announce.event();
            LOG.infof("Tenant %s %s", event.tenant(), event.type().value());
            return Message.of(Record.of(event.tenant(), event))
                    .addMetadata(OutgoingCloudEventMetadata.builder()
                            .withId(UUID.randomUUID().toString())
                            .withSource(URI.create(config.eventSource()))
                            .withType(event.type().cloudEventType())
                            .withSubject(event.tenant())
                            .withDataContentType("application/json")
                            .withTimestamp(event.observedAt().atZone(ZoneOffset.UTC))
                            .build());
        }
        LOG.infof("Tenant %s gone: tombstone", publication.tenant());
        return Message.of(Record.of(publication.tenant(), null));
    }

    private void count(Publication publication) {
        String type = publication instanceof Publication.Announce a ? a.event().type().value() : "tombstone";
        registry.counter("grantflow.watcher.events.published", "type", type).increment();
    }

    /** Backs off without waking up on new keys; shutdown unparks the worker. */
    private void pause(Duration duration) {
        long until = System.nanoTime() + duration.toNanos();
        long left;
        while (running && (left = until - System.nanoTime()) > 0) {
            LockSupport.parkNanos(this, left);
        }
    }
}
