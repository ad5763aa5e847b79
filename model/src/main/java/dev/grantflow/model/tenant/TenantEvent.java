package dev.grantflow.model.tenant;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The value of a record on {@code grantflow.tenants.v1}; the record key is the namespace name ({@link #key()}).
 * A tombstone (null value) means the namespace is gone, so there is no "deleted" payload.
 *
 * <pre>{@code
 * {"type": "created", "tenant": "alice", "owner": "alice@example.com",
 *  "labels": {"app.kubernetes.io/part-of": "kubeflow-profile"}, "observedAt": "2026-11-26T10:00:00Z"}
 * }</pre>
 *
 * <p>{@code type} and {@code tenant} are required: a value without them does not parse (it fails in {@code Json.read}).
 *
 * @param type       created or updated
 * @param tenant     the namespace name
 * @param owner      the namespace's {@value #OWNER_ANNOTATION} annotation (set by Kubeflow profiles); {@code null} if absent
 * @param labels     the namespace's labels; never {@code null}
 * @param observedAt when the namespace-watcher observed this state
 */
@JsonPropertyOrder({"type", "tenant", "owner", "labels", "observedAt"})
public record TenantEvent(TenantEventType type, String tenant, String owner, Map<String, String> labels, Instant observedAt) {

    /** The namespace annotation Kubeflow's profile controller sets to the profile owner's name. */
    public static final String OWNER_ANNOTATION = "owner";

    public TenantEvent {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(tenant, "tenant");
        labels = labels == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(labels));
    }

    public static TenantEvent created(String tenant, String owner, Map<String, String> labels, Instant observedAt) {
        return new TenantEvent(TenantEventType.CREATED, tenant, owner, labels, observedAt);
    }

    public static TenantEvent updated(String tenant, String owner, Map<String, String> labels, Instant observedAt) {
        return new TenantEvent(TenantEventType.UPDATED, tenant, owner, labels, observedAt);
    }

    /** The Kafka record key: the namespace name. */
    public String key() {
        return tenant;
    }

    /**
     * Whether {@code other} describes the same namespace state, ignoring type and observation time; lets the
     * namespace-watcher skip "updated" events that would change nothing.
     */
    public boolean sameState(TenantEvent other) {
        return other != null && Objects.equals(tenant, other.tenant) && Objects.equals(owner, other.owner)
                && labels.equals(other.labels);
    }
}
