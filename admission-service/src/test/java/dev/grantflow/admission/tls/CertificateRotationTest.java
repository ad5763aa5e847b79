package dev.grantflow.admission.tls;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.Test;

/**
 * HTTPS from cert-manager style PEM files, with the production TLS settings (named TLS configuration, plain HTTP
 * disabled): the files are replaced while the service runs and the new certificate is served without a restart.
 */
@QuarkusTest
@TestProfile(CertificateRotationTest.Tls.class)
class CertificateRotationTest {

    static final Path DIR = Path.of("target", "tls-rotation-test").toAbsolutePath();

    public static class Tls implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(Certificates.class));
        }

        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.http.insecure-requests", "disabled",
                    "quarkus.http.tls-configuration-name", "webhook",
                    "quarkus.tls.webhook.reload-period", "1s",
                    "quarkus.http.test-ssl-port", "0",
                    "quarkus.kubernetes-client.api-server-url", "http://127.0.0.1:1");
        }
    }

    /** Writes the first certificate before the application starts. */
    public static class Certificates implements QuarkusTestResourceLifecycleManager {
        @Override
        public Map<String, String> start() {
            try {
                SelfSignedCertificate.write(DIR, "admission-first");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            return Map.of("quarkus.tls.webhook.key-store.pem.0.cert", DIR.resolve("tls.crt").toString(),
                    "quarkus.tls.webhook.key-store.pem.0.key", DIR.resolve("tls.key").toString());
        }

        @Override
        public void stop() {
        }
    }

    @TestHTTPResource(value = "/", tls = true)
    URL https;

    @Test
    void rotatedCertificateIsServedWithoutRestart() throws Exception {
        assertThat(https.getProtocol()).isEqualTo("https");
        assertThat(servedCommonName()).isEqualTo("CN=admission-first");
        given().relaxedHTTPSValidation().baseUri("https://localhost:" + https.getPort())
                .contentType("application/json").body("{}").post("/apply-poddefault").then().statusCode(400);

        SelfSignedCertificate.write(DIR, "admission-rotated");
        assertThat(Files.readString(DIR.resolve("tls.crt"))).contains("BEGIN CERTIFICATE");

        // The two files are not replaced atomically here (cert-manager's kubelet mount swaps them together), so a
        // handshake may fail while the server holds a new certificate with the old key: retry until it serves both.
        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
                .untilAsserted(() -> assertThat(servedCommonName()).isEqualTo("CN=admission-rotated"));
    }

    private String servedCommonName() throws Exception {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, new TrustManager[] {new TrustAll()}, new SecureRandom());
        try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("localhost", https.getPort())) {
            socket.startHandshake();
            return ((X509Certificate) socket.getSession().getPeerCertificates()[0]).getSubjectX500Principal().getName();
        }
    }

    private static final class TrustAll implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
