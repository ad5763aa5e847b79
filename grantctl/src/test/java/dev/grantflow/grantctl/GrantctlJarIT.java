package dev.grantflow.grantctl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grantflow.kafka.KafkaBroker;
import dev.grantflow.model.event.Topics;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged tool: the {@code grantctl} script running {@code target/grantctl.jar} as a separate process, against a
 * real broker. Checks that a normal run prints only the command's output (no banner, no Quarkus or Kafka logs).
 */
@ExtendWith(KafkaBrokerExtension.class)
class GrantctlJarIT {

    @TempDir
    static Path home;

    static KafkaBroker broker;

    record Result(int exitCode, String out, String err) {
    }

    @BeforeAll
    static void broker(KafkaBroker kafka) {
        broker = kafka;
    }

    static Result grantctl(String... args) throws IOException, InterruptedException {
        assertThat(System.getProperty("grantctl.script"))
                .as("grantctl.script and grantctl.jar are set by failsafe (mvn verify), after the jar is packaged")
                .isNotNull();
        List<String> command = new ArrayList<>();
        command.add(System.getProperty("grantctl.script"));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(home.toFile());
        Map<String, String> env = builder.environment();
        env.keySet().removeIf(name -> name.startsWith("GRANTCTL_"));
        env.put("HOME", home.toString());
        env.put("GRANTCTL_JAR", System.getProperty("grantctl.jar"));
        env.put("GRANTCTL_BOOTSTRAP_SERVERS", broker.bootstrapServers());
        Path out = Files.createTempFile(home, "out", ".txt");
        Path err = Files.createTempFile(home, "err", ".txt");
        Process process = builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
        return new Result(process.exitValue(), Files.readString(out), Files.readString(err));
    }

    @Test
    void helpListsTheCommandsAndExitCodesOnStdoutOnly() throws Exception {
        Result help = grantctl("--help");
        assertThat(help.exitCode()).isZero();
        assertThat(help.out()).contains("keys", "grant", "revoke", "seal", "status", "audit", "Exit codes:",
                "5  Kafka unreachable or produce failed");
        assertThat(help.err()).isEmpty();

        Result bad = grantctl("grant", "--tenant");
        assertThat(bad.exitCode()).isEqualTo(1);
        assertThat(bad.out()).isEmpty();
    }

    @Test
    void keysGrantAndStatusThroughTheScript() throws Exception {
        Path signing = home.resolve("admin.jwks");
        Path sealing = home.resolve("sealing.jwks");
        assertThat(grantctl("keys", "create", "--signing", "--kid", "admin-jar", "--private-out", signing.toString(),
                "--jwks-out", home.resolve("admin-keys.jwks").toString()).exitCode()).isZero();
        assertThat(grantctl("keys", "create", "--sealing", "--kid", "seal-jar", "--private-out",
                home.resolve("sealing-private.jwks").toString(), "--jwks-out", sealing.toString()).exitCode()).isZero();
        // The default config file, as an administrator would keep one.
        Path config = home.resolve(".config/grantctl/config.properties");
        Files.createDirectories(config.getParent());
        Files.writeString(config, "signing.key=" + signing + "\nsealing.jwks=" + sealing + "\nissuer=jar@example.com\n");

        String tenant = "jar-" + UUID.randomUUID().toString().substring(0, 8);
        String canary = "canary-" + UUID.randomUUID();
        Result grant = grantctl("grant", "--tenant", tenant, "--name", "test-secret", "--from-literal", "foo=" + canary,
                "--mount", "/secret/test-secret", "--no-wait");
        assertThat(grant.exitCode()).as(grant.err()).isZero();
        assertThat(grant.out()).startsWith("posted " + tenant + "/test-secret generation 1 to " + Topics.GRANTS);
        assertThat(grant.err()).isEmpty();
        assertThat(grant.out() + grant.err()).doesNotContain(canary);
        List<String> values = new TopicAccess(broker).withKey(Topics.GRANTS, tenant + "/test-secret").stream()
                .map(r -> new String(r.value(), StandardCharsets.UTF_8)).toList();
        assertThat(values).singleElement().satisfies(v -> assertThat(v).contains("jar@example.com")
                .doesNotContain(canary));

        Result invalid = grantctl("grant", "--tenant", tenant, "--name", "bad", "--from-secret", "x", "--mount",
                "/etc/x");
        assertThat(invalid.exitCode()).isEqualTo(1);
        assertThat(invalid.err()).contains("lies below system path /etc");

        Result status = grantctl("status", "--tenant", tenant, "-o", "json");
        assertThat(status.exitCode()).isZero();
        assertThat(status.out()).isEmpty();
    }
}
