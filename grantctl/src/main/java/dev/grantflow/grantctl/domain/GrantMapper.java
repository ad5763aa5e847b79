package dev.grantflow.grantctl.domain;

import dev.grantflow.model.grant.Grant;
import dev.grantflow.model.grant.GrantKey;
import dev.grantflow.model.grant.GrantMetadata;
import dev.grantflow.model.grant.GrantPodDefault;
import dev.grantflow.model.grant.GrantRevocation;
import dev.grantflow.model.grant.GrantSecret;
import dev.grantflow.model.grant.GrantSpec;
import dev.grantflow.model.grant.SecretItem;
import dev.grantflow.model.grant.SecretType;
import java.time.Instant;
import java.util.List;

/** Builds the records grantctl posts (docs/design.md "Grant (v1)", model's GrantRevocation). Pure. */
public final class GrantMapper {

    /** A Docker config is projected as {@code config.json} under the mount path ({@code ~/.docker/config.json}). */
    public static final List<SecretItem> DOCKER_CONFIG_ITEMS = List.of(
            new SecretItem(SecretType.DOCKER_CONFIG_JSON_KEY, "config.json"));

    private GrantMapper() {
    }

    public static Grant grant(GrantRequest request) {
        GrantKey key = request.key();
        GrantMetadata metadata = GrantMetadata.forKey(key, request.tenantSelector(), request.generation(),
                request.issuedAt(), request.issuer());
        GrantSecret secret = new GrantSecret(key.name(), request.secretType(), request.source());
        GrantPodDefault podDefault = new GrantPodDefault(key.name(),
                request.desc() == null ? key.name() : request.desc(),
                request.selectorLabel() == null ? key.name() : request.selectorLabel(),
                request.mountPath(), request.items(), request.env());
        return Grant.of(metadata, new GrantSpec(secret, podDefault, request.expiresAt()));
    }

    /** A revocation of {@code key}: a grant to one tenant, or a selector grant (named by its key alone: empty selector). */
    public static GrantRevocation revocation(GrantKey key, long generation, Instant issuedAt, String issuer) {
        return GrantRevocation.of(GrantMetadata.forKey(key, null, generation, issuedAt, issuer));
    }
}
