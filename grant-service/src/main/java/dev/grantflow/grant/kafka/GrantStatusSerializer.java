package dev.grantflow.grant.kafka;

import dev.grantflow.model.grant.GrantStatus;
import dev.grantflow.model.json.Json;
import org.apache.kafka.common.serialization.Serializer;

/** JSON value serializer of {@code grantflow.grant-status.v1}, with the model's canonical mapping. */
public class GrantStatusSerializer implements Serializer<GrantStatus> {

    @Override
    public byte[] serialize(String topic, GrantStatus status) {
        return status == null ? null : Json.writeBytes(status);
    }
}
