package dev.grantflow.model.grant;

/** The kind of a {@link Violation}; {@link #value()} is a stable CamelCase string for APIs and logs. */
public enum ViolationReason {
    /** A required value is missing or empty. */
    REQUIRED("Required"),
    /** A value does not have the required syntax (names, keys, paths, JWE shape). */
    INVALID_FORMAT("InvalidFormat"),
    /** A string is longer than allowed. */
    TOO_LONG("TooLong"),
    /** A list or map has more entries than allowed. */
    TOO_MANY("TooMany"),
    /** Data is larger than allowed in bytes. */
    TOO_LARGE("TooLarge"),
    /** A value is not one of the supported ones (apiVersion, kind, secret type, JWE algorithm). */
    UNSUPPORTED("Unsupported"),
    /** Two values that must differ are equal (env names, item paths). */
    DUPLICATE("Duplicate"),
    /** Both of two mutually exclusive values are set (secretRef and sealedData). */
    AMBIGUOUS("Ambiguous"),
    /** A referenced secret key is not in the sealed data, or a key the secret type needs is missing. */
    MISSING_KEY("MissingKey"),
    /** A mount path is a system path or lies below one. */
    FORBIDDEN_PATH("ForbiddenPath"),
    /** A number or instant is outside its range (generation below 1, expiry not after issue). */
    OUT_OF_RANGE("OutOfRange"),
    /** The record key does not match the grant's tenant and name. */
    KEY_MISMATCH("KeyMismatch");

    private final String value;

    ViolationReason(String value) {
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
