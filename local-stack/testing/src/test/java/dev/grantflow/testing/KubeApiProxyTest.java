package dev.grantflow.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.quarkus.test.kubernetes.client.KubernetesServer;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The proxy between a fabric8 client and the CRUD mock API server: forwarding, watches, faults, preconditions. */
class KubeApiProxyTest {

    KubernetesServer mock;
    KubeApiProxy proxy;
    KubernetesClient client;
    final HttpClient raw = HttpClient.newHttpClient();

    @BeforeEach
    void start() throws Exception {
        mock = new KubernetesServer(false, true, InetAddress.getLoopbackAddress(), 0, List.of());
        mock.before();
        proxy = KubeApiProxy.start(URI.create(mock.getClient().getConfiguration().getMasterUrl()));
        client = new KubernetesClientBuilder().withConfig(new ConfigBuilder().withMasterUrl(proxy.uri().toString())
                .withRequestTimeout(1000).withRequestRetryBackoffLimit(0).withHttp2Disable(true)
                .withNamespace("test").build()).build();
    }

    @AfterEach
    void stop() {
        client.close();
        proxy.close();
        mock.after();
    }

    @Test
    void writesAreForwardedAndRecordedAndWatchesStreamThrough() {
        Set<String> seen = ConcurrentHashMap.newKeySet();
        SharedIndexInformer<Secret> informer = client.secrets().inNamespace("alice").inform(new ResourceEventHandler<>() {
            @Override
            public void onAdd(Secret secret) {
                seen.add(secret.getMetadata().getName());
            }

            @Override
            public void onUpdate(Secret before, Secret after) {
            }

            @Override
            public void onDelete(Secret secret, boolean unknown) {
            }
        });
        try {
            client.secrets().inNamespace("alice").resource(secret("db")).create();
            await().atMost(Duration.ofSeconds(10)).until(() -> seen.contains("db"));
        } finally {
            informer.close();
        }
        assertThat(mock.getClient().secrets().inNamespace("alice").withName("db").get()).isNotNull();
        assertThat(proxy.requests("POST", "/api/v1/namespaces/alice/secrets")).singleElement()
                .satisfies(r -> assertThat(r.body()).contains("\"name\":\"db\""));
        assertThat(proxy.requests()).anySatisfy(r -> assertThat(r.watch()).isTrue());
    }

