package dev.grantflow.grantctl.cli;

import dev.grantflow.grantctl.domain.GrantctlFailure;
import dev.grantflow.trust.KeyPairs;
import java.util.List;
import org.jose4j.jwk.PublicJsonWebKey;

/** Refuses, before posting, a tenant the signing key is not scoped to (grant-service would answer SignerOutOfScope). */
final class SigningScope {

    private SigningScope() {
    }

    static void check(PublicJsonWebKey key, String tenant) {
        Object scope = key.getOtherParameterValue(KeyPairs.TENANTS_PARAMETER, Object.class);
        if (scope instanceof List<?> tenants && !tenants.isEmpty() && !tenants.contains(tenant)) {
            throw GrantctlFailure.usage("signing key '" + key.getKeyId() + "' may only grant to " + tenants
                    + ", not to tenant '" + tenant + "' (grant-service would reject it as SignerOutOfScope); use "
                    + "another --signing-key");
        }
    }
}
