package dev.grantflow.admission.web;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Without a reachable API server the cache never syncs: readiness stays DOWN and the service keeps running. */
@QuarkusTest
@TestProfile(ReadinessWithoutApiServerTest.UnreachableApiServer.class)
class ReadinessWithoutApiServerTest {

    public static class UnreachableApiServer implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.kubernetes-client.api-server-url", "http://127.0.0.1:1",
                    "quarkus.kubernetes-client.request-timeout", "500",
                    "quarkus.kubernetes-client.connection-timeout", "500");
        }
    }

    @Test
    void readinessIsDownUntilSynced() {
        given().get("/q/health/ready").then()
                .statusCode(503)
                .body("checks.find { it.name == 'poddefault-cache' }.status", equalTo("DOWN"));
        given().get("/q/health/live").then().statusCode(200);
    }
}
