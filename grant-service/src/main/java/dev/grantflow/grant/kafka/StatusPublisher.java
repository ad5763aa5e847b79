package dev.grantflow.grant.kafka;

import dev.grantflow.grant.config.GrantServiceConfig;
import dev.grantflow.grant.domain.ReconcilePolicy;
import dev.grantflow.grant.domain.StatusSink;
import dev.grantflow.grant.domain.VerificationReceipts;
import dev.grantflow.model.control.Backoff;
import dev.grantflow.model.control.RateLimiter;
import dev.grantflow.model.grant.GrantKey;
import dev.grantflow.model.grant.GrantPhase;
import dev.grantflow.model.grant.GrantStatus;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.ce.OutgoingCloudEventMetadata;
import io.smallrye.reactive.messaging.kafka.Record;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.function.Predicate;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;
import org.jboss.logging.Logger;

/**
 * Publishes a grant's status when its phase, reason or generation changes (CloudEvents binary mode, key
 * {@code <tenant>/<grant>}), with the verification receipt of the key's record in header
 * {@link VerificationReceipts#HEADER} (ADR 12). Remembers the last status per key, starting from what the compacted
 * topic holds; a failed send forgets it, so the next reconcile publishes again.
 */
@ApplicationScoped
public class StatusPublisher implements StatusSink {

    private static final Logger LOG = Logger.getLogger(StatusPublisher.class);

