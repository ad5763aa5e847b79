package dev.grantflow.trust;

import java.util.Objects;

/**
 * What a sealed value is for: one secret key of one grant of one tenant. Written into the JWE's protected header
 * (which AES-GCM authenticates), so a ciphertext copied into another tenant's or grant's record, or under another
 * secret key, is refused instead of decrypted there.
 */
public record SealBinding(String tenant, String grant, String secretKey) {

    /** Protected header parameter names; collision-resistant (RFC 7516 section 4.3). */
    public static final String TENANT_HEADER = "grantflow.dev/tenant";
    public static final String GRANT_HEADER = "grantflow.dev/grant";
    public static final String KEY_HEADER = "grantflow.dev/key";

    public SealBinding {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(grant, "grant");
        Objects.requireNonNull(secretKey, "secretKey");
    }

    @Override
    public String toString() {
        return tenant + "/" + grant + " key " + secretKey;
    }
}
