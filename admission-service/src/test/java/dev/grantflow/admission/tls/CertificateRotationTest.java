package dev.grantflow.admission.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.grantflow.admission.domain.Fixtures;
import dev.grantflow.admission.web.ServingCertificateReloader;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import jakarta.inject.Inject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.jboss.logging.Logger;
import org.junit.jupiter.api.Test;

/**
 * HTTPS from cert-manager style PEM files, with the production TLS settings (named TLS configuration, plain HTTP
 * disabled), rotated under load. The files are a CA-signed certificate mounted as kubelet mounts a Secret
 * ({@link SelfSignedCertificate#writeAsKubelet}: both files switch in one rename), replaced twice while clients send
 * AdmissionReviews without pause: three open a new TLS connection per review (each a full handshake, no session
 * resumed, recording the certificate served), one keeps its connection alive. The clients trust the CA, as the API server does through the
 * webhook's {@code caBundle}. Every review must be answered with the right patch (zero failed requests), and each new
 * certificate must be served, without a restart. The figures are logged ({@code TLS rotation:}).
 */
@QuarkusTest
@WithKubernetesTestServer(crud = true)
@TestProfile(CertificateRotationTest.Tls.class)
class CertificateRotationTest {

    private static final Logger LOG = Logger.getLogger(CertificateRotationTest.class);
    static final Path DIR = Path.of("target", "tls-rotation-test", UUID.randomUUID().toString()).toAbsolutePath();
    static final int HANDSHAKING_CLIENTS = 3;
    /** Reviews each certificate must answer on fresh connections before the next step. */
    static final int REVIEWS_PER_CERTIFICATE = 60;
    static volatile SelfSignedCertificate.Authority authority;

