package dev.grantflow.admission.web;

import dev.grantflow.admission.config.AdmissionConfig;
import dev.grantflow.admission.domain.ServingCertificatePolicy;
import dev.grantflow.admission.domain.ServingCertificatePolicy.Decision;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.tls.TlsConfiguration;
import io.quarkus.tls.TlsConfigurationRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.net.PemKeyCertOptions;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.X509KeyManager;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Serves the certificate files of TLS configuration {@value #FILES} and rotates them without a restart and without a
 * failed handshake. On start it registers TLS configuration {@value #SERVING} (the one the HTTP server is configured
 * with, {@code quarkus.http.tls-configuration-name}): the files' settings with a {@link RotatingKeyManager} as the key
 * source. Every {@code grantflow.admission.tls.reload-period} it hashes the files' bytes and, when they differ from
 * the bytes of its last complete read, reads them again ({@code reload()} of {@value #FILES}: a new key store, about
 * 50 ms of CPU on a small machine, which an unchanged file does not cost) and hands a new pair to the key manager,
 * but only once the key read matches the certificate read
 * ({@link ServingCertificatePolicy}): a reload that caught the files half-replaced is not served, and is read again a
 * second later. The server itself is never reconfigured: Vert.x's {@code updateSSLOptions}, which the TLS registry's
 * own {@code reload-period} uses, swaps the SSL context asynchronously and fails connections accepted meanwhile.
 * Existing connections keep their session; new handshakes get the new certificate. Active only when both
 * configurations are in use (prod profile).
 */
@ApplicationScoped
public class ServingCertificateReloader {

    private static final Logger LOG = Logger.getLogger(ServingCertificateReloader.class);
    /** The TLS configuration of the certificate files ({@code quarkus.tls.webhook.key-store.pem.*}). */
    public static final String FILES = "webhook";
    /** The TLS configuration registered here, which the HTTP server uses. */
    public static final String SERVING = "webhook-serving";
    static final Duration RETRY_MISMATCH = Duration.ofSeconds(1);
    private static final List<String> KEY_TYPES = List.of("EC", "RSA", "Ed25519", "EdDSA", "Ed448", "RSASSA-PSS");

    @Inject
    TlsConfigurationRegistry registry;

    @Inject
    AdmissionConfig config;

    @Inject
    Vertx vertx;

    @ConfigProperty(name = "quarkus.http.tls-configuration-name")
    Optional<String> tlsConfigurationName;

    @ConfigProperty(name = "quarkus.tls." + FILES + ".key-store.pem.0.cert")
    Optional<String> certFile;

    @ConfigProperty(name = "quarkus.tls." + FILES + ".key-store.pem.0.key")
    Optional<String> keyFile;

    private final RotatingKeyManager keyManager = new RotatingKeyManager();
    private volatile String served;
    private volatile long installed;
    private volatile long reads;
    private volatile long checks;
    /** SHA-256 of the files' bytes, hashed just before the last read that found a consistent pair; null: none yet. */
    private byte[] readDigest;
    private ScheduledExecutorService scheduler;

    void onStart(@Observes StartupEvent event) {
        if (!tlsConfigurationName.map(SERVING::equals).orElse(false)) {
            return;
        }
        TlsConfiguration files = registry.get(FILES).orElseThrow(() -> new IllegalStateException(
                "quarkus.http.tls-configuration-name is " + SERVING + " but TLS configuration " + FILES
                        + " (the certificate files) is not configured"));
        KeyPair pair = keyPair(files).orElseThrow(() -> new IllegalStateException(
                "TLS configuration " + FILES + " holds no key with a certificate"));
        Decision first = ServingCertificatePolicy.decide(null, pair.key(), pair.chain());
        if (!(first instanceof Decision.Install install)) {
            throw new IllegalStateException("TLS configuration " + FILES + ": the key does not match the certificate "
                    + pair.chain()[0].getSubjectX500Principal().getName());
        }
        keyManager.serve(pair.key(), pair.chain());
        served = install.fingerprint();
        registry.register(SERVING, new RotatingTlsConfiguration(SERVING, files, keyManager));
        LOG.infof("Serving certificate %s (expires %s, sha256 %s)", install.subject(), install.notAfter(),
                install.fingerprint());
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "serving-certificate-reload");
            thread.setDaemon(true);
            return thread;
        });
        long period = config.tls().reloadPeriod().toMillis();
        scheduler.scheduleWithFixedDelay(this::reload, period, period, TimeUnit.MILLISECONDS);
    }

    void onStop(@Observes ShutdownEvent event) {
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
    }

    /** Certificates installed since the start (for tests and logs). */
    public long installed() {
        return installed;
    }

    /** Times the files were read into a key store again since the start (for tests): not when unchanged. */
    public long reads() {
        return reads;
    }

    /** Times the files were checked for a change since the start (for tests). */
    public long checks() {
        return checks;
    }

    private synchronized void reload() {
        String name = FILES;
        checks++;
        try {
            TlsConfiguration tls = registry.get(name).orElseThrow();
            // Hashed before the read: files replaced in between differ from this digest next time and are read then.
            byte[] digest = digest(tls).orElse(null);
            if (digest != null && Arrays.equals(digest, readDigest)) {
                return;
            }
            reads++;
            if (!tls.reload()) {
                LOG.warnf("TLS configuration %s: the certificate files could not be read again; still serving the "
                        + "previous certificate", name);
                return;
            }
            Optional<KeyPair> pair = keyPair(tls);
            Decision decision = ServingCertificatePolicy.decide(served, pair.map(KeyPair::key).orElse(null),
                    pair.map(KeyPair::chain).orElse(null));
            if (decision instanceof Decision.Install || decision instanceof Decision.Unchanged) {
                readDigest = digest;
            }
            if (decision instanceof Decision.Install install) {
                keyManager.serve(pair.get().key(), pair.get().chain());
                served = install.fingerprint();
                installed++;
                LOG.infof("Serving certificate %s (expires %s, sha256 %s)", install.subject(), install.notAfter(),
                        install.fingerprint());
            } else if (decision instanceof Decision.Mismatched mismatched) {
                LOG.warnf("TLS configuration %s: the key read does not match certificate %s (files being replaced?); "
                        + "still serving the previous certificate, reading again in %d s", name, mismatched.subject(),
                        RETRY_MISMATCH.toSeconds());
                scheduler.schedule(this::reload, RETRY_MISMATCH.toMillis(), TimeUnit.MILLISECONDS);
            } else if (decision instanceof Decision.NoKeyPair) {
                LOG.warnf("TLS configuration %s: no key with a certificate was read; still serving the previous "
                        + "certificate", name);
            }
        } catch (RuntimeException e) {
            LOG.warnf("TLS configuration %s: reload failed (%s); still serving the previous certificate", name,
                    e.toString());
        }
    }

    private record KeyPair(PrivateKey key, X509Certificate[] chain) {
    }

    /**
     * SHA-256 over the configuration's PEM files (each file's length, then its bytes); empty (every period then reads
     * the key store again) unless it is one PEM pair of files ({@code key-store.pem.0}, as configured here) or when a
     * file cannot be read.
     */
    private Optional<byte[]> digest(TlsConfiguration tls) {
        if (!(tls.getKeyStoreOptions() instanceof PemKeyCertOptions pem) || pem.getCertValues().size() != 1
                || certFile.isEmpty() || keyFile.isEmpty()) {
            return Optional.empty();
        }
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            for (String file : List.of(certFile.get(), keyFile.get())) {
                byte[] bytes = Files.readAllBytes(Path.of(file));
                sha256.update(ByteBuffer.allocate(Integer.BYTES).putInt(bytes.length).array());
                sha256.update(bytes);
                Arrays.fill(bytes, (byte) 0);
            }
            return Optional.of(sha256.digest());
        } catch (IOException | NoSuchAlgorithmException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** The key and chain the TLS configuration holds now, through the key managers the server is built from. */
    private Optional<KeyPair> keyPair(TlsConfiguration tls) {
        try {
            KeyManagerFactory factory = tls.getKeyStoreOptions().getKeyManagerFactory(vertx);
            for (KeyManager manager : factory.getKeyManagers()) {
                if (manager instanceof X509KeyManager keys) {
                    for (String type : KEY_TYPES) {
                        String[] aliases = keys.getServerAliases(type, null);
                        if (aliases == null) {
                            continue;
                        }
                        for (String alias : aliases) {
                            PrivateKey key = keys.getPrivateKey(alias);
                            X509Certificate[] chain = keys.getCertificateChain(alias);
                            if (key != null && chain != null && chain.length > 0) {
                                return Optional.of(new KeyPair(key, chain));
                            }
                        }
                    }
                }
            }
            return Optional.empty();
        } catch (Exception e) {
            LOG.warnf("TLS configuration %s: cannot read its key managers (%s)", tls.getName(), e.toString());
            return Optional.empty();
        }
    }
}
