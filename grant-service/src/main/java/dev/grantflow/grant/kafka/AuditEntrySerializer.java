package dev.grantflow.grant.kafka;

import dev.grantflow.model.grant.GrantAuditEntry;
import dev.grantflow.model.json.Json;
import org.apache.kafka.common.serialization.Serializer;

/** JSON value serializer of {@code grantflow.audit.v1}, with the model's canonical mapping. */
public class AuditEntrySerializer implements Serializer<GrantAuditEntry> {

    @Override
    public byte[] serialize(String topic, GrantAuditEntry entry) {
        return entry == null ? null : Json.writeBytes(entry);
    }
}
