package dev.grantflow.grant.architecture.planted.config;

import io.smallrye.reactive.messaging.MutinyEmitter;

/** A planted violation for GrantServiceLayersTest: a class outside kafka that sends on a channel. */
public class ConfigSendingRecords {
    MutinyEmitter<String> emitter;

    public void announce() {
        emitter.send("configured");
    }
}
