package dev.grantflow.model.grant;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.Optional;

/**
 * The Secret a grant creates in the tenant namespace.
 *
 * @param name   Secret name (DNS-1123 subdomain)
 * @param type   Kubernetes Secret type, one of {@link SecretType}; kept as a string so that an unsupported type is a
 *               validation problem rather than a parse failure
 * @param source where the data comes from: exactly one of secretRef or sealedData
 */
@JsonPropertyOrder({"name", "type", "source"})
public record GrantSecret(String name, String type, SecretSource source) {

    /** The type, if it is one Grantflow supports. */
    public Optional<SecretType> secretType() {
        return SecretType.fromValue(type);
    }
}
