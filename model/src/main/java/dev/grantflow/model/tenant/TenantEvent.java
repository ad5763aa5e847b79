package dev.grantflow.model.tenant;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.grantflow.model.event.CloudEventTypes;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * Value of a {@code grantflow.tenants.v1} record (key = namespace name): a tenant namespace exists and is Active.
 * There is no "deleted" payload: a namespace that is gone (deleted, Terminating, or no longer selected) is a
 * tombstone (null value) for its key.
 *
 * @param type       {@code created} the first time a namespace is announced, {@code updated} when its labels or
 *                   owner change
 * @param tenant     the namespace name
 * @param owner      the value of the namespace's owner annotation (Kubeflow sets {@code owner} to the profile
 *                   owner's e-mail), or null
 * @param labels     the namespace's labels
 * @param observedAt when the watcher saw this state
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TenantEvent(
        @JsonProperty("type") Type type,
        @JsonProperty("tenant") String tenant,
        @JsonProperty("owner") String owner,
        @JsonProperty("labels") Map<String, String> labels,
        @JsonProperty("observedAt") Instant observedAt) {

    public TenantEvent {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(tenant, "tenant");
        labels = labels == null ? Map.of() : Map.copyOf(labels);
    }

    /** The kind of change; serialised in lower case. */
    public enum Type {
        @JsonProperty("created")
        CREATED(CloudEventTypes.TENANT_CREATED),
        @JsonProperty("updated")
        UPDATED(CloudEventTypes.TENANT_UPDATED);

        private final String cloudEventType;

        Type(String cloudEventType) {
            this.cloudEventType = cloudEventType;
        }

        /** The CloudEvents {@code type} of records of this kind. */
        public String cloudEventType() {
            return cloudEventType;
        }
    }
}
