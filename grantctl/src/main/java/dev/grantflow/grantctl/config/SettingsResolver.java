package dev.grantflow.grantctl.config;

import dev.grantflow.grantctl.domain.DurationSyntax;
import dev.grantflow.grantctl.domain.GrantctlFailure;
import java.io.IOException;
import java.io.Reader;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;

/**
 * Resolves {@link Settings} from flags, environment variables and a config file, in that precedence. The config file
 * is {@code --config FILE}, else {@code $GRANTCTL_CONFIG}, else {@code ~/.config/grantctl/config.properties} when it
 * exists. Kafka client properties come from {@code kafka.*} keys of the file, {@code GRANTCTL_KAFKA_*} variables
 * ({@code GRANTCTL_KAFKA_SASL_JAAS_CONFIG} is {@code sasl.jaas.config}) and {@code --kafka-property key=value} flags,
 * later ones overriding earlier ones.
 */
public final class SettingsResolver {

    /** Kafka properties grantctl sets itself; setting them is an error rather than silently ignored. */
    public static final Set<String> RESERVED_KAFKA = Set.of("bootstrap.servers", "key.serializer", "value.serializer",
            "key.deserializer", "value.deserializer", "acks", "enable.idempotence", "group.id", "enable.auto.commit");

    public static final String DEFAULT_CONFIG = ".config/grantctl/config.properties";

    private SettingsResolver() {
    }

    /**
     * @param flags      settings given as flags (absent: not given)
     * @param kafkaFlags {@code --kafka-property} values, in order
     * @param configFlag {@code --config}, or null
     * @param env        the environment
     * @param home       the user's home directory, or null
     */
    public static Settings resolve(Map<Setting, String> flags, Map<String, String> kafkaFlags, Path configFlag,
            Map<String, String> env, Path home) {
        Optional<Path> configFile = configFile(configFlag, env, home);
        Properties file = configFile.map(SettingsResolver::load).orElseGet(Properties::new);
        Path base = configFile.map(p -> p.toAbsolutePath().getParent()).orElse(null);

        Map<Setting, String> values = new LinkedHashMap<>();
        for (Setting setting : Setting.values()) {
            String value = flags.get(setting);
            if (blank(value)) {
                value = env.get(setting.env());
            }
            if (blank(value)) {
                value = file.getProperty(setting.fileKey());
                if (!blank(value) && setting.isPath() && base != null) {
                    value = relativeTo(base, value);
                }
            }
            if (blank(value)) {
                value = setting.defaultValue();
            }
            if (!blank(value)) {
                values.put(setting, value.trim());
            }
        }
        for (String key : file.stringPropertyNames()) {
            if (!key.startsWith(Setting.KAFKA_FILE_PREFIX) && Setting.byFileKey(key) == null) {
                throw GrantctlFailure.usage("config file " + configFile.get() + ": unknown setting '" + key
                        + "'; known are " + knownKeys() + " and kafka.<client property>");
            }
        }

        Map<String, String> kafka = new TreeMap<>();
        for (String key : file.stringPropertyNames()) {
            if (key.startsWith(Setting.KAFKA_FILE_PREFIX)) {
                kafka.put(checkedKafkaKey(key.substring(Setting.KAFKA_FILE_PREFIX.length()), "config file key " + key),
                        file.getProperty(key));
            }
        }
        env.forEach((name, value) -> {
            if (name.startsWith(Setting.KAFKA_ENV_PREFIX) && name.length() > Setting.KAFKA_ENV_PREFIX.length()) {
                String key = name.substring(Setting.KAFKA_ENV_PREFIX.length()).toLowerCase(Locale.ROOT).replace('_', '.');
                kafka.put(checkedKafkaKey(key, "environment variable " + name), value);
            }
        });
        kafkaFlags.forEach((key, value) -> kafka.put(checkedKafkaKey(key, "--kafka-property " + key), value));

        return new Settings(values.get(Setting.BOOTSTRAP_SERVERS), values.get(Setting.GRANTS_TOPIC),
                values.get(Setting.STATUS_TOPIC), values.get(Setting.AUDIT_TOPIC),
                DurationSyntax.parse(Setting.CONNECT_TIMEOUT.flag(), values.get(Setting.CONNECT_TIMEOUT)),
                path(values.get(Setting.SIGNING_KEY), home), path(values.get(Setting.SEALING_JWKS), home),
                uri(values.get(Setting.SEALING_JWKS_URL)), Optional.ofNullable(values.get(Setting.SEALING_KID)),
                paths(values.get(Setting.ADMIN_JWKS), home), Optional.ofNullable(values.get(Setting.ISSUER)),
                values.get(Setting.SOURCE_NAMESPACE), kafka, configFile);
    }

