package dev.grantflow.watcher.kafka;

import dev.grantflow.model.json.Json;
import dev.grantflow.model.tenant.TenantEvent;
import org.apache.kafka.common.serialization.Serializer;

/**
 * JSON value serializer of {@code grantflow.tenants.v1}, with the model's canonical mapping. A null event stays null,
 * which makes the record a tombstone.
 */
public class TenantEventSerializer implements Serializer<TenantEvent> {

    @Override
    public byte[] serialize(String topic, TenantEvent event) {
        return event == null ? null : Json.writeBytes(event);
    }
}
