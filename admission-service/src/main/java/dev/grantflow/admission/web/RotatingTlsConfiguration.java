package dev.grantflow.admission.web;

import io.quarkus.tls.TlsConfiguration;
import io.vertx.core.net.KeyCertOptions;
import io.vertx.core.net.SSLOptions;
import io.vertx.core.net.TrustOptions;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.util.Optional;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;

/**
 * The TLS configuration the HTTPS server is built from: everything of the file-based configuration it wraps
 * (protocols, ALPN, handshake timeout, trust), except that the key and certificate come from a
 * {@link RotatingKeyManager}. Rotation then never reconfigures the server: Vert.x's {@code updateSSLOptions} swaps its
 * SSL context asynchronously, and a connection accepted meanwhile fails its handshake (seen in
 * {@code CertificateRotationTest}).
 */
final class RotatingTlsConfiguration implements TlsConfiguration {

    private final String name;
    private final TlsConfiguration files;
    private final KeyCertOptions keys;
    private final RotatingKeyManager manager;

    RotatingTlsConfiguration(String name, TlsConfiguration files, RotatingKeyManager manager) {
        this.name = name;
        this.files = files;
        this.manager = manager;
        this.keys = KeyCertOptions.wrap(manager);
    }

    @Override
    public String getName() {
        return name;
    }

    @Override
    public KeyStore getKeyStore() {
        return files.getKeyStore();
    }

    @Override
    public KeyCertOptions getKeyStoreOptions() {
        return keys;
    }

    @Override
    public KeyStore getTrustStore() {
        return files.getTrustStore();
    }

    @Override
    public TrustOptions getTrustStoreOptions() {
        return files.getTrustStoreOptions();
    }

    @Override
    public SSLOptions getSSLOptions() {
        SSLOptions options = new SSLOptions(files.getSSLOptions());
        options.setKeyCertOptions(keys);
        return options;
    }

    @Override
    public SSLContext createSSLContext() throws Exception {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(new KeyManager[] {manager}, null, new SecureRandom());
        return context;
    }

    @Override
    public boolean isTrustAll() {
        return files.isTrustAll();
    }

    @Override
    public Optional<String> getHostnameVerificationAlgorithm() {
        return files.getHostnameVerificationAlgorithm();
    }

    @Override
    public boolean usesSni() {
        return false;
    }

    /** Rotation is {@link ServingCertificateReloader}'s job; the server never needs to reload this configuration. */
    @Override
    public boolean reload() {
        return true;
    }
}