    public static class Tls implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(Certificates.class));
        }

        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.http.insecure-requests", "disabled",
                    "quarkus.http.tls-configuration-name", ServingCertificateReloader.SERVING,
                    "grantflow.admission.tls.reload-period", "200ms",
                    "quarkus.http.test-ssl-port", "0");
        }
    }

    /** Makes the CA and writes the first certificate before the application starts. */
    public static class Certificates implements QuarkusTestResourceLifecycleManager {
        @Override
        public Map<String, String> start() {
            try {
                authority = SelfSignedCertificate.Authority.create("grantflow-webhook-ca");
                SelfSignedCertificate.writeAsKubelet(DIR, authority.issue("admission-first"));
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

    @Inject
    KubernetesClient client;

    @Inject
    ServingCertificateReloader reloader;

    final ConcurrentMap<String, AtomicInteger> servedBy = new ConcurrentHashMap<>();
    final AtomicLong answered = new AtomicLong();
    final AtomicLong keptAlive = new AtomicLong();
    final AtomicLong failed = new AtomicLong();
    final ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
    final AtomicBoolean running = new AtomicBoolean(true);

    @Test
    void certificatesRotatedUnderLoadAreServedWithoutAFailedRequest() throws Exception {
        assertThat(https.getProtocol()).isEqualTo("https");
        client.resource(Fixtures.podDefault(podDefault())).create();
        SSLContext trustingTheCa = trusting(authority.ca().certificate());
        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(100)).ignoreExceptions()
                .until(() -> review(trustingTheCa) != null);
        long installedBefore = reloader.installed();
        long readsBefore = reloader.reads();
        long checksBefore = reloader.checks();

        List<Thread> clients = new ArrayList<>();
        for (int i = 0; i < HANDSHAKING_CLIENTS; i++) {
            clients.add(load("handshaking-client-" + i, () -> {
                // A context of its own per review: no session to resume, a full handshake every time.
                String servedCertificate = review(trusting(authority.ca().certificate()));
                servedBy.computeIfAbsent(servedCertificate, k -> new AtomicInteger()).incrementAndGet();
            }));
        }
        HttpClient keepAlive = HttpClient.newBuilder().sslContext(trustingTheCa).version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        clients.add(load("keep-alive-client", () -> {
            HttpResponse<String> response = keepAlive.send(HttpRequest.newBuilder(URI.create("https://localhost:"
                    + https.getPort() + "/apply-poddefault")).timeout(Duration.ofSeconds(10))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(
                            reviewBody())).build(), HttpResponse.BodyHandlers.ofString());
            check(response.statusCode(), response.body());
            keptAlive.incrementAndGet();
        }));
        clients.forEach(Thread::start);
        try {
            awaitServed("CN=admission-first");
            SelfSignedCertificate.writeAsKubelet(DIR, authority.issue("admission-second"));
            awaitServed("CN=admission-second");
            SelfSignedCertificate.writeAsKubelet(DIR, authority.issue("admission-third"));
            awaitServed("CN=admission-third");
        } finally {
            running.set(false);
            for (Thread thread : clients) {
                thread.join(Duration.ofSeconds(30).toMillis());
            }
        }

        LOG.infof("TLS rotation: %d reviews answered (%d on one kept-alive connection, the others each on a new TLS "
                + "connection: %s), %d failed, certificates installed %d", answered.get(), keptAlive.get(), servedBy,
                failed.get(), reloader.installed() - installedBefore);
        assertThat(failures).as("failed requests").isEmpty();
        assertThat(failed.get()).isZero();
        assertThat(keptAlive.get()).isPositive();
        assertThat(reloader.installed() - installedBefore).isEqualTo(2);
        assertThat(review(trusting(authority.ca().certificate()))).isEqualTo("CN=admission-third");

        // Unchanged files are hashed, not read into a key store again: a read per rotation (and at most one first
        // read of the files, which may fall within the test), however many checks ran.
        await().atMost(Duration.ofSeconds(15)).until(() -> reloader.checks() - checksBefore >= 10);
        long reads = reloader.reads() - readsBefore;
        LOG.infof("TLS rotation: %d checks of the files, %d reads of them", reloader.checks() - checksBefore, reads);
        assertThat(reads).isBetween(2L, 3L);
    }

    private void awaitServed(String commonName) {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
                .until(() -> !failures.isEmpty() || servedBy.getOrDefault(commonName, new AtomicInteger()).get()
                        >= REVIEWS_PER_CERTIFICATE);
        assertThat(failures).as("failed requests").isEmpty();
    }

    interface Request {
        void send() throws Exception;
    }

    private Thread load(String name, Request request) {
        Thread thread = new Thread(() -> {
            while (running.get()) {
                try {
                    request.send();
                    answered.incrementAndGet();
                } catch (Exception | AssertionError e) {
                    failed.incrementAndGet();
                    if (failures.size() < 20) {
                        failures.add(name + ": " + e);
                    }
                }
            }
        }, name);
        thread.setDaemon(true);
        return thread;
    }

    /**
     * One review on a new TLS connection (hostname verified, the CA trusted), answered with the right patch; returns
     * the subject of the certificate the server presented.
     */
    private String review(SSLContext context) throws Exception {
        try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("localhost", https.getPort())) {
            socket.setSoTimeout(10_000);
            SSLParameters parameters = socket.getSSLParameters();
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
            socket.setSSLParameters(parameters);
            socket.startHandshake();
            String served = ((X509Certificate) socket.getSession().getPeerCertificates()[0])
                    .getSubjectX500Principal().getName();
            byte[] body = reviewBody().getBytes(StandardCharsets.UTF_8);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /apply-poddefault HTTP/1.1\r\nHost: localhost:" + https.getPort()
                    + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length
                    + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.write(body);
            out.flush();
            HttpAnswer answer = HttpAnswer.read(socket.getInputStream());
            check(answer.status(), answer.body());
            return served;
        }
    }

    private static void check(int status, String body) throws IOException {
        assertThat(status).as(body).isEqualTo(200);
        JsonNode response = Fixtures.JSON.readTree(body).get("response");
        assertThat(response.get("allowed").asBoolean()).isTrue();
        JsonNode patch = Fixtures.JSON.readTree(Base64.getDecoder().decode(response.get("patch").asText()));
        assertThat(patch.toString()).contains("ROTATION_CHECK").contains("patched");
    }

    private static ObjectNode podDefault() {
        ObjectNode json = Fixtures.JSON.createObjectNode().put("apiVersion", "kubeflow.org/v1alpha1")
                .put("kind", "PodDefault");
        json.putObject("metadata").put("name", "cfg").put("namespace", "rotation");
        ObjectNode spec = json.putObject("spec");
        spec.putObject("selector").putObject("matchLabels").put("cfg", "true");
        spec.put("desc", "cfg");
        spec.putArray("env").addObject().put("name", "ROTATION_CHECK").put("value", "patched");
        return json;
    }

    private static String reviewBody() {
        ObjectNode review = Fixtures.JSON.createObjectNode().put("apiVersion", "admission.k8s.io/v1")
                .put("kind", "AdmissionReview");
        ObjectNode request = review.putObject("request").put("uid", UUID.randomUUID().toString())
                .put("namespace", "rotation").put("operation", "CREATE");
        request.putObject("resource").put("group", "").put("version", "v1").put("resource", "pods");
        ObjectNode pod = request.putObject("object").put("apiVersion", "v1").put("kind", "Pod");
        pod.putObject("metadata").put("name", "nb").put("namespace", "rotation").putObject("labels").put("cfg", "true");
        ArrayNode containers = pod.putObject("spec").putArray("containers");
        containers.addObject().put("name", "main").put("image", "busybox");
        return review.toString();
    }

    static SSLContext trusting(X509Certificate ca) throws Exception {
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        trust.setCertificateEntry("ca", ca);
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, factory.getTrustManagers(), new SecureRandom());
        return context;
    }

    /** An HTTP/1.1 answer read to the end of the connection (Content-Length or chunked body). */
    record HttpAnswer(int status, String body) {

        static HttpAnswer read(InputStream in) throws IOException {
            byte[] all = in.readAllBytes();
            String text = new String(all, StandardCharsets.ISO_8859_1);
            int end = text.indexOf("\r\n\r\n");
            if (end < 0) {
                throw new IOException("incomplete answer: " + text.length() + " bytes");
            }
            String head = text.substring(0, end);
            int status = Integer.parseInt(head.split(" ")[1]);
            byte[] rest = java.util.Arrays.copyOfRange(all, end + 4, all.length);
            if (head.toLowerCase().contains("transfer-encoding: chunked")) {
                rest = dechunk(rest);
            }
            return new HttpAnswer(status, new String(rest, StandardCharsets.UTF_8));
        }

        private static byte[] dechunk(byte[] chunked) throws IOException {
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            int at = 0;
            while (true) {
                int line = indexOf(chunked, at);
                if (line < 0) {
                    throw new IOException("truncated chunked body");
                }
                int size = Integer.parseInt(new String(chunked, at, line - at, StandardCharsets.ISO_8859_1)
                        .split(";")[0].trim(), 16);
                if (size == 0) {
                    return body.toByteArray();
                }
                body.write(chunked, line + 2, size);
                at = line + 2 + size + 2;
            }
        }

        private static int indexOf(byte[] bytes, int from) {
            for (int i = from; i + 1 < bytes.length; i++) {
                if (bytes[i] == '\r' && bytes[i + 1] == '\n') {
                    return i;
                }
            }
            return -1;
        }
    }
}
