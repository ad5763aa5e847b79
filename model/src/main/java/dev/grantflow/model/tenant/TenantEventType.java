package dev.grantflow.model.tenant;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.grantflow.model.event.CloudEventTypes;

/**
 * Why a {@link TenantEvent} was published. There is no "deleted": a tombstone (null value) on the tenants topic means
 * the namespace is gone (or terminating).
 */
public enum TenantEventType {
    /** A matching namespace became Active (or was seen at startup and republished). */
    CREATED("created", CloudEventTypes.TENANT_CREATED),
    /** The labels or the owner of a known tenant namespace changed. */
    UPDATED("updated", CloudEventTypes.TENANT_UPDATED);

    private final String value;
    private final String cloudEventType;

    TenantEventType(String value, String cloudEventType) {
        this.value = value;
        this.cloudEventType = cloudEventType;
    }

    /** The JSON value: {@code created} or {@code updated}. */
    @JsonValue
    public String value() {
        return value;
    }

    /** The CloudEvents {@code ce_type} header of an event of this type. */
    public String cloudEventType() {
        return cloudEventType;
    }

    /** Parses the JSON value (exact, lower case). */
    @JsonCreator
    public static TenantEventType fromValue(String value) {
        for (TenantEventType type : values()) {
            if (type.value.equals(value)) {
                return type;
            }
        }
        throw new IllegalArgumentException("unknown tenant event type");
    }

    @Override
    public String toString() {
        return value;
    }
}
