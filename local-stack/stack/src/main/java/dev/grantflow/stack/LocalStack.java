package dev.grantflow.stack;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * The local stack in one command: a real Kafka broker, a local Kubernetes API stand-in (or the cluster of
 * {@code KUBECONFIG}), the three Grantflow services as separate JVMs, then the seed scenario with progress lines.
 *
 * <p>Usage: {@code java -jar local-stack/stack/target/grantflow-local-stack.jar [--keep]} from the project root.
 * With {@code --keep} the stack stays up after the scenario (addresses printed) until Ctrl-C.
 */
public final class LocalStack {

    public static void main(String[] args) {
        boolean keep = List.of(args).contains("--keep");
        Path root = Path.of(System.getProperty("grantflow.home", ".")).toAbsolutePath().normalize();
        Instant start = Instant.now();
        int exit = 0;
        Platform platform = null;
        try {
            Progress.step("Starting the platform");
            platform = Platform.start(root);
            Platform running = platform;
            Runtime.getRuntime().addShutdownHook(new Thread(running::close, "local-stack-cleanup"));
            SeedScenario.Result result = new SeedScenario(root, platform).run();
            Progress.step(String.format("Done in %d s: granted (signed, sealed) before login, materialized %d ms after "
                            + "login, mounted at %s, %s and %s, rotated, revoked, audited; %s",
                    Duration.between(start, Instant.now()).toSeconds(), result.materializedMillis(),
                    result.secretMountPath(), result.tokenMountPath(), result.dockerConfigPath(),
                    platform.kube.isStandIn() ? "Kubernetes API stand-in" : "Kubernetes cluster"));
            if (keep) {
                Progress.step("Stack left running (Ctrl-C stops it):");
                Progress.info("Kafka bootstrap servers: " + platform.broker.bootstrapServers());
                Progress.info("Kubernetes API: " + platform.kube.client().getMasterUrl());
                Progress.info("namespace-watcher: " + platform.watcher.url());
                Progress.info("grant-service: " + platform.grantService.url());
                Progress.info("admission-service webhook: " + platform.webhookUrl);
                Progress.info("logs: " + root.resolve("target/local-stack"));
                new CountDownLatch(1).await();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            System.out.println("FAILED: " + e.getMessage());
            exit = 1;
        } finally {
            if (platform != null) {
                platform.close();
            }
        }
        System.exit(exit);
    }

    private LocalStack() {
    }
}
