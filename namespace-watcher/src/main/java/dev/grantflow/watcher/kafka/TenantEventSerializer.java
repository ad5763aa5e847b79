package dev.grantflow.watcher.kafka;

import dev.grantflow.model.tenant.TenantEvent;
import io.quarkus.kafka.client.serialization.ObjectMapperSerializer;
import org.apache.kafka.common.header.Headers;

/** JSON value serializer of {@code grantflow.tenants.v1}; a null event stays null, which makes it a tombstone. */
public class TenantEventSerializer extends ObjectMapperSerializer<TenantEvent> {

    @Override
    public byte[] serialize(String topic, Headers headers, TenantEvent event) {
        return event == null ? null : super.serialize(topic, headers, event);
    }

    @Override
    public byte[] serialize(String topic, TenantEvent event) {
        return event == null ? null : super.serialize(topic, event);
    }
}
