package dev.grantflow.model.grant;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** The phase of a grant, as published on {@code grantflow.grant-status.v1}; serialized with the capitalised names. */
public enum GrantPhase {
    /** Valid, but the tenant namespace does not exist (yet); materialized when it appears. */
    PENDING("Pending"),
    /** The Secret and PodDefault exist in the tenant namespace and match the grant. */
    APPLIED("Applied"),
    /** Revoked (tombstone or expiry): what was made has been deleted. */
    REVOKED("Revoked"),
    /** Invalid input; never retried. A new generation of the grant is needed. */
    REJECTED("Rejected"),
    /** A transient failure; being retried. */
    FAILED("Failed");

    private final String value;

    GrantPhase(String value) {
        this.value = value;
    }

    @JsonValue
    public String value() {
        return value;
    }

    @JsonCreator
    public static GrantPhase fromValue(String value) {
        for (GrantPhase phase : values()) {
            if (phase.value.equals(value)) {
                return phase;
            }
        }
        throw new IllegalArgumentException("unknown grant phase");
    }

    @Override
    public String toString() {
        return value;
    }
}