    private static Optional<Path> configFile(Path configFlag, Map<String, String> env, Path home) {
        Path explicit = configFlag != null ? configFlag
                : blank(env.get(Setting.CONFIG_ENV)) ? null : Path.of(env.get(Setting.CONFIG_ENV));
        if (explicit != null) {
            if (!Files.isReadable(explicit)) {
                throw GrantctlFailure.usage("config file " + explicit + " does not exist or is not readable");
            }
            return Optional.of(explicit);
        }
        if (home != null) {
            Path fallback = home.resolve(DEFAULT_CONFIG);
            if (Files.isReadable(fallback)) {
                return Optional.of(fallback);
            }
        }
        return Optional.empty();
    }

    private static Properties load(Path file) {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(reader);
        } catch (IOException | IllegalArgumentException e) {
            throw GrantctlFailure.usage("cannot read config file " + file + ": " + e.getClass().getSimpleName());
        }
        return properties;
    }

    private static String checkedKafkaKey(String key, String where) {
        if (key.isEmpty()) {
            throw GrantctlFailure.usage(where + ": an empty Kafka property name");
        }
        if (RESERVED_KAFKA.contains(key)) {
            throw GrantctlFailure.usage(where + ": Kafka property '" + key + "' is set by grantctl itself"
                    + (key.equals("bootstrap.servers") ? "; use --bootstrap-servers, GRANTCTL_BOOTSTRAP_SERVERS or "
                            + "bootstrap.servers in the config file" : "; remove it"));
        }
        return key;
    }

    private static String relativeTo(Path base, String value) {
        List<String> resolved = new ArrayList<>();
        for (String part : value.split(",")) {
            String p = part.trim();
            if (p.isEmpty()) {
                continue;
            }
            resolved.add(p.startsWith("~/") ? p : base.resolve(p).toString());
        }
        return String.join(",", resolved);
    }

    private static Optional<Path> path(String value, Path home) {
        return blank(value) ? Optional.empty() : Optional.of(expand(value, home));
    }

    private static List<Path> paths(String value, Path home) {
        List<Path> paths = new ArrayList<>();
        if (!blank(value)) {
            for (String part : value.split(",")) {
                if (!part.isBlank()) {
                    paths.add(expand(part.trim(), home));
                }
            }
        }
        return paths;
    }

    private static Path expand(String value, Path home) {
        if (value.startsWith("~/") && home != null) {
            return home.resolve(value.substring(2));
        }
        return Path.of(value);
    }

    private static Optional<URI> uri(String value) {
        if (blank(value)) {
            return Optional.empty();
        }
        try {
            URI uri = new URI(value);
            if (!"https".equals(uri.getScheme()) && !"http".equals(uri.getScheme())) {
                throw GrantctlFailure.usage(Setting.SEALING_JWKS_URL.flag() + " must be an http(s) URL such as "
                        + "https://grant-service.grantflow.svc:8443/sealing-keys");
            }
            return Optional.of(uri);
        } catch (URISyntaxException e) {
            throw GrantctlFailure.usage(Setting.SEALING_JWKS_URL.flag() + " '" + value + "' is not a URL");
        }
    }

    private static List<String> knownKeys() {
        List<String> keys = new ArrayList<>();
        for (Setting s : Setting.values()) {
            keys.add(s.fileKey());
        }
        return keys;
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
