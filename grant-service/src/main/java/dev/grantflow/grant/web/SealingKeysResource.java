package dev.grantflow.grant.web;

import dev.grantflow.grant.config.TrustBeans;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;

/**
 * {@code GET /sealing-keys}: the public halves of the sealing keys this service holds, as a JWKS document
 * (RFC 7517), for administrators to seal values to ({@code grantctl grant --sealing-jwks-url}). Read-only; the first
 * key of the set is the current one. Never a private part.
 */
@Path("/sealing-keys")
public class SealingKeysResource {

    public static final String JWK_SET = "application/jwk-set+json";

    @Inject
    TrustBeans.SealingKeySet keys;

    @GET
    @Produces(JWK_SET)
    public String get() {
        return keys.json();
    }
}
