package dev.grantflow.stack;

import dev.grantflow.trust.KeyPairs;
import dev.grantflow.trust.KeySets;
import dev.grantflow.trust.Signatures;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.jose4j.jwk.PublicJsonWebKey;

/**
 * The keys of a local stack, made fresh for each run under {@code <work dir>/keys} (owner-only files): an
 * administrator's signing key, grant-service's sealing key and its digest key. grant-service runs with them in the
 * production trust setting (signatures required); the scenario, the tests and the benchmark sign what they post.
 */
final class StackKeys {

    static final String ADMIN_KID = "local-admin";
    static final String SEALING_KID = "local-sealing-1";

    private final Path dir;
    private final PublicJsonWebKey admin;

    private StackKeys(Path dir, PublicJsonWebKey admin) {
        this.dir = dir;
        this.admin = admin;
    }

    static StackKeys generate(Path dir) {
        try {
            Files.createDirectories(dir);
            PublicJsonWebKey admin = KeyPairs.signing(ADMIN_KID, List.of());
            PublicJsonWebKey sealing = KeyPairs.sealing(SEALING_KID);
            write(dir.resolve("admin-signing-key.jwks.json"), KeySets.privateJson(List.of(admin)));
            write(dir.resolve("admin-keys.jwks.json"), KeySets.publicJson(List.of(admin)));
            write(dir.resolve("sealing-keys.jwks.json"), KeySets.privateJson(List.of(sealing)));
            write(dir.resolve("sealing-public.jwks.json"), KeySets.publicJson(List.of(sealing)));
            byte[] digest = new byte[32];
            new SecureRandom().nextBytes(digest);
            write(dir.resolve("digest.key"), Base64.getEncoder().encodeToString(digest));
            return new StackKeys(dir, admin);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the stack's keys under " + dir, e);
        }
    }

    /** grant-service's trust settings: signatures required, these keys. */
    Map<String, String> grantServiceEnvironment() {
        return Map.of("GRANTFLOW_TRUST_SIGNATURES", "required",
                "GRANTFLOW_TRUST_ADMIN_KEYS", dir.resolve("admin-keys.jwks.json").toString(),
                "GRANTFLOW_TRUST_SEALING_KEYS", dir.resolve("sealing-keys.jwks.json").toString(),
                "GRANTFLOW_TRUST_DIGEST_KEY_FILE", dir.resolve("digest.key").toString());
    }

    /** The administrator's private signing key (a JWKS file), as grantctl takes it. */
    Path adminSigningKey() {
        return dir.resolve("admin-signing-key.jwks.json");
    }

    /** The public sealing keys (a JWKS file), as grantctl takes them. */
    Path sealingPublicKeys() {
        return dir.resolve("sealing-public.jwks.json");
    }

    /** The administrators' public keys (a JWKS file), for {@code grantctl audit}. */
    Path adminPublicKeys() {
        return dir.resolve("admin-keys.jwks.json");
    }

    /** The {@code grantflow-signature} header value for a record value, signed by the administrator. */
    String sign(String value) {
        return Signatures.sign(admin, value.getBytes(StandardCharsets.UTF_8));
    }

    private static void write(Path file, String content) throws IOException {
        Files.deleteIfExists(file);
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(file, content, StandardCharsets.UTF_8);
    }
}
