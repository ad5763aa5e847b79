package dev.grantflow.admission.domain;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Objects;

/**
 * Whether certificate files read again should be served. cert-manager's Secret is mounted with both files swapped at
 * once (kubelet's {@code ..data} symlink), but a reload reads the certificate and then the key: a swap in between
 * yields a certificate with the other one's key, and serving that pair would fail every TLS handshake until the next
 * reload. So a new pair is installed only when its key matches its certificate (a signature made with the key
 * verifies with the certificate's public key); otherwise the certificate served so far stays.
 */
public final class ServingCertificatePolicy {

    /** What to do with the pair just read. */
    public sealed interface Decision {

        /** The certificate served already. */
        record Unchanged() implements Decision {
        }

        /** A new, consistent pair: serve it. */
        record Install(String fingerprint, String subject, Instant notAfter) implements Decision {
        }

        /** The key does not belong to the certificate (files caught half-replaced): keep serving, read again soon. */
        record Mismatched(String subject) implements Decision {
        }

        /** No key with a certificate chain was found: keep serving. */
        record NoKeyPair() implements Decision {
        }
    }

    private static final byte[] CHALLENGE = "grantflow serving certificate check".getBytes(StandardCharsets.UTF_8);

    private ServingCertificatePolicy() {
    }

    /**
     * @param served the SHA-256 fingerprint of the certificate served now (null before the first)
     * @param key the private key read, or null
     * @param chain its certificate chain (leaf first), or null
     */
    public static Decision decide(String served, PrivateKey key, X509Certificate[] chain) {
        if (key == null || chain == null || chain.length == 0) {
            return new Decision.NoKeyPair();
        }
        X509Certificate leaf = chain[0];
        String fingerprint = fingerprint(leaf);
        if (fingerprint.equals(served)) {
            return new Decision.Unchanged();
        }
        String subject = leaf.getSubjectX500Principal().getName();
        if (!belongTogether(key, leaf.getPublicKey())) {
            return new Decision.Mismatched(subject);
        }
        return new Decision.Install(fingerprint, subject, leaf.getNotAfter().toInstant());
    }

    /** SHA-256 of the DER encoding, lower-case hex. */
    public static String fingerprint(X509Certificate certificate) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded()));
        } catch (CertificateEncodingException | java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("cannot fingerprint " + certificate.getSubjectX500Principal(), e);
        }
    }

    /**
     * A signature made with {@code key} verifies with {@code publicKey}. Key types without a plain signature
     * algorithm here (e.g. RSASSA-PSS, which needs parameters) cannot be checked and count as belonging together, as
     * without this check.
     */
    static boolean belongTogether(PrivateKey key, PublicKey publicKey) {
        if (!Objects.equals(key.getAlgorithm(), publicKey.getAlgorithm())) {
            return false;
        }
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            case "Ed25519", "Ed448", "EdDSA" -> key.getAlgorithm();
            default -> null;
        };
        if (algorithm == null) {
            return true;
        }
        try {
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(CHALLENGE);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(publicKey);
            verifier.update(CHALLENGE);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }
}
