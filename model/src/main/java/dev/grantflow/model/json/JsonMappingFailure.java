package dev.grantflow.model.json;

import java.util.Objects;

/**
 * A value could not be read from, or written to, JSON. Thrown by {@link Json} instead of Jackson's exceptions.
 *
 * <p>The message is built by {@link Json} from the failure {@link Reason}, the JSON path and the position only. It never
 * quotes the input: a grant may carry sealed secret data, and Jackson's own messages can repeat input text. For the
 * same reason the Jackson exception is <em>not</em> attached as the cause. The message is therefore safe to put into
 * a DLQ header, a status event or a log line.
 */
public final class JsonMappingFailure extends RuntimeException {

    /** Why mapping failed; {@link #value()} is the string used in DLQ headers and status messages. */
    public enum Reason {
        /** No bytes, only whitespace, or the JSON literal {@code null} (a Kafka tombstone is not a payload). */
        EMPTY("EmptyPayload"),
        /** Not syntactically valid JSON: bad token, truncated document, trailing garbage, duplicate object key. */
        MALFORMED("MalformedJson"),
        /** Valid JSON of the wrong shape: wrong type for a property, unknown enum value, bad timestamp. */
        INVALID_VALUE("InvalidValue"),
        /** The document exceeds Jackson's stream constraints (nesting depth, string or number length). */
        TOO_LARGE("TooLarge"),
        /** The object could not be serialized (a programming error, never caused by input). */
        NOT_WRITABLE("NotWritable");

        private final String value;

        Reason(String value) {
            this.value = value;
        }

        public String value() {
            return value;
        }

        @Override
        public String toString() {
            return value;
        }
    }

    private final Reason reason;
    private final String detail;

    public JsonMappingFailure(Reason reason, String detail) {
        super(reason.value() + ": " + detail, null, false, false);
        this.reason = Objects.requireNonNull(reason, "reason");
        this.detail = Objects.requireNonNull(detail, "detail");
    }

    public Reason reason() {
        return reason;
    }

    /** Where and what, without input text, e.g. {@code expected Instant at $.metadata.issuedAt (line 3, column 17)}. */
    public String detail() {
        return detail;
    }
}
