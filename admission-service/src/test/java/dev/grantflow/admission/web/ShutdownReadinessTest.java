package dev.grantflow.admission.web;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.smallrye.health.runtime.ShutdownReadinessCheck;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.spi.CDI;
import java.time.Duration;
import java.util.Map;
import org.eclipse.microprofile.config.ConfigProvider;
import org.eclipse.microprofile.health.Readiness;
import org.junit.jupiter.api.Test;

/**
 * Readiness turns DOWN first on shutdown, before the webhook stops serving. A {@code @QuarkusTest} cannot send itself
 * SIGTERM and keep asking questions, so this test does what Quarkus's shutdown listener does at the start of the
 * shutdown delay (it calls {@link ShutdownReadinessCheck#shutdown()}) and reads the probes back. The check exists
 * only because {@code quarkus.shutdown.delay-enabled=true}; the delay's length and the drain timeout are plain
 * configuration (README). A profile of its own: the application this test drains is not reused by other tests.
 */
@QuarkusTest
@WithKubernetesTestServer(crud = true)
@TestProfile(ShutdownReadinessTest.Draining.class)
class ShutdownReadinessTest {

    public static class Draining implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.shutdown.timeout", "2s");
        }
    }

    @Test
    void readinessIsDownDuringTheShutdownDelayWhileLivenessStaysUp() {
        assertThat(ConfigProvider.getConfig().getValue("quarkus.shutdown.delay-enabled", Boolean.class)).isTrue();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> given().get("/q/health/ready").then()
                .statusCode(200)
                .body("checks.find { it.name == 'Graceful Shutdown' }.status", equalTo("UP")));

        Instance<ShutdownReadinessCheck> check = CDI.current().select(ShutdownReadinessCheck.class,
                Readiness.Literal.INSTANCE);
        assertThat(check.isResolvable()).as("the shutdown readiness check (quarkus.shutdown.delay-enabled)").isTrue();
        check.get().shutdown();

        given().get("/q/health/ready").then()
                .statusCode(503)
                .body("checks.find { it.name == 'Graceful Shutdown' }.status", equalTo("DOWN"));
        given().get("/q/health/live").then().statusCode(200);
    }
}
