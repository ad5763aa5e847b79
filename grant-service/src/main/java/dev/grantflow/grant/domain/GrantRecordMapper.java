package dev.grantflow.grant.domain;

import dev.grantflow.model.grant.Grant;
import dev.grantflow.model.grant.GrantKey;
import dev.grantflow.model.grant.GrantValidation;
import dev.grantflow.model.grant.GrantValidationPolicy;
import dev.grantflow.model.grant.StatusReason;
import dev.grantflow.model.json.Json;
import dev.grantflow.model.json.Parsed;

/** Maps a record of the grants topic (key, value bytes) to what it means. Pure. */
public final class GrantRecordMapper {

    /** The meaning of one grants record. */
    public sealed interface Decoded {
    }

    /** A grant, accepted or rejected by validation. */
    public record Entry(GrantEntry entry) implements Decoded {
    }

    /** A tombstone: revoke. */
    public record Revoke(GrantKey key) implements Decoded {
    }

    /**
     * A record that cannot be read at all: it goes to the dead-letter topic. {@code key} is null when the record
     * key itself is unusable. {@code reason} and {@code detail} never quote the value.
     */
    public record Unreadable(GrantKey key, String reason, String detail) implements Decoded {
        public String message() {
            return reason + ": " + detail;
        }
    }

    public static Decoded decode(String recordKey, byte[] value) {
        GrantKey key = GrantKey.parse(recordKey).orElse(null);
        if (key == null) {
            return new Unreadable(null, "InvalidKey", "the record key must be <tenant>/<grant>");
        }
        if (value == null) {
            return new Revoke(key);
        }
        Parsed<Grant> parsed = Json.parse(value, Grant.class);
        if (parsed instanceof Parsed.Failed<Grant> failed) {
            return new Unreadable(key, failed.reason().value(), failed.failure().detail());
        }
        Grant grant = ((Parsed.Ok<Grant>) parsed).value();
        GrantValidation validation = GrantValidationPolicy.validate(grant, key);
        if (validation instanceof GrantValidation.Invalid invalid) {
            long generation = grant.metadata() == null ? 0 : grant.metadata().generation();
            return new Entry(new GrantEntry.Rejected(key, generation, StatusReason.INVALID_GRANT, invalid.message()));
        }
        return new Entry(new GrantEntry.Accepted(key, grant));
    }

    private GrantRecordMapper() {
    }
}
