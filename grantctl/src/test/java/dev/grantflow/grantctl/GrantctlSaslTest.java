package dev.grantflow.grantctl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grantflow.kafka.KafkaBroker;
import dev.grantflow.testing.GrantflowAcls;
import dev.grantflow.testing.SaslKafkaBrokerResource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * grantctl against a broker that requires SASL/SCRAM-SHA-512 and enforces Grantflow's ACLs ({@link GrantflowAcls}):
 * with the administrators' credentials in its config file ({@code kafka.*} pass-through) it posts a grant; with
 * grant-service's credentials the broker refuses the write (exit 5, and the password appears in no output); without
 * credentials it cannot connect (exit 5).
 */
class GrantctlSaslTest {

    @TempDir
    static Path dir;

    static KafkaBroker broker;
    static Path signingKey;
    static Path sealingJwks;

    @BeforeAll
    static void start() {
        broker = SaslKafkaBrokerResource.start(KafkaBroker.Sasl.SCRAM_SHA_512);
        signingKey = dir.resolve("admin.jwks");
        sealingJwks = dir.resolve("sealing.jwks");
        assertThat(new Grantctl(dir).run("keys", "create", "--signing", "--kid", "admin-1", "--private-out",
                signingKey.toString(), "--jwks-out", dir.resolve("admin-keys.jwks").toString()).exitCode()).isZero();
        assertThat(new Grantctl(dir).run("keys", "create", "--sealing", "--kid", "seal-1", "--private-out",
                dir.resolve("sealing-private.jwks").toString(), "--jwks-out", sealingJwks.toString()).exitCode())
                .isZero();
    }

    @AfterAll
    static void stop() {
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void theAdministratorPostsWithItsCredentialsFromTheConfigFile() throws IOException {
        Grantctl.Run run = grant(config("admin.properties", GrantflowAcls.ADMIN), "sasl-ok");
        assertThat(run.exitCode()).as(run.err()).isZero();
        Grantctl.Run status = new Grantctl(dir).run("status", "--config", dir.resolve("admin.properties").toString(),
                "-o", "json");
        assertThat(status.exitCode()).as(status.err()).isZero();
    }

    @Test
    void grantServicesCredentialsCannotWriteGrantsAndThePasswordIsNeverPrinted() throws IOException {
        Path config = config("grant-service.properties", GrantflowAcls.GRANT_SERVICE);
        Grantctl.Run run = grant(config, "sasl-refused");
        assertThat(run.exitCode()).isEqualTo(5);
        assertThat(run.err()).containsIgnoringCase("authoriz");
        String password = password(GrantflowAcls.GRANT_SERVICE);
        assertThat(run.all()).doesNotContain(password);
    }

    @Test
    void withoutCredentialsItCannotConnect() throws IOException {
        Path config = dir.resolve("anonymous.properties");
        Files.writeString(config, "bootstrap.servers=" + broker.bootstrapServers() + "\nconnect.timeout=5s\n");
        assertThat(grant(config, "sasl-anonymous").exitCode()).isEqualTo(5);
    }

    Grantctl.Run grant(Path config, String name) {
        return new Grantctl(dir).run("grant", "--config", config.toString(), "--tenant", "alice", "--name", name,
                "--from-literal", "k=v", "--mount", "/secret/" + name, "--no-wait", "--signing-key",
                signingKey.toString(), "--sealing-jwks", sealingJwks.toString());
    }

    /** A grantctl config file with {@code principal}'s client settings under {@code kafka.}. */
    static Path config(String file, String principal) throws IOException {
        List<String> lines = new ArrayList<>(List.of("bootstrap.servers=" + broker.bootstrapServers(),
                "connect.timeout=10s"));
        for (Map.Entry<String, Object> setting : broker.clientSecurity(principal).entrySet()) {
            lines.add("kafka." + setting.getKey() + "=" + setting.getValue());
        }
        Path config = dir.resolve(file);
        Files.writeString(config, String.join("\n", lines) + "\n");
        return config;
    }

    static String password(String principal) {
        String jaas = (String) broker.clientSecurity(principal).get("sasl.jaas.config");
        return jaas.replaceAll(".*password=\"([^\"]*)\".*", "$1");
    }
}
