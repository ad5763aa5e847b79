package dev.grantflow.model.event;

import java.util.List;
import java.util.Map;

/**
 * The Kafka topics of docs/design.md, with their cleanup policies. Services bind channels to these names in
 * {@code application.properties} (names are configurable there); launchers create them from {@link #ALL}, because
 * no service relies on broker-side auto-creation.
 */
public final class Topics {

    /** Tenant events, key = namespace name; tombstone when the namespace is gone. Compacted. */
    public static final String TENANTS = "grantflow.tenants.v1";
    /** Grants, key = {@code <tenant>/<grant>}; tombstone = revoke. Compacted. */
    public static final String GRANTS = "grantflow.grants.v1";
    /** Grant status, key = {@code <tenant>/<grant>}. Compacted. */
    public static final String GRANT_STATUS = "grantflow.grant-status.v1";
    /** Grant records that cannot be parsed at all: original key and value plus reason headers. Deleted by age. */
    public static final String GRANTS_DLQ = "grantflow.grants.v1.dlq";
    /**
     * Every grant record's decision (accepted, rejected, revoked, ignored), key = {@code <tenant>/<grant>}. An
     * append-only history kept by time ({@link #AUDIT_RETENTION}), not compacted.
     */
    public static final String AUDIT = "grantflow.audit.v1";
    /** How long the audit history is kept by default. */
    public static final java.time.Duration AUDIT_RETENTION = java.time.Duration.ofDays(400);

    /** A topic and how the broker keeps it. */
    public record Definition(String name, boolean compacted, int partitions, java.time.Duration retention) {

        public Definition(String name, boolean compacted, int partitions) {
            this(name, compacted, partitions, null);
        }

        /** Topic-level configuration to create the topic with. */
        public Map<String, String> config() {
            if (retention != null) {
                return Map.of("cleanup.policy", compacted ? "compact" : "delete",
                        "retention.ms", Long.toString(retention.toMillis()));
            }
            return Map.of("cleanup.policy", compacted ? "compact" : "delete");
        }
    }

    public static final List<Definition> ALL = List.of(
            new Definition(TENANTS, true, 3),
            new Definition(GRANTS, true, 3),
            new Definition(GRANT_STATUS, true, 3),
            new Definition(GRANTS_DLQ, false, 1),
            new Definition(AUDIT, false, 3, AUDIT_RETENTION));

    private Topics() {
    }
}
