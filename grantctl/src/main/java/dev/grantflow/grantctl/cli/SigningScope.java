package dev.grantflow.grantctl.cli;

import dev.grantflow.grantctl.domain.GrantctlFailure;
import dev.grantflow.model.grant.GrantKey;
import dev.grantflow.trust.KeyPairs;
import java.util.List;
import org.jose4j.jwk.PublicJsonWebKey;

/**
 * Refuses, before posting, a tenant the signing key is not scoped to (grant-service would answer SignerOutOfScope).
 * A selector grant's tenant is {@code *}: a scoped key signs one only if its scope lists {@code *}.
 */
final class SigningScope {

    private SigningScope() {
    }

    static void check(PublicJsonWebKey key, String tenant) {
        Object scope = key.getOtherParameterValue(KeyPairs.TENANTS_PARAMETER, Object.class);
        if (scope instanceof List<?> tenants && !tenants.isEmpty() && !tenants.contains(tenant)) {
            if (GrantKey.ANY_TENANT.equals(tenant)) {
                throw GrantctlFailure.usage("signing key '" + key.getKeyId() + "' may only grant to " + tenants
                        + ", and a selector grant needs a key whose tenants include '*' (grant-service would reject "
                        + "it as SignerOutOfScope); use another --signing-key, e.g. one made with keys create "
                        + "--signing --tenants '*'");
            }
            throw GrantctlFailure.usage("signing key '" + key.getKeyId() + "' may only grant to " + tenants
                    + ", not to tenant '" + tenant + "' (grant-service would reject it as SignerOutOfScope); use "
                    + "another --signing-key");
        }
    }
}
