package dev.grantflow.model.grant;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where a granted Secret's data comes from: exactly one of
 * <ul>
 *   <li>{@code secretRef}: copy a Secret from the administrators' source namespace and follow its rotation, or</li>
 *   <li>{@code sealedData}: secret key -> JWE compact serialization ({@code alg} RSA-OAEP-256, {@code enc} A256GCM)
 *       encrypted to the grant-service's public key. The values are ciphertext, but still treated as secret: they are
 *       never logged, echoed in messages or printed by {@link #toString()}.</li>
 * </ul>
 * Both or neither being set is a validation problem ({@link #kind()}), not a parse failure.
 *
 * @param secretRef  the source Secret, or {@code null}
 * @param sealedData key -> JWE, insertion-ordered and unmodifiable, or {@code null}
 */
@JsonPropertyOrder({"secretRef", "sealedData"})
public record SecretSource(SecretRef secretRef, Map<String, String> sealedData) {

    /** Which source a grant uses. */
    public enum Kind {
        SECRET_REF,
        SEALED_DATA,
        /** Neither is set: invalid. */
        NONE,
        /** Both are set: invalid. */
        BOTH
    }

    public SecretSource {
        // A copy that keeps order and tolerates null values, so that validation can report them.
        sealedData = sealedData == null ? null : Collections.unmodifiableMap(new LinkedHashMap<>(sealedData));
    }

    public static SecretSource ofSecretRef(String namespace, String name) {
        return new SecretSource(new SecretRef(namespace, name), null);
    }

    public static SecretSource ofSealedData(Map<String, String> sealedData) {
        return new SecretSource(null, sealedData);
    }

    public Kind kind() {
        if (secretRef != null && sealedData != null) {
            return Kind.BOTH;
        }
        if (secretRef != null) {
            return Kind.SECRET_REF;
        }
        return sealedData != null ? Kind.SEALED_DATA : Kind.NONE;
    }

    /** Shows the sealed data's keys only, never its values. */
    @Override
    public String toString() {
        return "SecretSource[secretRef=" + secretRef + ", sealedData="
                + (sealedData == null ? "null" : "keys" + sealedData.keySet()) + "]";
    }
}
