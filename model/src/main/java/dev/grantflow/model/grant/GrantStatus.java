package dev.grantflow.model.grant;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * The value of a record on {@code grantflow.grant-status.v1}, keyed by {@link #key()} ({@code <tenant>/<grant>}).
 *
 * <pre>{@code
 * {"phase": "Applied", "reason": "Applied", "message": "Secret test-secret and PodDefault test-secret applied",
 *  "generation": 1, "tenant": "alice", "grant": "test-secret", "at": "2026-11-26T10:00:05Z"}
 * }</pre>
 *
 * <p>{@code reason} is a string on the wire so that a consumer keeps reasons a newer producer adds; producers use
 * {@link StatusReason} through {@link #of}. The message is for humans and must never contain secret values (names,
 * keys and hashes are fine).
 *
 * @param phase      Pending, Applied, Revoked, Rejected or Failed
 * @param reason     a {@link StatusReason#value()}
 * @param message    human text, at most {@value #MAX_MESSAGE_LENGTH} characters when built with {@link #of}
 * @param generation the grant generation this status is about (0 if unknown, e.g. unparseable)
 * @param tenant     the tenant namespace
 * @param grant      the grant name
 * @param at         when the phase was reached
 * @param tenants    a selector grant's tally over the tenants it selects ({@code &#42;/<grant>} keys only), else null
 */
@JsonPropertyOrder({"phase", "reason", "message", "generation", "tenant", "grant", "at", "tenants"})
public record GrantStatus(GrantPhase phase, String reason, String message, long generation, String tenant, String grant,
                          Instant at, TenantCounts tenants) {

    /** A status without tenant counts (every status but a selector grant's). */
    public GrantStatus(GrantPhase phase, String reason, String message, long generation, String tenant, String grant,
            Instant at) {
        this(phase, reason, message, generation, tenant, grant, at, null);
    }

    public static final int MAX_MESSAGE_LENGTH = 1024;

    /** A status whose phase follows from {@code reason}; the message is cut to {@value #MAX_MESSAGE_LENGTH} characters. */
    public static GrantStatus of(GrantKey key, long generation, StatusReason reason, String message, Instant at) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(reason, "reason");
        return new GrantStatus(reason.phase(), reason.value(), truncate(message), generation, key.tenant(), key.name(), at);
    }

    /** This status with a selector grant's tally over its tenants. */
    public GrantStatus withTenants(TenantCounts counts) {
        return new GrantStatus(phase, reason, message, generation, tenant, grant, at, counts);
    }

    /** The Kafka key; empty if tenant or grant is missing. */
    public Optional<GrantKey> key() {
        return tenant == null || grant == null ? Optional.empty() : Optional.of(new GrantKey(tenant, grant));
    }

    /** The reason, if this version knows it. */
    public Optional<StatusReason> knownReason() {
        return StatusReason.fromValue(reason);
    }

    private static String truncate(String message) {
        if (message == null || message.length() <= MAX_MESSAGE_LENGTH) {
            return message;
        }
        int end = MAX_MESSAGE_LENGTH - 3;
        if (Character.isHighSurrogate(message.charAt(end - 1))) {
            end--;
        }
        return message.substring(0, end) + "...";
    }
}