    @Inject
    @Channel(Channels.STATUS_OUT)
    @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 16384)
    MutinyEmitter<Record<String, GrantStatus>> emitter;

    @Inject
    GrantServiceConfig config;

    @Inject
    MeterRegistry registry;

    @Inject
    StatusTopicReader topicReader;

    @Inject
    VerificationReceipts receipts;

    private final Map<GrantKey, GrantStatus> last = new ConcurrentHashMap<>();
    private volatile boolean seeded;
    /** Where {@code last} holds what the status topic held (null: not known); a refresh reads only what came after. */
    private StatusTopicReader.ReadUpTo readUpTo;
    /** A refresh ran (read or failed): the seed's read, older, is then not taken. */
    private boolean refreshed;

    void onStart(@Observes StartupEvent event) {
        Thread seeding = new Thread(this::seed, "status-seed");
        seeding.setDaemon(true);
        seeding.start();
        for (GrantPhase phase : GrantPhase.values()) {
            Gauge.builder("grantflow.grants", last, map -> map.values().stream().filter(s -> s.phase() == phase).count())
                    .tag("phase", phase.value())
                    .description("Grants owned by this instance, by the phase last published")
                    .register(registry);
        }
    }

    @Override
    public boolean seeded() {
        return seeded;
    }

    /** Starts from what the compacted status topic holds, retrying while the broker is away. */
    private void seed() {
        Backoff backoff = new Backoff(RateLimiter.exponential(Duration.ofMillis(200), Duration.ofSeconds(30)));
        while (!seeded) {
            try {
                // Read once with the grants view, which takes the receipts (StatusTopicReader.atStart).
                StatusTopicReader.Published read = topicReader.atStart(Duration.ofSeconds(60));
                take(read);
                seeded = true;
                LOG.infof("Read %d published statuses", read.statuses().size());
            } catch (RuntimeException e) {
                Duration delay = backoff.next();
                LOG.warnf("Reading the status topic failed, retrying in %s: %s", delay, e.getMessage());
                try {
                    Thread.sleep(delay.toMillis());
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    @Override
    public CompletionStage<Void> publish(GrantStatus status) {
        return send(status).subscribeAsCompletionStage();
    }

    /** Publishes when the status differs from the last one published for its key; completes once acknowledged. */
    private Uni<Void> send(GrantStatus status) {
        GrantKey key = status.key().orElseThrow();
        if (!ReconcilePolicy.worthPublishing(last.get(key), status)) {
            return Uni.createFrom().voidItem();
        }
        last.put(key, status);
        LOG.infof("Grant %s generation %d: %s/%s", key, status.generation(), status.phase(), status.reason());
        Message<Record<String, GrantStatus>> message = Message.of(Record.of(key.format(), status))
                .addMetadata(OutgoingCloudEventMetadata.builder()
                        .withId(UUID.randomUUID().toString())
                        .withSource(URI.create(config.eventSource()))
                        .withType(dev.grantflow.model.event.CloudEventTypes.GRANT_STATUS)
                        .withSubject(key.format())
                        .withDataContentType("application/json")
                        .withTimestamp(status.at().atZone(ZoneOffset.UTC))
                        .build());
        RecordHeaders headers = new RecordHeaders();
        if (Span.current().getSpanContext().isValid()) {
            traceHeaders(Context.current(), headers);
        }
        VerificationReceipts.Receipt receipt = receipts.of(key);
        if (receipt != null) {
            headers.add(VerificationReceipts.HEADER, receipt.format().getBytes(StandardCharsets.UTF_8));
        }
        if (headers.toArray().length > 0) {
            message = message.addMetadata(OutgoingKafkaRecordMetadata.<String>builder().withHeaders(headers).build());
        }
        return emitter.sendMessage(message)
                .onFailure().invoke(failure -> {
                    last.remove(key, status);
                    LOG.warnf("Publishing the status of %s failed: %s", key, failure.getMessage());
                });
    }

    /**
     * Adds the W3C trace context of the reconcile publishing (status-out's own tracing is off: this is the grant
     * record's trace carried on, not a new one).
     */
    private static void traceHeaders(Context context, RecordHeaders headers) {
        Map<String, String> carrier = new HashMap<>();
        W3CTraceContextPropagator.getInstance().inject(context, carrier, Map::put);
        carrier.forEach((name, value) -> headers.add(name, value.getBytes(StandardCharsets.UTF_8)));
    }

    /** Publishes and retries a few times in the background; for statuses no reconcile will repeat. */
    public void publishInBackground(GrantStatus status) {
        send(status).onFailure().retry().withBackOff(Duration.ofMillis(200), Duration.ofSeconds(10)).atMost(10)
                .subscribe().with(ok -> { }, failure -> LOG.errorf("Gave up publishing the status of %s",
                        status.key().map(GrantKey::format).orElse("?")));
    }

    /**
     * Reads the status topic again and takes what it holds now as the last published statuses: another instance may
     * have published for the keys {@code ofKeys} accepts (those taken over) since this one last read it. A failed read
     * forgets those keys instead, so that their next reconcile publishes (a duplicate at worst, never a missing
     * status).
     *
     * <p>Only the records written since the last read are read when the topic can tell (the same topic id, its offsets
     * still in it), and each is taken for its key, whichever key it is: what this instance holds for a key is then
     * never older than what the topic held at that read. Otherwise the whole topic is read and taken (keys it does not
     * hold are forgotten). Either way a status of this instance still in flight may be replaced by the one before it,
     * and published again: a duplicate.
     */
    @Override
    public synchronized void refresh(Predicate<GrantKey> ofKeys) {
        refreshed = true;
        try {
            Optional<StatusTopicReader.Changes> changes = readUpTo == null ? Optional.empty()
                    : topicReader.since(readUpTo, Duration.ofSeconds(30));
            if (changes.isPresent()) {
                StatusTopicReader.Changes since = changes.get();
                since.removed().forEach(last::remove);
                last.putAll(since.published());
                readUpTo = since.upTo();
                LOG.debugf("Read back %d status records written since the last read", since.records());
                return;
            }
            StatusTopicReader.Snapshot whole = topicReader.snapshot(Duration.ofSeconds(30));
            Map<GrantKey, GrantStatus> published = whole.statuses();
            last.keySet().removeIf(key -> !published.containsKey(key));
            last.putAll(published);
            readUpTo = whole.upTo();
            LOG.infof("Read back the whole status topic (%d statuses)", published.size());
        } catch (RuntimeException e) {
            LOG.warnf("Reading the status topic back failed; the statuses of the keys taken over will be published "
                    + "again: %s", e.getMessage());
            last.keySet().removeIf(ofKeys);
        }
    }

    /**
     * The seed's read, unless a refresh came first (it read later, or forgot what it could not read): the statuses
     * (a status this instance published meanwhile is newer and stays), and where a refresh starts from.
     */
    private synchronized void take(StatusTopicReader.Published read) {
        if (!refreshed) {
            read.statuses().forEach(last::putIfAbsent);
            readUpTo = read.upTo();
        }
    }

    @Override
    public java.util.Set<GrantKey> reported(Predicate<GrantKey> ofKeys) {
        return last.keySet().stream().filter(ofKeys).collect(java.util.stream.Collectors.toSet());
    }

    @Override
    public GrantStatus last(GrantKey key) {
        return last.get(key);
    }

    @Override
    public void forget(GrantKey key) {
        last.remove(key);
    }
}
