package dev.grantflow.grantctl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.grantflow.grantctl.config.Setting;
import dev.grantflow.grantctl.config.Settings;
import dev.grantflow.grantctl.config.SettingsResolver;
import dev.grantflow.grantctl.domain.ExitCode;
import dev.grantflow.grantctl.domain.GrantctlFailure;
import dev.grantflow.model.event.Topics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SettingsResolverTest {

    @TempDir
    Path home;

    private Path defaultConfig(String content) throws Exception {
        Path file = home.resolve(SettingsResolver.DEFAULT_CONFIG);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
        return file;
    }

    @Test
    void defaultsWithoutAnything() {
        Settings s = SettingsResolver.resolve(Map.of(), Map.of(), null, Map.of(), home);
        assertThat(s.bootstrapServers()).isEqualTo("localhost:9092");
        assertThat(s.grantsTopic()).isEqualTo(Topics.GRANTS);
        assertThat(s.statusTopic()).isEqualTo(Topics.GRANT_STATUS);
        assertThat(s.auditTopic()).isEqualTo(Topics.AUDIT);
        assertThat(s.connectTimeout()).isEqualTo(Duration.ofSeconds(15));
        assertThat(s.sourceNamespace()).isEqualTo("grantflow-sources");
        assertThat(s.configFile()).isEmpty();
        assertThat(s.kafkaProperties()).isEmpty();
    }

    @Test
    void tildeIsTheHomeDirectory() {
        Settings s = SettingsResolver.resolve(Map.of(), Map.of(), null,
                Map.of("GRANTCTL_SEALING_JWKS", "~/keys/sealing.jwks", "GRANTCTL_ADMIN_JWKS", "~/a.jwks, /etc/b.jwks"), home);
        assertThat(s.sealingJwks()).contains(home.resolve("keys/sealing.jwks"));
        assertThat(s.adminJwks()).containsExactly(home.resolve("a.jwks"), Path.of("/etc/b.jwks"));
    }

    @Test
    void flagBeatsEnvironmentBeatsConfigFile() throws Exception {
        Path file = defaultConfig("""
                bootstrap.servers=file:9092
                issuer=file@example.com
                source.namespace=file-sources
                signing.key=keys/admin.jwks
                kafka.security.protocol=SASL_SSL
                kafka.sasl.mechanism=PLAIN
                kafka.ssl.truststore.location=/etc/kafka/truststore.p12
                """);
        Map<String, String> env = Map.of("GRANTCTL_BOOTSTRAP_SERVERS", "env:9092", "GRANTCTL_ISSUER", "env@example.com",
                "GRANTCTL_KAFKA_SASL_MECHANISM", "SCRAM-SHA-512");

        Settings s = SettingsResolver.resolve(Map.of(Setting.BOOTSTRAP_SERVERS, "flag:9092"),
                Map.of("ssl.truststore.location", "/flag/truststore.p12"), null, env, home);

        assertThat(s.configFile()).contains(file);
        assertThat(s.bootstrapServers()).isEqualTo("flag:9092");
        assertThat(s.issuer()).contains("env@example.com");
        assertThat(s.sourceNamespace()).isEqualTo("file-sources");
        assertThat(s.signingKey()).contains(file.getParent().resolve("keys/admin.jwks"));
        assertThat(s.kafkaProperties()).containsExactlyInAnyOrderEntriesOf(Map.of("security.protocol", "SASL_SSL",
                "sasl.mechanism", "SCRAM-SHA-512", "ssl.truststore.location", "/flag/truststore.p12"));
        assertThat(s.toString()).doesNotContain("SCRAM").doesNotContain("truststore.p12");
    }

    @Test
    void explicitConfigFileAndItsErrors() throws Exception {
        defaultConfig("bootstrap.servers=default:9092\n");
        Path other = home.resolve("other.properties");
        Files.writeString(other, "bootstrap.servers=other:9092\n");
        assertThat(SettingsResolver.resolve(Map.of(), Map.of(), other, Map.of(), home).bootstrapServers())
                .isEqualTo("other:9092");
        assertThat(SettingsResolver.resolve(Map.of(), Map.of(), null, Map.of("GRANTCTL_CONFIG", other.toString()),
                home).bootstrapServers()).isEqualTo("other:9092");

        assertFailure(() -> SettingsResolver.resolve(Map.of(), Map.of(), home.resolve("missing"), Map.of(), home),
                "does not exist");
        Files.writeString(other, "bootstrap.server=typo:9092\n");
        assertFailure(() -> SettingsResolver.resolve(Map.of(), Map.of(), other, Map.of(), home),
                "unknown setting 'bootstrap.server'");
        Files.writeString(other, "kafka.acks=1\n");
        assertFailure(() -> SettingsResolver.resolve(Map.of(), Map.of(), other, Map.of(), home),
                "'acks' is set by grantctl");
        assertFailure(() -> SettingsResolver.resolve(Map.of(), Map.of("bootstrap.servers", "x:1"), null, Map.of(), home),
                "use --bootstrap-servers");
    }

    private static void assertFailure(Runnable call, String message) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(GrantctlFailure.class, f -> {
            assertThat(f.exitCode()).isEqualTo(ExitCode.USAGE);
            assertThat(f.getMessage()).contains(message);
        });
    }
}
