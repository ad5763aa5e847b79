package dev.grantflow.model.grant;

import java.util.Objects;

/**
 * One problem of a grant.
 *
 * @param field   JSON path of the offending value, e.g. {@code spec.podDefault.env[1].name} or
 *                {@code spec.secret.source.sealedData[token]}
 * @param reason  the kind of problem
 * @param message a human sentence; it may quote names, keys and paths (shortened), never secret data
 */
public record Violation(String field, ViolationReason reason, String message) {

    public Violation {
        Objects.requireNonNull(field, "field");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(message, "message");
    }

    @Override
    public String toString() {
        return field + ": " + message + " (" + reason.value() + ")";
    }
}
