package dev.grantflow.admission.tls;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.PooledByteBufAllocator;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The HTTPS server, with the production TLS settings of {@link CertificateRotationTest}, takes its connections' buffers
 * from Netty's pool, heap buffers included ({@code PooledTlsBuffers}); without it Vert.x gives connections on the
 * JDK's TLS engine an allocator that makes a new heap buffer for every TLS record written.
 */
@QuarkusTest
@WithKubernetesTestServer(crud = true)
@TestProfile(CertificateRotationTest.Tls.class)
class PooledTlsBuffersTest {

    @TestHTTPResource(value = "/", tls = true)
    URL https;

    @Test
    void httpsConnectionsUseThePooledAllocator() throws Exception {
        assertThat(https.getProtocol()).isEqualTo("https");
        HttpClient client = HttpClient.newBuilder().sslContext(CertificateRotationTest.trusting(
                CertificateRotationTest.authority.ca().certificate())).version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create("https://localhost:" + https.getPort()
                + ConnectionAllocatorRoute.PATH)).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo(PooledByteBufAllocator.class.getName());
    }
}
