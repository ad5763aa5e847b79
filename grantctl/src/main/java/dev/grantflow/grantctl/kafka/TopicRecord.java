package dev.grantflow.grantctl.kafka;

import java.nio.charset.StandardCharsets;

/** A record read from a topic, as the commands see it (Kafka's types stay in this package). */
public record TopicRecord(String topic, int partition, long offset, byte[] key, byte[] value) {

    /** The key as UTF-8 text, or null. */
    public String keyText() {
        return key == null ? null : new String(key, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "TopicRecord[" + topic + "-" + partition + "@" + offset + "]";
    }
}
