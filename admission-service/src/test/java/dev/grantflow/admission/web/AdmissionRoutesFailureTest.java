package dev.grantflow.admission.web;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.grantflow.admission.domain.AdmissionReviewMapper;
import dev.grantflow.admission.domain.Fixtures;
import dev.grantflow.admission.domain.PodDefaultPolicy;
import dev.grantflow.admission.domain.PodDefaultSnapshot;
import dev.grantflow.admission.domain.PodDefaultValidationPolicy;
import dev.grantflow.admission.kube.PodDefaultCache;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quarkus.runtime.configuration.MemorySize;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import java.math.BigInteger;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The webhooks' 500 path, which no input of the running service reaches (every bad review is a 400, every bad
 * PodDefault is skipped or denied): the routes on a plain Vert.x server, with a PodDefault cache that fails on
 * demand. A failing decision is answered 500 with the JSON error and the review's uid, the exception's text stays out
 * of the answer, the failure is counted, and the next review is answered as usual.
 */
class AdmissionRoutesFailureTest {

    private static final String INTERNAL = "internal detail that must not reach the API server";

    private final AtomicBoolean failing = new AtomicBoolean();
    private final ObjectMapper json = new ObjectMapper();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final Fixtures.Fixture fixture = Fixtures.load("seed-test-secret-notebook");
    private Vertx vertx;
    private int port;

    @BeforeEach
    void start() throws Exception {
        PodDefaultCache cache = new PodDefaultCache() {
            @Override
            public PodDefaultSnapshot inNamespace(String namespace) {
                if (failing.get()) {
                    throw new IllegalStateException(INTERNAL);
                }
                return super.inNamespace(namespace);
            }
        };
        for (JsonNode node : fixture.json().path("podDefaults")) {
            cache.put(Fixtures.podDefault(node));
        }
        AdmissionMetrics metrics = new AdmissionMetrics();
        metrics.registry = registry;
        AdmissionRoutes routes = new AdmissionRoutes();
        routes.json = json;
        routes.reviews = new AdmissionReviewMapper(json);
        routes.policy = new PodDefaultPolicy(true);
        routes.validation = new PodDefaultValidationPolicy(false);
        routes.cache = cache;
        routes.metrics = metrics;
        routes.maxBodySize = new MemorySize(BigInteger.valueOf(3 * 1024 * 1024));
        vertx = Vertx.vertx();
        Router router = Router.router(vertx);
        routes.register(router);
        HttpServer server = vertx.createHttpServer().requestHandler(router).listen(0)
                .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        port = server.actualPort();
    }

    @AfterEach
    void stop() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void aFailingDecisionIsA500WithoutItsDetailsAndTheNextReviewIsAnswered() throws Exception {
        String review = fixture.review().toString();
        String uid = fixture.review().path("request").path("uid").asText();

        failing.set(true);
        Response failed = post(review);
        assertThat(failed.statusCode()).isEqualTo(500);
        assertThat(failed.contentType()).startsWith("application/json");
        JsonNode error = json.readTree(failed.asByteArray());
        assertThat(error.path("reason").asText()).isEqualTo("InternalError");
        assertThat(error.path("message").asText()).contains("uid " + uid).contains("admission-service log");
        assertThat(failed.asString()).doesNotContain(INTERNAL).doesNotContain("IllegalStateException");
        assertThat(registry.find("grantflow.admission.decisions").tag("webhook", "mutate").tag("outcome", "error")
                .tag("reason", "InternalError").counter()).isNotNull()
                .extracting(c -> c.count()).isEqualTo(1.0);

        failing.set(false);
        Response answered = post(review);
        assertThat(answered.statusCode()).isEqualTo(200);
        JsonNode response = json.readTree(answered.asByteArray()).path("response");
        assertThat(response.path("uid").asText()).isEqualTo(uid);
        assertThat(response.path("allowed").asBoolean()).isTrue();
        assertThat(response.has("patch")).as("the fixture's PodDefaults are injected again").isTrue();
    }

    private Response post(String body) {
        return given().port(port).contentType(ContentType.JSON).body(body).post("/apply-poddefault");
    }
}
