package dev.grantflow.grantctl.kafka;

import dev.grantflow.model.grant.GrantAuditEntry;
import dev.grantflow.model.grant.GrantStatus;
import dev.grantflow.model.json.Json;
import dev.grantflow.model.json.Parsed;

/** Reads the values of the status and audit topics; unreadable values are skipped (null). */
public final class StatusRecords {

    private StatusRecords() {
    }

    /** The status, or null for a tombstone or a value that is not a GrantStatus. */
    public static GrantStatus status(TopicRecord record) {
        return record.value() != null && Json.parse(record.value(), GrantStatus.class) instanceof Parsed.Ok<GrantStatus> ok
                ? ok.value() : null;
    }

    /** The audit entry, or null for a value that is not a GrantAuditEntry. */
    public static GrantAuditEntry auditEntry(TopicRecord record) {
        return record.value() != null
                && Json.parse(record.value(), GrantAuditEntry.class) instanceof Parsed.Ok<GrantAuditEntry> ok
                ? ok.value() : null;
    }
}
