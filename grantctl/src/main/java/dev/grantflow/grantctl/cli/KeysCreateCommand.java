package dev.grantflow.grantctl.cli;

import dev.grantflow.grantctl.domain.ExitCode;
import dev.grantflow.grantctl.domain.GrantctlFailure;
import dev.grantflow.grantctl.keys.KeyFiles;
import dev.grantflow.trust.KeyPairs;
import dev.grantflow.trust.KeySets;
import dev.grantflow.trust.KeyedDigest;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Pattern;
import org.jose4j.jwk.PublicJsonWebKey;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code grantctl keys create --signing|--sealing|--digest}. */
@Command(name = "create", mixinStandardHelpOptions = true, exitCodeOnInvalidInput = 1, sortOptions = false,
        description = {
            "Creates a key. Private files are created owner-only (rw-------) and never replaced without --force.",
            "  --signing: an administrator's signing key pair (EC P-256, ES256); the private JWKS signs grants "
                    + "(--signing-key), the public JWKS goes to grant-service (grantflow.trust.admin-keys).",
            "  --sealing: a sealing key pair (RSA 3072); the private JWKS goes into grant-service's mounted Secret "
                    + "(grantflow.trust.sealing-keys), the public JWKS to administrators (--sealing-jwks).",
            "  --digest: 32 random bytes as base64 text, grant-service's digest key (grantflow.trust.digest-key-file).",
            "An existing --jwks-out file gets the new public key added FIRST (it becomes the current key); a kid it "
                    + "already has is refused."},
        footerHeading = "%nExamples:%n",
        footer = {
            "  grantctl keys create --signing --kid admin-2026 --private-out ~/.config/grantctl/admin-2026.jwks \\",
            "      --jwks-out admin-keys.jwks",
            "  grantctl keys create --signing --kid team-a --tenants alice,bob --private-out team-a.jwks --jwks-out admin-keys.jwks",
            "  grantctl keys create --sealing --kid seal-2026-01 --private-out sealing-private.jwks --jwks-out sealing.jwks",
            "  grantctl keys create --digest --out digest.key"})
public class KeysCreateCommand extends Subcommand {

    private static final Pattern KID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

    static class Kind {
        @Option(names = "--signing", required = true, description = "An administrator signing key pair.")
        boolean signing;
        @Option(names = "--sealing", required = true, description = "A grant-service sealing key pair.")
        boolean sealing;
        @Option(names = "--digest", required = true, description = "grant-service's digest key.")
        boolean digest;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Kind kind;

    @Option(names = "--kid", paramLabel = "KID", description = "Key id (letters, digits, '.', '_', '-').")
    String kid;

    @Option(names = "--tenants", paramLabel = "TENANT[,TENANT...]", split = ",",
            description = "Only with --signing: the tenants this key may grant to (default: every tenant).")
    List<String> tenants = new ArrayList<>();

    @Option(names = "--private-out", paramLabel = "FILE", description = "Where the private JWKS goes (owner-only).")
    Path privateOut;

    @Option(names = "--jwks-out", paramLabel = "FILE",
            description = "Public JWKS to create, or to add the new public key to.")
    Path jwksOut;

    @Option(names = "--out", paramLabel = "FILE", description = "Only with --digest: the key file (owner-only).")
    Path out;

    @Option(names = "--force", description = "Replace an existing private file (its key is lost).")
    boolean force;

    @Override
    protected ExitCode run() {
        if (kind.digest) {
            return digest();
        }
        if (out != null) {
            throw GrantctlFailure.usage("--out is for --digest; key pairs use --private-out and --jwks-out");
        }
        if (kid == null || !KID.matcher(kid).matches()) {
            throw GrantctlFailure.usage("--kid is required: a key id of letters, digits, '.', '_' and '-' "
                    + "(e.g. admin-2026)");
        }
        if (privateOut == null || jwksOut == null) {
            throw GrantctlFailure.usage("--private-out FILE and --jwks-out FILE are required");
        }
        if (privateOut.toAbsolutePath().normalize().equals(jwksOut.toAbsolutePath().normalize())) {
            throw GrantctlFailure.usage("--private-out and --jwks-out must be different files");
        }
        if (kind.sealing && !tenants.isEmpty()) {
            throw GrantctlFailure.usage("--tenants limits a signing key; sealing keys have no tenant scope");
        }
        KeyFiles.checkWritable(privateOut, force, "--private-out");
        PublicJsonWebKey key = kind.signing ? KeyPairs.signing(kid, tenants.stream().map(String::trim).toList())
                : KeyPairs.sealing(kid);
        String publicSet = KeyFiles.publicSetWith(jwksOut, key, "--jwks-out");
        KeyFiles.writePrivate(privateOut, KeySets.privateJson(List.of(key)) + "\n", force, "--private-out");
        KeyFiles.writePublic(jwksOut, publicSet + "\n", "--jwks-out");
        String what = kind.signing ? "signing key" : "sealing key";
        out().println("created " + what + " '" + kid + "'"
                + (tenants.isEmpty() ? "" : " for tenants " + tenants)
                + ": private JWKS " + privateOut + " (owner-only), public JWKS " + jwksOut);
        return ExitCode.OK;
    }

    private ExitCode digest() {
        if (out == null) {
            throw GrantctlFailure.usage("--digest needs --out FILE");
        }
        if (kid != null || privateOut != null || jwksOut != null || !tenants.isEmpty()) {
            throw GrantctlFailure.usage("--digest takes only --out FILE (and --force)");
        }
        KeyFiles.checkWritable(out, force, "--out");
        byte[] key = new byte[KeyedDigest.MIN_KEY_BYTES];
        new SecureRandom().nextBytes(key);
        KeyFiles.writePrivate(out, Base64.getEncoder().encodeToString(key) + "\n", force, "--out");
        java.util.Arrays.fill(key, (byte) 0);
        out().println("created digest key (" + KeyedDigest.MIN_KEY_BYTES + " random bytes, base64): " + out
                + " (owner-only)");
        return ExitCode.OK;
    }
}
