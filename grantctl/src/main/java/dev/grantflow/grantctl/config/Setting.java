package dev.grantflow.grantctl.config;

import dev.grantflow.model.event.Topics;
import java.util.Locale;

/**
 * A grantctl setting: a flag, an environment variable ({@code GRANTCTL_} + the file key in upper case with '_' for
 * '.') and a key of the config file. Precedence: flag, environment, config file, default.
 */
public enum Setting {
    BOOTSTRAP_SERVERS("bootstrap.servers", "--bootstrap-servers", "localhost:9092", false),
    GRANTS_TOPIC("grants.topic", "--grants-topic", Topics.GRANTS, false),
    STATUS_TOPIC("status.topic", "--status-topic", Topics.GRANT_STATUS, false),
    AUDIT_TOPIC("audit.topic", "--audit-topic", Topics.AUDIT, false),
    CONNECT_TIMEOUT("connect.timeout", "--connect-timeout", "15s", false),
    SIGNING_KEY("signing.key", "--signing-key", null, true),
    SEALING_JWKS("sealing.jwks", "--sealing-jwks", null, true),
    SEALING_JWKS_URL("sealing.jwks.url", "--sealing-jwks-url", null, false),
    SEALING_KID("sealing.kid", "--sealing-kid", null, false),
    ADMIN_JWKS("admin.jwks", "--admin-jwks", null, true),
    ISSUER("issuer", "--issuer", null, false),
    SOURCE_NAMESPACE("source.namespace", "--source-namespace", "grantflow-sources", false);

    /** Prefix of config-file keys and environment variables passed to the Kafka clients. */
    public static final String KAFKA_FILE_PREFIX = "kafka.";
    public static final String KAFKA_ENV_PREFIX = "GRANTCTL_KAFKA_";
    public static final String CONFIG_ENV = "GRANTCTL_CONFIG";

    private final String fileKey;
    private final String flag;
    private final String defaultValue;
    private final boolean path;

    Setting(String fileKey, String flag, String defaultValue, boolean path) {
        this.fileKey = fileKey;
        this.flag = flag;
        this.defaultValue = defaultValue;
        this.path = path;
    }

    public String fileKey() {
        return fileKey;
    }

    public String flag() {
        return flag;
    }

    public String env() {
        return "GRANTCTL_" + fileKey.toUpperCase(Locale.ROOT).replace('.', '_');
    }

    public String defaultValue() {
        return defaultValue;
    }

    /** Whether the value is a file path (a relative path in the config file is relative to the file). */
    public boolean isPath() {
        return path;
    }

    public static Setting byFileKey(String key) {
        for (Setting s : values()) {
            if (s.fileKey.equals(key)) {
                return s;
            }
        }
        return null;
    }
}
