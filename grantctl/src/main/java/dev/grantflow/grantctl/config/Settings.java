package dev.grantflow.grantctl.config;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The resolved settings of one grantctl run. {@link #toString()} never shows Kafka property values (a JAAS config
 * holds a password).
 */
public record Settings(String bootstrapServers, String grantsTopic, String statusTopic, String auditTopic,
        Duration connectTimeout, Optional<Path> signingKey, Optional<Path> sealingJwks, Optional<URI> sealingJwksUrl,
        Optional<String> sealingKid, List<Path> adminJwks, Optional<String> issuer, String sourceNamespace,
        Map<String, String> kafkaProperties, Optional<Path> configFile) {

    public Settings {
        adminJwks = List.copyOf(adminJwks);
        kafkaProperties = Map.copyOf(kafkaProperties);
    }

    @Override
    public String toString() {
        return "Settings[bootstrapServers=" + bootstrapServers + ", kafkaProperties=" + kafkaProperties.keySet()
                + ", configFile=" + configFile.orElse(null) + "]";
    }
}
