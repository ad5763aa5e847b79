package dev.grantflow.grant.kube;

import static dev.grantflow.grant.kube.GrantTestSupport.grant;
import static dev.grantflow.grant.kube.GrantTestSupport.source;
import static org.assertj.core.api.Assertions.assertThat;

import dev.grantflow.testing.KafkaBrokerResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import jakarta.inject.Inject;
import java.util.Map;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * With the OpenTelemetry SDK on (no exporter: nothing leaves the test), a reconcile is a span of the grant record's
 * trace, and the status record carries that span's context: same trace id, the reconcile span as parent.
 */
@QuarkusTest
@TestProfile(TracingTest.TracingOn.class)
@WithKubernetesTestServer(crud = true)
@QuarkusTestResource(value = KafkaBrokerResource.class, restrictToAnnotatedClass = true)
class TracingTest {

    public static class TracingOn implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.otel.sdk.disabled", "false",
                    "quarkus.otel.exporter.otlp.enabled", "false");
        }
    }

    static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
    static final String PRODUCER_SPAN = "00f067aa0ba902b7";

    static GrantTestSupport kafka;

    @Inject
    KubernetesClient client;

    @BeforeAll
    static void connect() {
        kafka = new GrantTestSupport(ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class));
    }

    @AfterAll
    static void close() {
        kafka.close();
    }

    @Test
    void theStatusIsPublishedFromAReconcileSpanOfTheGrantRecordsTrace() {
        source(client, "traced", Map.of("k", "v"));
        kafka.tenantCreated(client, "tina");
        kafka.post(grant("tina", "traced", 1), "00-" + TRACE_ID + "-" + PRODUCER_SPAN + "-01");
        kafka.awaitStatus("tina/traced", "Applied", "Applied");

        String[] traceparent = kafka.latestStatusTraceparent("tina/traced").split("-");
        assertThat(traceparent).hasSize(4);
        assertThat(traceparent[1]).isEqualTo(TRACE_ID);
        assertThat(traceparent[2]).as("the reconcile span, not the producer's").isNotEqualTo(PRODUCER_SPAN)
                .isNotEqualTo("0000000000000000");
        assertThat(traceparent[3]).isEqualTo("01");
    }
}
