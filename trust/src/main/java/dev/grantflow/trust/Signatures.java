package dev.grantflow.trust;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jwk.EllipticCurveJsonWebKey;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.jwk.RsaJsonWebKey;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.lang.JoseException;

/**
 * Detached signatures over a record's exact value bytes (RFC 7515 Appendix F): the compact serialization with an
 * empty payload part, {@code <protected header>..<signature>}, carried in the {@link #HEADER} record header. The
 * header names the signing key ({@code kid}); the trusted keys are administrators' public keys, each optionally
 * limited to some tenants ({@link KeyPairs#TENANTS_PARAMETER}).
 */
public final class Signatures {

    /** The Kafka record header with the detached JWS. */
    public static final String HEADER = "grantflow-signature";

    private static final AlgorithmConstraints EC_ALGORITHMS = new AlgorithmConstraints(
            AlgorithmConstraints.ConstraintType.PERMIT, AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256,
            AlgorithmIdentifiers.ECDSA_USING_P384_CURVE_AND_SHA384,
            AlgorithmIdentifiers.ECDSA_USING_P521_CURVE_AND_SHA512);
    private static final AlgorithmConstraints RSA_ALGORITHMS = new AlgorithmConstraints(
            AlgorithmConstraints.ConstraintType.PERMIT, AlgorithmIdentifiers.RSA_USING_SHA256,
            AlgorithmIdentifiers.RSA_PSS_USING_SHA256, AlgorithmIdentifiers.RSA_USING_SHA384,
            AlgorithmIdentifiers.RSA_PSS_USING_SHA384);

    /** The outcome of checking a record's signature. */
    public sealed interface Verdict {
    }

    /** Signed by the trusted key {@code kid}. */
    public record Verified(String kid) implements Verdict {
    }

    /** Not acceptable; {@code kid} is the key the signature names, when it could be read. */
    public record Refused(TrustProblem problem, String kid, String message) implements Verdict {
    }

    /** A trusted administrator key and the tenants it may grant to (empty: all). */
    private record Trusted(PublicJsonWebKey key, Set<String> tenants) {
        boolean covers(String tenant) {
            return tenants.isEmpty() || tenants.contains(tenant);
        }
    }

    private final Map<String, Trusted> trusted;
    private final String fingerprint;

    /** A verifier trusting {@code keys} (public halves are enough), by kid. */
    public Signatures(Collection<? extends PublicJsonWebKey> keys) {
        java.util.Map<String, Trusted> byKid = new java.util.LinkedHashMap<>();
        for (PublicJsonWebKey key : keys) {
            byKid.put(key.getKeyId(), new Trusted(key, tenants(key)));
        }
        this.trusted = Map.copyOf(byKid);
        this.fingerprint = fingerprint(this.trusted);
    }

    /**
     * SHA-256 (hex) of the trusted keys: each kid, public key and tenant scope, in kid order. Equal for two verifiers
     * that decide every record alike; any key added, removed, replaced or re-scoped changes it.
     */
    public String fingerprint() {
        return fingerprint;
    }

    private static String fingerprint(Map<String, Trusted> trusted) {
        StringBuilder text = new StringBuilder();
        trusted.keySet().stream().sorted().forEach(kid -> {
            Trusted key = trusted.get(kid);
            text.append(kid).append('\n')
                    .append(java.util.Base64.getEncoder().encodeToString(key.key().getPublicKey().getEncoded()))
                    .append('\n').append(key.tenants().stream().sorted().toList()).append('\n');
        });
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(text.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JVM", e);
        }
    }

    /** The trusted key ids. */
    public List<String> keyIds() {
        return trusted.keySet().stream().sorted().toList();
    }

    /** Signs {@code payload} with {@code key} (a private key with a kid): the detached compact serialization. */
    public static String sign(PublicJsonWebKey key, byte[] payload) {
        JsonWebSignature jws = new JsonWebSignature();
        jws.setAlgorithmHeaderValue(algorithmFor(key));
        jws.setKeyIdHeaderValue(key.getKeyId());
        jws.setKey(key.getPrivateKey());
        jws.setPayloadBytes(payload);
        try {
            return jws.getDetachedContentCompactSerialization();
        } catch (JoseException e) {
            throw new IllegalStateException("cannot sign with key " + key.getKeyId() + ": " + e.getMessage(), e);
        }
    }

