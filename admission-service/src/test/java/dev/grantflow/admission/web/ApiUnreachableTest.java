package dev.grantflow.admission.web;

import static dev.grantflow.admission.web.AdmissionServiceTest.applyPatch;
import static dev.grantflow.admission.web.AdmissionServiceTest.pod;
import static dev.grantflow.admission.web.AdmissionServiceTest.podDefault;
import static dev.grantflow.admission.web.AdmissionServiceTest.post;
import static dev.grantflow.admission.web.AdmissionServiceTest.review;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.grantflow.model.poddefault.PodDefault;
import dev.grantflow.testing.InjectKubeApiProxy;
import dev.grantflow.testing.InjectMockKubeClient;
import dev.grantflow.testing.KubeApiProxy;
import dev.grantflow.testing.KubeApiProxyResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The API server becomes unreachable after the cache synced ({@link KubeApiProxy#unreachable()}: the informer's watch
 * is cut and every new connection refused). The webhook keeps answering from the cache; the cache's age grows, the
 * freshness check ({@code /q/health/group/cache-freshness}) turns DOWN after the (here 2 s) maximum staleness and the
 * gauges say so; with the opt-out {@code readiness-fails-when-stale=false} readiness stays UP (StaleReadinessTest
 * covers the default, DOWN). Once
 * the API server is back, the cache catches up with what changed meanwhile and is fresh again.
 */
@QuarkusTest
@TestProfile(ApiUnreachableTest.ShortStaleness.class)
class ApiUnreachableTest {

    static final Duration MAX_STALENESS = Duration.ofSeconds(2);

    public static class ShortStaleness implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(KubeApiProxyResource.class));
        }

        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("grantflow.admission.cache.max-staleness", MAX_STALENESS.toSeconds() + "s",
                    // The operator's opt-out: readiness stays UP on a stale cache (StaleReadinessTest: the default).
                    "grantflow.admission.cache.readiness-fails-when-stale", "false",
                    // reconnect quickly once the API server is back (fabric8 doubles it up to 32 times)
                    "quarkus.kubernetes-client.watch-reconnect-interval", "100ms");
        }
    }

    @InjectKubeApiProxy
    KubeApiProxy proxy;

    @InjectMockKubeClient
    KubernetesClient kube;

    @AfterEach
    void reachable() {
        proxy.reachable();
    }

    @Test
    void answersFromTheCacheWhileTheApiServerIsUnreachableAndReportsTheCacheStale() throws Exception {
        PodDefault created = kube.resource(podDefault("offline", "cfg", "FOO", "before")).create();
        JsonNode pod = pod("offline", "nb-0", Map.of("cfg", "true"));
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
                .untilAsserted(() -> assertThat(env(pod)).isEqualTo("before"));
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(freshness().getString("status")).isEqualTo("UP");
            assertThat(ready().getString("status")).isEqualTo("UP");
        });
        assertThat(metric("grantflow_admission_cache_age_seconds")).isLessThan(MAX_STALENESS.toSeconds());
        assertThat(metric("grantflow_admission_cache_stale")).isZero();

        proxy.unreachable();
        // Changed meanwhile, past the proxy: the service cannot know until the API server is reachable again.
        PodDefault changed = podDefault("offline", "cfg", "FOO", "after");
        changed.getMetadata().setResourceVersion(created.getMetadata().getResourceVersion());
        kube.resource(changed).update();

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            JsonPath health = freshness();
            assertThat(health.getString("status")).isEqualTo("DOWN");
            assertThat(health.getBoolean("checks[0].data.stale")).isTrue();
            assertThat(health.getLong("checks[0].data.cacheAgeSeconds")).isGreaterThanOrEqualTo(MAX_STALENESS.toSeconds());
        });
        assertThat(metric("grantflow_admission_cache_age_seconds")).isGreaterThan(MAX_STALENESS.toSeconds());
        assertThat(metric("grantflow_admission_cache_stale")).isEqualTo(1.0);
        // Opted out: readiness stays UP (the webhook stays in its Service) and shows the age.
        JsonPath ready = ready();
        assertThat(ready.getString("status")).isEqualTo("UP");
        assertThat(ready.getBoolean("checks.find { it.name == 'poddefault-cache' }.data.stale")).isTrue();
        // Every review is answered from the cache, with the patch the cache holds.
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(100))
                .until(() -> "before".equals(env(pod)));
        assertThat(proxy.refusedConnections()).as("the informer kept trying to reconnect").isPositive();

        proxy.reachable();

        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .untilAsserted(() -> assertThat(env(pod)).isEqualTo("after"));
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(freshness().getString("status")).isEqualTo("UP");
            assertThat(metric("grantflow_admission_cache_stale")).isZero();
        });
    }

    static String env(JsonNode pod) throws Exception {
        JsonNode merged = applyPatch(pod, post("/apply-poddefault", review("offline", pod)));
        return merged.path("spec").path("containers").get(0).path("env").get(0).path("value").asText();
    }

    static JsonPath freshness() {
        return given().get("/q/health/group/cache-freshness").then().extract().jsonPath();
    }

    static JsonPath ready() {
        return given().get("/q/health/ready").then().extract().jsonPath();
    }

    /** The value of an unlabelled gauge on {@code /q/metrics}. */
    static double metric(String name) {
        String body = given().get("/q/metrics").then().statusCode(200).extract().asString();
        Matcher value = Pattern.compile("(?m)^" + Pattern.quote(name) + " (\\S+)$").matcher(body);
        assertThat(value.find()).as(name + " in /q/metrics").isTrue();
        return Double.parseDouble(value.group(1));
    }
}
