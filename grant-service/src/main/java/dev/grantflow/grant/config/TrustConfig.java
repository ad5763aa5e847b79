package dev.grantflow.grant.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Who may grant and revoke, and the keys that open sealed values (docs/adr/0011). The defaults are the production
 * setting: every grant and revocation must be signed by a trusted administrator key.
 */
@ConfigMapping(prefix = "grantflow.trust")
public interface TrustConfig {

    /** Whether grants records must be signed. */
    enum SignatureMode {
        /**
         * Every grant and revocation must carry a valid signature of a trusted key covering its tenant; bare
         * tombstones revoke nothing. The production setting.
         */
        REQUIRED,
        /**
         * Signatures are checked when present (a bad one is still rejected); unsigned grants and bare tombstones are
         * accepted. For development and tests only.
         */
        OPTIONAL
    }

    @WithDefault("required")
    SignatureMode signatures();

    /**
     * JWKS files with the trusted administrators' public signing keys (a key may carry
     * {@code "grantflow.dev/tenants": [...]} to limit the tenants it may grant to). Required when signatures are
     * required.
     */
    Optional<List<Path>> adminKeys();

    /**
     * JWKS files with the private sealing keys (a mounted Secret); several at once, by {@code kid}, so a new key can be
     * introduced while values sealed to the old one still open. Without them, sealed grants are rejected.
     */
    Optional<List<Path>> sealingKeys();

    /**
     * A file holding base64 text of at least 32 random bytes: the key of the content-hash annotations and audit
     * digests (HMAC-SHA256), so that a low-entropy value cannot be guessed from them. Every replica needs the same
     * key. Without it a random key is made at start, with a warning: copies are then rewritten once after every
     * restart or takeover.
     */
    Optional<Path> digestKeyFile();

    /**
     * Whether a signature verified once is taken as verified on later starts, by the receipt (an HMAC under the digest
     * key) kept with the key's status record (docs/adr/0012). Off: every start verifies every grants record again.
     * Receipts last only as long as the digest key: without {@link #digestKeyFile()} none survives a restart.
     */
    @WithDefault("true")
    boolean verificationReceipts();
}
