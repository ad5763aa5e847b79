package dev.grantflow.grant.domain;

import dev.grantflow.model.grant.GrantKey;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The W3C trace context ({@code traceparent} header value) of the latest grant record read per key, kept as an opaque
 * string: the Kafka side remembers it, the control loop continues that trace in its reconcile span, and the status
 * published from there carries it on. A record without one forgets the key's previous context. Pure and thread-safe.
 */
public final class GrantTraces {

    private final Map<GrantKey, String> latest = new ConcurrentHashMap<>();

    /** Remembers the trace context of the record just read for {@code key}; null or blank forgets it. */
    public void read(GrantKey key, String traceparent) {
        if (traceparent == null || traceparent.isBlank()) {
            latest.remove(key);
        } else {
            latest.put(key, traceparent);
        }
    }

    public Optional<String> traceparent(GrantKey key) {
        return Optional.ofNullable(latest.get(key));
    }

    /** Forgets every key (the grants topic is read again from its beginning). */
    public void clear() {
        latest.clear();
    }
}
