package dev.grantflow.grantctl.kafka;

/** Where a produced record landed. */
public record Posted(String topic, int partition, long offset) {
}
