package dev.grantflow.model.grant;

import java.util.List;
import java.util.Objects;

/** The decision of {@link GrantValidationPolicy}: the grant may be applied, or it is rejected with its violations. */
public sealed interface GrantValidation {

    /** The grant passed every rule. */
    record Valid(Grant grant) implements GrantValidation {
        public Valid {
            Objects.requireNonNull(grant, "grant");
        }
    }

    /** The grant broke at least one rule; {@code violations} lists all of them, in document order. */
    record Invalid(List<Violation> violations) implements GrantValidation {
        public Invalid {
            violations = List.copyOf(violations);
            if (violations.isEmpty()) {
                throw new IllegalArgumentException("an invalid grant has at least one violation");
            }
        }

        /** A one-line summary for a status message, e.g. {@code 2 problems: a: ...; b: ...}. */
        public String message() {
            StringBuilder sb = new StringBuilder();
            sb.append(violations.size()).append(violations.size() == 1 ? " problem: " : " problems: ");
            for (int i = 0; i < violations.size(); i++) {
                if (i > 0) {
                    sb.append("; ");
                }
                sb.append(violations.get(i).field()).append(": ").append(violations.get(i).message());
            }
            return sb.toString();
        }
    }

    default boolean isValid() {
        return this instanceof Valid;
    }

    /** The violations; empty when valid. */
    default List<Violation> violations() {
        return this instanceof Invalid invalid ? invalid.violations() : List.of();
    }
}
