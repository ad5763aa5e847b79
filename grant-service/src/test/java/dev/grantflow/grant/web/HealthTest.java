package dev.grantflow.grant.web;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import org.junit.jupiter.api.Test;

/** The skeleton starts and exposes health and metrics endpoints. */
@QuarkusTest
class HealthTest {

    @Test
    void livenessAndReadinessAreUp() {
        RestAssured.get("/q/health/live").then().statusCode(200).body("status", is("UP"));
        RestAssured.get("/q/health/ready").then().statusCode(200).body("status", is("UP"));
    }

    @Test
    void prometheusMetricsAreExposed() {
        RestAssured.get("/q/metrics").then().statusCode(200).body(containsString("jvm_memory_used_bytes"));
    }
}