    /**
     * Checks {@code detached} (the header's value, or null) over {@code payload} for a record of {@code tenant}. The
     * signature must name a trusted key, use an algorithm fitting that key, verify, and the key must cover the tenant.
     */
    public Verdict verify(byte[] payload, String detached, String tenant) {
        if (detached == null || detached.isBlank()) {
            return new Refused(TrustProblem.SIGNATURE_MISSING, null, "the record has no " + HEADER + " header");
        }
        String[] parts = detached.split("\\.", -1);
        if (parts.length != 3 || !parts[1].isEmpty()) {
            return new Refused(TrustProblem.SIGNATURE_MALFORMED, null, "the " + HEADER
                    + " header is not a detached JWS compact serialization (header..signature)");
        }
        JsonWebSignature jws = new JsonWebSignature();
        try {
            jws.setCompactSerialization(detached);
        } catch (JoseException | RuntimeException e) {
            return new Refused(TrustProblem.SIGNATURE_MALFORMED, null, "the " + HEADER
                    + " header is not a detached JWS compact serialization (header..signature)");
        }
        String kid = jws.getKeyIdHeaderValue();
        Trusted signer = kid == null ? null : trusted.get(kid);
        if (signer == null) {
            return new Refused(TrustProblem.SIGNER_UNKNOWN, kid, kid == null ? "the signature names no key (kid)"
                    : "the signature's key '" + kid + "' is not a trusted administrator key");
        }
        Optional<AlgorithmConstraints> allowed = constraintsFor(signer.key());
        String algorithm = jws.getAlgorithmHeaderValue();
        if (allowed.isEmpty() || !permits(allowed.get(), algorithm)) {
            return new Refused(TrustProblem.ALGORITHM_NOT_ALLOWED, kid, "algorithm '" + algorithm
                    + "' is not allowed with key '" + kid + "'");
        }
        jws.setAlgorithmConstraints(allowed.get());
        jws.setKey(signer.key().getPublicKey());
        boolean valid;
        try {
            // Detached content (RFC 7515 Appendix F): the signing input is the header and the payload as base64url.
            jws.setEncodedPayload(java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(payload));
            valid = jws.verifySignature();
        } catch (JoseException | RuntimeException e) {
            valid = false;
        }
        if (!valid) {
            return new Refused(TrustProblem.SIGNATURE_INVALID, kid, "the signature by key '" + kid
                    + "' does not match the record's bytes");
        }
        if (!signer.covers(tenant)) {
            return new Refused(TrustProblem.SIGNER_OUT_OF_SCOPE, kid, "key '" + kid + "' may not grant to tenant '"
                    + tenant + "' (it may grant to " + signer.tenants().stream().sorted().toList() + ")");
        }
        return new Verified(kid);
    }

    private static boolean permits(AlgorithmConstraints constraints, String algorithm) {
        try {
            constraints.checkConstraint(algorithm);
            return algorithm != null;
        } catch (JoseException e) {
            return false;
        }
    }

    private static Optional<AlgorithmConstraints> constraintsFor(PublicJsonWebKey key) {
        if (key instanceof EllipticCurveJsonWebKey) {
            return Optional.of(EC_ALGORITHMS);
        }
        if (key instanceof RsaJsonWebKey) {
            return Optional.of(RSA_ALGORITHMS);
        }
        return Optional.empty();
    }

    private static String algorithmFor(PublicJsonWebKey key) {
        if (key.getAlgorithm() != null) {
            return key.getAlgorithm();
        }
        if (key instanceof EllipticCurveJsonWebKey) {
            return AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256;
        }
        if (key instanceof RsaJsonWebKey) {
            return AlgorithmIdentifiers.RSA_PSS_USING_SHA256;
        }
        throw new IllegalArgumentException("key " + key.getKeyId() + " of type " + key.getKeyType()
                + " cannot sign grants; use an EC P-256 key (grantctl keys create --signing)");
    }

    @SuppressWarnings("unchecked")
    private static Set<String> tenants(PublicJsonWebKey key) {
        Object value = key.getOtherParameterValue(KeyPairs.TENANTS_PARAMETER, Object.class);
        if (value == null) {
            return Set.of();
        }
        if (value instanceof List<?> list && list.stream().allMatch(String.class::isInstance)) {
            return Set.copyOf((List<String>) list);
        }
        throw new IllegalArgumentException("key '" + key.getKeyId() + "': " + KeyPairs.TENANTS_PARAMETER
                + " must be a list of tenant names");
    }
}
