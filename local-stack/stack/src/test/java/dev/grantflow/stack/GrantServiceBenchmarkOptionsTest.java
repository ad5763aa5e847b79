package dev.grantflow.stack;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The grant-service benchmark measures what k8s deploys: its default JVM options are the Deployment's
 * {@code JAVA_OPTS}, the AppCDS archive being the one the benchmark makes instead of the image's.
 */
class GrantServiceBenchmarkOptionsTest {

    private static final Path ROOT = Path.of(System.getProperty("grantflow.home", "../..")).toAbsolutePath().normalize();

    @Test
    void theBenchmarksDefaultJvmOptionsAreTheDeployments() throws IOException {
        Deployment deployment;
        try (InputStream in = Files.newInputStream(ROOT.resolve("k8s/base/grant-service/deployment.yaml"))) {
            deployment = Serialization.unmarshal(in, Deployment.class);
        }
        String deployed = deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv().stream()
                .filter(env -> env.getName().equals("JAVA_OPTS")).map(EnvVar::getValue).findFirst().orElseThrow();

        assertThat(GrantServiceBenchmark.JVM.replace("-XX:SharedArchiveFile=app-cds.jsa",
                "-XX:SharedArchiveFile=/deployments/app-cds.jsa")).isEqualTo(deployed);
    }

    @Test
    void theImageMakesTheArchiveTheDeploymentNames() throws IOException {
        String dockerfile = Files.readString(ROOT.resolve("grant-service/src/main/docker/Dockerfile.jvm"));

        assertThat(dockerfile).contains("-XX:ArchiveClassesAtExit=/deployments/app-cds.jsa")
                .contains("-jar /deployments/quarkus-run.jar").contains("JAVA_APP_JAR=\"/deployments/quarkus-run.jar\"");
    }
}
