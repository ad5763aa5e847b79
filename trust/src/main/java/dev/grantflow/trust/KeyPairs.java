package dev.grantflow.trust;

import java.util.List;
import org.jose4j.jwk.EcJwkGenerator;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.jwk.RsaJsonWebKey;
import org.jose4j.jwk.RsaJwkGenerator;
import org.jose4j.jwk.Use;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jwe.KeyManagementAlgorithmIdentifiers;
import org.jose4j.keys.EllipticCurves;
import org.jose4j.lang.JoseException;

/** New key pairs as JWKs: an administrator's signing key (EC P-256, ES256) or a sealing key (RSA 3072, RSA-OAEP-256). */
public final class KeyPairs {

    /** Size of new sealing keys. */
    public static final int SEALING_KEY_BITS = 3072;
    /** JWK parameter holding the tenants a signing key may grant to (absent: every tenant). */
    public static final String TENANTS_PARAMETER = "grantflow.dev/tenants";

    private KeyPairs() {
    }

    /** A signing key pair; {@code tenants}, when not empty, limits the tenants it may grant to. */
    public static PublicJsonWebKey signing(String kid, List<String> tenants) {
        try {
            PublicJsonWebKey key = EcJwkGenerator.generateJwk(EllipticCurves.P256);
            key.setKeyId(kid);
            key.setUse(Use.SIGNATURE);
            key.setAlgorithm(AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256);
            if (tenants != null && !tenants.isEmpty()) {
                key.setOtherParameter(TENANTS_PARAMETER, List.copyOf(tenants));
            }
            return key;
        } catch (JoseException e) {
            throw new IllegalStateException("cannot generate an EC P-256 key: " + e.getMessage(), e);
        }
    }

    /** A sealing key pair: grant-service holds the private half, administrators seal to the public one. */
    public static PublicJsonWebKey sealing(String kid) {
        try {
            RsaJsonWebKey key = RsaJwkGenerator.generateJwk(SEALING_KEY_BITS);
            key.setKeyId(kid);
            key.setUse(Use.ENCRYPTION);
            key.setAlgorithm(KeyManagementAlgorithmIdentifiers.RSA_OAEP_256);
            return key;
        } catch (JoseException e) {
            throw new IllegalStateException("cannot generate an RSA key: " + e.getMessage(), e);
        }
    }
}
