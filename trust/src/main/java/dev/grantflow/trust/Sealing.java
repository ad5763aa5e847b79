package dev.grantflow.trust;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jwe.ContentEncryptionAlgorithmIdentifiers;
import org.jose4j.jwe.JsonWebEncryption;
import org.jose4j.jwe.KeyManagementAlgorithmIdentifiers;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.lang.JoseException;

/**
 * Sealed values: one secret value as a JWE compact serialization, {@code alg} RSA-OAEP-256, {@code enc} A256GCM,
 * encrypted to a sealing key named by {@code kid}, with its {@link SealBinding} in the protected header.
 *
 * <p>{@link #seal} is what administrators (grantctl) do with the public key set; an instance built from the private
 * keys {@link #open}s. Several sealing keys may be held at once, so a new key can be introduced while values sealed
 * to the old one still open.
 */
public final class Sealing {

    private static final AlgorithmConstraints KEY_ALGORITHMS = new AlgorithmConstraints(
            AlgorithmConstraints.ConstraintType.PERMIT, KeyManagementAlgorithmIdentifiers.RSA_OAEP_256);
    private static final AlgorithmConstraints CONTENT_ALGORITHMS = new AlgorithmConstraints(
            AlgorithmConstraints.ConstraintType.PERMIT, ContentEncryptionAlgorithmIdentifiers.AES_256_GCM);

    /** What opening a sealed value gave. */
    public sealed interface Opened {
    }

    /** The plain value: keep it in memory only. */
    public record Plain(byte[] value) implements Opened {
        @Override
        public String toString() {
            return "Plain[" + value.length + " bytes]";
        }
    }

    /** Refused; {@code message} names the binding and key ids, never a value. */
    public record Refused(TrustProblem problem, String message) implements Opened {
    }

    private final Map<String, PublicJsonWebKey> privateKeys;

    /** An opener holding the private sealing keys, by kid. */
    public Sealing(Map<String, PublicJsonWebKey> privateKeys) {
        this.privateKeys = Map.copyOf(privateKeys);
        this.privateKeys.forEach((kid, key) -> {
            if (key.getPrivateKey() == null) {
                throw new IllegalArgumentException("sealing key '" + kid + "' has no private part");
            }
        });
    }

    /** The key ids this instance can open. */
    public List<String> keyIds() {
        return privateKeys.keySet().stream().sorted().toList();
    }

    /** Seals {@code value} for {@code binding} to the public sealing key {@code key}. */
    public static String seal(PublicJsonWebKey key, SealBinding binding, byte[] value) {
        Objects.requireNonNull(key.getKeyId(), "a sealing key needs a kid");
        JsonWebEncryption jwe = new JsonWebEncryption();
        jwe.setAlgorithmHeaderValue(KeyManagementAlgorithmIdentifiers.RSA_OAEP_256);
        jwe.setEncryptionMethodHeaderParameter(ContentEncryptionAlgorithmIdentifiers.AES_256_GCM);
        jwe.setKeyIdHeaderValue(key.getKeyId());
        jwe.setHeader(SealBinding.TENANT_HEADER, binding.tenant());
        jwe.setHeader(SealBinding.GRANT_HEADER, binding.grant());
        jwe.setHeader(SealBinding.KEY_HEADER, binding.secretKey());
        jwe.setKey(key.getPublicKey());
        jwe.setPlaintext(value);
        try {
            return jwe.getCompactSerialization();
        } catch (JoseException e) {
            throw new IllegalStateException("cannot seal " + binding + " to key " + key.getKeyId() + ": "
                    + e.getMessage(), e);
        }
    }

    /** Seals each value of {@code values} (secret key -> value) for its key of {@code tenant}/{@code grant}. */
    public static Map<String, String> sealAll(PublicJsonWebKey key, String tenant, String grant,
            Map<String, byte[]> values) {
        Map<String, String> sealed = new LinkedHashMap<>();
        values.forEach((secretKey, value) -> sealed.put(secretKey, seal(key, new SealBinding(tenant, grant, secretKey),
                value)));
        return sealed;
    }

    /** Opens {@code jwe}, which must be bound to {@code expected} and sealed to a key this instance holds. */
    public Opened open(SealBinding expected, String jwe) {
        JsonWebEncryption encryption = new JsonWebEncryption();
        encryption.setAlgorithmConstraints(KEY_ALGORITHMS);
        encryption.setContentEncryptionAlgorithmConstraints(CONTENT_ALGORITHMS);
        try {
            encryption.setCompactSerialization(jwe);
        } catch (JoseException | RuntimeException e) {
            return new Refused(TrustProblem.SEAL_MALFORMED, "sealed value of key '" + expected.secretKey()
                    + "' is not a JWE compact serialization");
        }
        if (!KeyManagementAlgorithmIdentifiers.RSA_OAEP_256.equals(encryption.getAlgorithmHeaderValue())
                || !ContentEncryptionAlgorithmIdentifiers.AES_256_GCM.equals(
                        encryption.getEncryptionMethodHeaderParameter())) {
            return new Refused(TrustProblem.SEAL_MALFORMED, "sealed value of key '" + expected.secretKey()
                    + "' must use alg RSA-OAEP-256 and enc A256GCM");
        }
        SealBinding bound = binding(encryption);
        if (bound == null) {
            return new Refused(TrustProblem.SEAL_MALFORMED, "sealed value of key '" + expected.secretKey()
                    + "' has no tenant, grant and key in its protected header (seal it with grantctl)");
        }
        if (!bound.equals(expected)) {
            return new Refused(TrustProblem.SEAL_BINDING_MISMATCH, "sealed value of key '" + expected.secretKey()
                    + "' is bound to " + bound + ", not to " + expected);
        }
        String kid = encryption.getKeyIdHeaderValue();
        PublicJsonWebKey key = kid == null ? null : privateKeys.get(kid);
        if (key == null) {
            return new Refused(TrustProblem.SEAL_KEY_UNKNOWN, "sealed value of key '" + expected.secretKey()
                    + "' is sealed to key id '" + kid + "', which this service does not hold (it holds "
                    + keyIds() + ")");
        }
        encryption.setKey(key.getPrivateKey());
        try {
            return new Plain(encryption.getPlaintextBytes());
        } catch (JoseException | RuntimeException e) {
            return new Refused(TrustProblem.SEAL_UNREADABLE, "sealed value of key '" + expected.secretKey()
                    + "' does not decrypt with key '" + kid + "' (tampered or truncated)");
        }
    }

    private static SealBinding binding(JsonWebEncryption jwe) {
        String tenant = jwe.getHeader(SealBinding.TENANT_HEADER);
        String grant = jwe.getHeader(SealBinding.GRANT_HEADER);
        String secretKey = jwe.getHeader(SealBinding.KEY_HEADER);
        return tenant == null || grant == null || secretKey == null ? null : new SealBinding(tenant, grant, secretKey);
    }
}
