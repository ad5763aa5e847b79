package dev.grantflow.stack;

import dev.grantflow.model.event.Topics;
import dev.grantflow.model.grant.Grant;
import dev.grantflow.model.grant.GrantMetadata;
import dev.grantflow.model.grant.GrantPodDefault;
import dev.grantflow.model.grant.GrantRevocation;
import dev.grantflow.model.grant.GrantSecret;
import dev.grantflow.model.grant.GrantSpec;
import dev.grantflow.model.grant.SecretSource;
import dev.grantflow.model.json.Json;
import dev.grantflow.trust.Signatures;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * A burst of signed grants from a Java producer, in the background: every 100 ms {@code perTick} grants
 * {@code <tenant>/g-<n>} (tenants in turn, generation 1, a copy of {@code source} in the source namespace), and every
 * {@code revokeEvery}-th grant revoked by a signed {@code GrantRevocation} (generation 2) on the next tick. A send
 * that blocks (the broker away) holds the burst until it returns; every send is checked in {@link #finish}.
 */
final class GrantBurst implements AutoCloseable {

    private final KafkaProducer<String, String> producer;
    private final UnaryOperator<String> sign;
    private final List<String> tenants;
    private final String source;
    private final int perTick;
    private final int revokeEvery;
    private final List<String> posted = new CopyOnWriteArrayList<>();
    private final List<String> revoked = new CopyOnWriteArrayList<>();
    private final List<Future<RecordMetadata>> sends = new CopyOnWriteArrayList<>();
    private final Deque<String> toRevoke = new ArrayDeque<>();
    private final CompletableFuture<Void> done = new CompletableFuture<>();
    private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "grant-burst");
        thread.setDaemon(true);
        return thread;
    });
    private volatile int stopAt = Integer.MAX_VALUE;

    GrantBurst(KafkaProducer<String, String> producer, UnaryOperator<String> sign, List<String> tenants, String source,
            int perTick, int revokeEvery) {
        this.producer = producer;
        this.sign = sign;
        this.tenants = List.copyOf(tenants);
        this.source = source;
        this.perTick = perTick;
        this.revokeEvery = revokeEvery;
    }

    GrantBurst start() {
        executor.scheduleWithFixedDelay(this::tick, 0, 100, TimeUnit.MILLISECONDS);
        return this;
    }

    private void tick() {
        if (done.isDone()) {
            return;
        }
        try {
            while (!toRevoke.isEmpty()) {
                String key = toRevoke.poll();
                sends.add(producer.send(signed(key, revocation(key))));
                revoked.add(key);
            }
            if (posted.size() >= stopAt) {
                done.complete(null);
                return;
            }
            for (int i = 0; i < perTick; i++) {
                int n = posted.size();
                String tenant = tenants.get(n % tenants.size());
                Grant grant = grant(tenant, "g-" + n);
                sends.add(producer.send(signed(grant.key(), Json.write(grant))));
                posted.add(grant.key());
                if (n % revokeEvery == 0) {
                    toRevoke.add(grant.key());
                }
            }
        } catch (RuntimeException e) {
            done.completeExceptionally(e);
        }
    }

    /** Grants posted so far (revoked ones included). */
    int postedCount() {
        return posted.size();
    }

    /** Snapshot of the keys posted so far. */
    List<String> posted() {
        return List.copyOf(posted);
    }

    /** Keys whose revocation was posted. */
    Set<String> revoked() {
        return Set.copyOf(revoked);
    }

    /** Keys posted and not revoked. */
    Set<String> live() {
        Set<String> live = new LinkedHashSet<>(posted);
        live.removeAll(revoked);
        return live;
    }

    /**
     * Stops once at least {@code minimum} grants are posted (and the revocations due are), flushes, and checks that
     * the broker acknowledged every record (none lost on the producer's side). Returns the keys posted.
     */
    List<String> finish(int minimum, Duration timeout) throws Exception {
        stopAt = minimum;
        done.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        producer.flush();
        for (Future<RecordMetadata> send : sends) {
            send.get(60, TimeUnit.SECONDS);
        }
        return List.copyOf(posted);
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }

    private ProducerRecord<String, String> signed(String key, String value) {
        return signed(sign, key, value);
    }

    /** A grants record signed by {@code sign} (the stack administrator's key). */
    static ProducerRecord<String, String> signed(UnaryOperator<String> sign, String key, String value) {
        ProducerRecord<String, String> record = new ProducerRecord<>(Topics.GRANTS, key, value);
        record.headers().add(Signatures.HEADER, sign.apply(value).getBytes(StandardCharsets.UTF_8));
        return record;
    }

    private Grant grant(String tenant, String name) {
        return grant(tenant, name, source);
    }

    /** Grant {@code name} to {@code tenant}: a copy of the Secret {@code source} of the source namespace, mounted. */
    static Grant grant(String tenant, String name, String source) {
        return Grant.of(new GrantMetadata(tenant, name, 1, Instant.now(), "admin@example.com"),
                new GrantSpec(new GrantSecret(name, "Opaque", SecretSource.ofSecretRef(Platform.SOURCE_NAMESPACE,
                        source)), new GrantPodDefault(name, null, name, "/secret/" + name, null, List.of()), null));
    }

    /** Revokes every generation up to 2 of {@code key}. */
    static String revocation(String key) {
        String[] parts = key.split("/", 2);
        return Json.write(GrantRevocation.of(new GrantMetadata(parts[0], parts[1], 2, Instant.now(),
                "admin@example.com")));
    }
}
