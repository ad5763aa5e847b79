package dev.grantflow.grant.config;

import dev.grantflow.grant.domain.AuditMapper;
import dev.grantflow.grant.domain.ContentHash;
import dev.grantflow.grant.domain.GrantRecordMapper;
import dev.grantflow.grant.domain.SealedValues;
import dev.grantflow.grant.domain.SignaturePolicy;
import dev.grantflow.grant.domain.VerificationReceipts;
import dev.grantflow.trust.KeySets;
import dev.grantflow.trust.KeyedDigest;
import dev.grantflow.trust.Sealing;
import dev.grantflow.trust.Signatures;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;
import org.jose4j.jwk.PublicJsonWebKey;

/**
 * The trust objects, built from {@link TrustConfig} at start. A key file that cannot be read, or signatures required
 * without administrator keys, stops the start with a message saying which setting to fix.
 */
public class TrustBeans {

    private static final Logger LOG = Logger.getLogger(TrustBeans.class);

    @Produces
    @Singleton
    Signatures signatures(TrustConfig config) {
        boolean required = config.signatures() == TrustConfig.SignatureMode.REQUIRED;
        List<Path> files = config.adminKeys().orElse(List.of());
        if (required && files.isEmpty()) {
            throw new IllegalStateException("grantflow.trust.signatures=required needs the administrators' public keys: "
                    + "set grantflow.trust.admin-keys to one or more JWKS files");
        }
        Map<String, PublicJsonWebKey> keys = KeySets.read(files);
        LOG.infof("Grant signatures %s; trusted administrator keys %s", required ? "required" : "optional (not for "
                + "production)", keys.keySet());
        return new Signatures(keys.values());
    }

    @Produces
    @Singleton
    VerificationReceipts verificationReceipts(KeyedDigest digest, Signatures signatures) {
        return new VerificationReceipts(digest, signatures.fingerprint());
    }

    @Produces
    @Singleton
    SignaturePolicy signaturePolicy(TrustConfig config, Signatures signatures, VerificationReceipts receipts) {
        return new SignaturePolicy(config.signatures() == TrustConfig.SignatureMode.REQUIRED, signatures,
                config.verificationReceipts() ? receipts : null);
    }

    @Produces
    @Singleton
    GrantRecordMapper grantRecordMapper(SignaturePolicy signatures) {
        return new GrantRecordMapper(signatures);
    }

    @Produces
    @Singleton
    SealedValues sealedValues(TrustConfig config) {
        List<Path> files = config.sealingKeys().orElse(List.of());
        if (files.isEmpty()) {
            LOG.warn("No sealing keys (grantflow.trust.sealing-keys): grants with sealedData are rejected");
            return new SealedValues(null);
        }
        Sealing sealing = new Sealing(KeySets.read(files));
        LOG.infof("Sealing keys %s", sealing.keyIds());
        return new SealedValues(sealing);
    }

    /** The public half of the sealing keys as a JWKS document (served read-only), or an empty set. */
    @Produces
    @Singleton
    SealingKeySet sealingKeySet(TrustConfig config) {
        List<Path> files = config.sealingKeys().orElse(List.of());
        return new SealingKeySet(KeySets.publicJson(List.copyOf(KeySets.read(files).values())));
    }

    @Produces
    @Singleton
    KeyedDigest keyedDigest(TrustConfig config) {
        if (config.digestKeyFile().isEmpty()) {
            LOG.warn("No digest key (grantflow.trust.digest-key-file): using a random key for this process; every "
                    + "copy is rewritten once after a restart or a takeover, and replicas disagree on content hashes");
            byte[] key = new byte[32];
            new SecureRandom().nextBytes(key);
            return new KeyedDigest(key);
        }
        Path file = config.digestKeyFile().get();
        try {
            return new KeyedDigest(Base64.getMimeDecoder().decode(Files.readString(file, StandardCharsets.US_ASCII)
                    .trim()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read grantflow.trust.digest-key-file " + file, e);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("grantflow.trust.digest-key-file " + file + " must hold base64 text of at "
                    + "least 32 random bytes (grantctl keys create --digest): " + e.getMessage(), e);
        }
    }

    @Produces
    @Singleton
    AuditMapper auditMapper(KeyedDigest digest) {
        return new AuditMapper(digest);
    }

    @Produces
    @Singleton
    ContentHash contentHash(KeyedDigest digest) {
        return new ContentHash(digest);
    }

    /** The public sealing keys as served at {@code GET /sealing-keys}. */
    public record SealingKeySet(String json) {
    }
}