    @Test
    void anUnreachableApiServerCutsWatchesAndRefusesConnectionsUntilReachableAgain() throws Exception {
        Set<String> seen = ConcurrentHashMap.newKeySet();
        SharedIndexInformer<Secret> informer = client.secrets().inNamespace("alice").inform(new ResourceEventHandler<>() {
            @Override
            public void onAdd(Secret secret) {
                seen.add(secret.getMetadata().getName());
            }

            @Override
            public void onUpdate(Secret before, Secret after) {
            }

            @Override
            public void onDelete(Secret secret, boolean unknown) {
            }
        });
        try {
            await().atMost(Duration.ofSeconds(10)).until(informer::isWatching);

            proxy.unreachable();

            await().atMost(Duration.ofSeconds(10)).until(() -> !informer.isWatching());
            assertThatThrownBy(() -> raw.send(HttpRequest.newBuilder(proxy.uri().resolve("/api/v1/namespaces"))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString()))
                    .isInstanceOf(java.io.IOException.class);
            assertThat(proxy.refusedConnections()).isPositive();
            // Stored meanwhile, past the proxy: seen once the API server is reachable again.
            mock.getClient().secrets().inNamespace("alice").resource(secret("during")).create();

            proxy.reachable();

            await().atMost(Duration.ofSeconds(30)).until(() -> seen.contains("during"));
            assertThat(raw.send(HttpRequest.newBuilder(proxy.uri().resolve("/api/v1/namespaces/alice/secrets/during"))
                    .build(), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
        } finally {
            informer.close();
        }
    }

    @Test
    void anInjectedStatusIsWhatTheClientSeesForAsManyRequestsAsAsked() {
        KubeApiProxy.Fault fault = proxy.inject("POST", "/api/v1/namespaces/alice/secrets",
                KubeApiProxy.Answer.status(KubeStatus.namespaceTerminating("", "secrets", "db", "alice")), 1);

        assertThatThrownBy(() -> client.secrets().inNamespace("alice").resource(secret("db")).create())
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> {
                    assertThat(e.getCode()).isEqualTo(403);
                    assertThat(e.getStatus().getReason()).isEqualTo("Forbidden");
                    assertThat(e.getStatus().getMessage()).endsWith("because it is being terminated");
                    assertThat(e.getStatus().getDetails().getCauses()).singleElement()
                            .satisfies(c -> assertThat(c.getReason()).isEqualTo("NamespaceTerminating"));
                });
        assertThat(mock.getClient().secrets().inNamespace("alice").withName("db").get()).isNull();

        client.secrets().inNamespace("alice").resource(secret("db")).create();
        assertThat(fault.hits()).isEqualTo(1);
        assertThat(proxy.count("POST", "/api/v1/namespaces/alice/secrets")).isEqualTo(2);
    }

    @Test
    void headersAndPlainTextBodiesGoOnTheWireAsGiven() throws Exception {
        proxy.inject("GET", "/api/v1/namespaces/alice/secrets/db",
                KubeApiProxy.Answer.text(429, KubeStatus.TOO_MANY_REQUESTS_TEXT).withHeader("Retry-After", "3"));

        HttpResponse<String> response = raw.send(HttpRequest.newBuilder(proxy.uri()
                .resolve("/api/v1/namespaces/alice/secrets/db")).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(429);
        assertThat(response.headers().firstValue("Retry-After")).contains("3");
        assertThat(response.headers().firstValue("Content-Type")).contains("text/plain; charset=utf-8");
        assertThat(response.body()).isEqualTo("Too many requests, please try again later.\n");
    }

    @Test
    void aHangingAnswerIsAClientTimeout() {
        proxy.inject("GET", "/api/v1/namespaces/alice/secrets/db", KubeApiProxy.Answer.hang());
        long start = System.nanoTime();
        assertThatThrownBy(() -> client.secrets().inNamespace("alice").withName("db").get())
                .isInstanceOf(KubernetesClientException.class);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(900));
    }

    @Test
    void aHeldRequestIsForwardedWhenReleased() throws Exception {
        CountDownLatch gate = new CountDownLatch(1);
        proxy.inject("POST", "/api/v1/namespaces/alice/secrets", KubeApiProxy.Answer.holdUntil(gate), 1);
        var creating = java.util.concurrent.CompletableFuture.runAsync(
                () -> client.secrets().inNamespace("alice").resource(secret("db")).create());
        await().atMost(Duration.ofSeconds(5)).until(() -> proxy.count("POST", ".*/secrets") == 1);
        assertThat(mock.getClient().secrets().inNamespace("alice").withName("db").get()).isNull();

        gate.countDown();
        creating.get();
        assertThat(mock.getClient().secrets().inNamespace("alice").withName("db").get()).isNotNull();
    }

    @Test
    void deletePreconditionsAreEnforcedAsKubeApiserverDoes() throws Exception {
        Secret created = mock.getClient().secrets().inNamespace("alice").resource(secret("db")).create();
        String uid = created.getMetadata().getUid();
        String version = created.getMetadata().getResourceVersion();
        proxy.enforceDeletePreconditions(true);

        HttpResponse<String> wrongUid = delete("{\"preconditions\":{\"uid\":\"not-" + uid + "\",\"resourceVersion\":\""
                + version + "\"}}");
        assertThat(wrongUid.statusCode()).isEqualTo(409);
        assertThat(wrongUid.body()).contains("\"reason\":\"Conflict\"").contains(
                "Precondition failed: UID in precondition: not-" + uid + ", UID in object meta: " + uid);
        HttpResponse<String> staleVersion = delete("{\"preconditions\":{\"uid\":\"" + uid
                + "\",\"resourceVersion\":\"0\"}}");
        assertThat(staleVersion.statusCode()).isEqualTo(409);
        assertThat(staleVersion.body()).contains("Precondition failed: ResourceVersion in precondition: 0, "
                + "ResourceVersion in object meta: " + version);
        assertThat(mock.getClient().secrets().inNamespace("alice").withName("db").get()).isNotNull();

        HttpResponse<String> matching = delete("{\"preconditions\":{\"uid\":\"" + uid + "\",\"resourceVersion\":\""
                + version + "\"}}");
        assertThat(matching.statusCode()).isEqualTo(200);
        assertThat(mock.getClient().secrets().inNamespace("alice").withName("db").get()).isNull();
    }

    private HttpResponse<String> delete(String options) throws Exception {
        return raw.send(HttpRequest.newBuilder(proxy.uri().resolve("/api/v1/namespaces/alice/secrets/db"))
                .method("DELETE", HttpRequest.BodyPublishers.ofString(options))
                .header("Content-Type", "application/json").build(), HttpResponse.BodyHandlers.ofString());
    }

    private static Secret secret(String name) {
        return new SecretBuilder().withNewMetadata().withName(name).withNamespace("alice").endMetadata()
                .withStringData(Map.of("k", "v")).build();
    }
}
