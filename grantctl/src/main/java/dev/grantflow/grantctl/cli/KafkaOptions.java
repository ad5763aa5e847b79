package dev.grantflow.grantctl.cli;

import dev.grantflow.grantctl.config.Setting;
import dev.grantflow.grantctl.domain.KeyValueSyntax;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;

/** Where Kafka is and how to talk to it. */
public class KafkaOptions {

    @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT[,...]",
            description = "Kafka bootstrap servers (GRANTCTL_BOOTSTRAP_SERVERS; default localhost:9092).")
    String bootstrapServers;

    @Option(names = "--connect-timeout", paramLabel = "DURATION",
            description = "How long to wait for Kafka to answer a request (GRANTCTL_CONNECT_TIMEOUT; default 15s).")
    String connectTimeout;

    @Option(names = "--kafka-property", paramLabel = "KEY=VALUE",
            description = "A Kafka client property, e.g. security.protocol=SASL_SSL (repeatable; also kafka.KEY in "
                    + "the config file and GRANTCTL_KAFKA_KEY_WITH_UNDERSCORES).")
    List<String> kafkaProperties = new ArrayList<>();

    @Option(names = "--grants-topic", paramLabel = "TOPIC", description = "Default grantflow.grants.v1.")
    String grantsTopic;

    @Option(names = "--status-topic", paramLabel = "TOPIC", description = "Default grantflow.grant-status.v1.")
    String statusTopic;

    @Option(names = "--audit-topic", paramLabel = "TOPIC", description = "Default grantflow.audit.v1.")
    String auditTopic;

    void contribute(Map<Setting, String> flags) {
        put(flags, Setting.BOOTSTRAP_SERVERS, bootstrapServers);
        put(flags, Setting.CONNECT_TIMEOUT, connectTimeout);
        put(flags, Setting.GRANTS_TOPIC, grantsTopic);
        put(flags, Setting.STATUS_TOPIC, statusTopic);
        put(flags, Setting.AUDIT_TOPIC, auditTopic);
    }

    Map<String, String> kafkaFlags() {
        Map<String, String> properties = new LinkedHashMap<>();
        for (int i = 0; i < kafkaProperties.size(); i++) {
            KeyValueSyntax.Pair pair = KeyValueSyntax.split("--kafka-property", i + 1, kafkaProperties.get(i),
                    "KEY=VALUE");
            properties.put(pair.key(), pair.value());
        }
        return properties;
    }

    static void put(Map<Setting, String> flags, Setting setting, String value) {
        if (value != null) {
            flags.put(setting, value);
        }
    }
}
