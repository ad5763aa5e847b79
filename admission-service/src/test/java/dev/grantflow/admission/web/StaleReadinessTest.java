package dev.grantflow.admission.web;

import static dev.grantflow.admission.web.ApiUnreachableTest.freshness;
import static dev.grantflow.admission.web.ApiUnreachableTest.ready;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.grantflow.testing.InjectKubeApiProxy;
import dev.grantflow.testing.KubeApiProxy;
import dev.grantflow.testing.KubeApiProxyResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The default ({@code grantflow.admission.cache.readiness-fails-when-stale=true}): readiness turns DOWN while the cache
 * is stale (the pod leaves the webhook Service) and UP again once the API server is back.
 */
@QuarkusTest
@TestProfile(StaleReadinessTest.StaleMeansNotReady.class)
class StaleReadinessTest {

    public static class StaleMeansNotReady implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(KubeApiProxyResource.class));
        }

        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("grantflow.admission.cache.max-staleness", "2s",
                    "quarkus.kubernetes-client.watch-reconnect-interval", "100ms");
        }
    }

    @InjectKubeApiProxy
    KubeApiProxy proxy;

    @AfterEach
    void reachable() {
        proxy.reachable();
    }

    @Test
    void readinessIsDownWhileTheCacheIsStale() {
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(ready().getString("status"))
                .isEqualTo("UP"));

        proxy.unreachable();

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            assertThat(ready().getString("status")).isEqualTo("DOWN");
            assertThat(ready().getString("checks.find { it.name == 'poddefault-cache' }.status")).isEqualTo("DOWN");
        });
        assertThat(freshness().getString("status")).isEqualTo("DOWN");

        proxy.reachable();

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(ready().getString("status"))
                .isEqualTo("UP"));
    }
}
