package dev.grantflow.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The administrator's side of the scenario: {@code grantctl} run as a user runs it, the {@code grantctl/grantctl}
 * script (with its JVM options) over the packaged jar ({@code grantctl/target/grantctl.jar}) in a JVM of its own, with
 * this JVM's Java ({@code JAVA_HOME}) and a config file naming the stack's Kafka address, the
 * administrator's signing key and grant-service's sealing keys (fetched from {@code GET /sealing-keys}). Its output
 * is kept, so that the end-to-end test can check that no value ever appears in it.
 */
final class GrantctlRun {

    /** What one run printed and returned. */
    record Outcome(List<String> command, int exitCode, String stdout, String stderr) {
    }

    private final Path script;
    private final Map<String, String> environment;
    private final List<Outcome> outcomes = new ArrayList<>();

    GrantctlRun(Path root, Platform platform) {
        this.script = root.resolve("grantctl/grantctl");
        Path jar = root.resolve("grantctl/target/grantctl.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: build the project first (mvn -B -q -DskipTests package)");
        }
        // The administrator's settings as a grantctl config file (what an administrator keeps in
        // ~/.config/grantctl/config.properties), written next to the stack's keys.
        Path config = platform.keys.adminSigningKey().resolveSibling("grantctl.properties");
        try {
            Files.writeString(config, String.join("\n",
                    "bootstrap.servers=" + platform.broker.bootstrapServers(),
                    "signing.key=" + platform.keys.adminSigningKey(),
                    "sealing.jwks.url=" + platform.grantService.url() + "/sealing-keys",
                    "admin.jwks=" + platform.keys.adminPublicKeys(),
                    "issuer=admin@example.com", ""), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + config, e);
        }
        this.environment = Map.of("GRANTCTL_CONFIG", config.toString(), "GRANTCTL_JAR", jar.toString(),
                "JAVA_HOME", System.getProperty("java.home"));
    }

    /**
     * Runs {@code grantctl args} and returns its outcome; {@code shown} is the command line as printed (values
     * replaced by placeholders).
     */
    Outcome run(List<String> args, String shown) {
        List<String> command = new ArrayList<>(List.of("bash", script.toString()));
        command.addAll(args);
        Progress.info("$ grantctl " + shown);
        try {
            Path errors = Files.createTempFile("grantctl", ".stderr");
            ProcessBuilder builder = new ProcessBuilder(command).redirectError(errors.toFile());
            builder.environment().putAll(environment);
            Process process = builder.start();
            process.getOutputStream().close();
            byte[] out = process.getInputStream().readAllBytes();
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("grantctl " + shown + " did not finish within 120 s");
            }
            byte[] err = Files.readAllBytes(errors);
            Files.delete(errors);
            Outcome outcome = new Outcome(List.copyOf(args), process.exitValue(), new String(out, StandardCharsets.UTF_8),
                    new String(err, StandardCharsets.UTF_8));
            outcomes.add(outcome);
            outcome.stdout().lines().forEach(line -> Progress.info("  " + line));
            if (outcome.exitCode() != 0) {
                throw new IllegalStateException("grantctl " + shown + " exited with " + outcome.exitCode() + ": "
                        + outcome.stderr().strip());
            }
            return outcome;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run grantctl", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Every run so far. */
    List<Outcome> outcomes() {
        return List.copyOf(outcomes);
    }
}
