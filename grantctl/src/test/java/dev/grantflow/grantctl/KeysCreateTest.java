package dev.grantflow.grantctl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grantflow.trust.KeyPairs;
import dev.grantflow.trust.KeySets;
import dev.grantflow.trust.KeyedDigest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.List;
import org.jose4j.jwk.EllipticCurveJsonWebKey;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.jwk.RsaJsonWebKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeysCreateTest {

    @TempDir
    Path dir;

    private Grantctl grantctl() {
        return new Grantctl(dir);
    }

    @Test
    void signingKeyPairWithTenantScope() throws Exception {
        Path priv = dir.resolve("admin.jwks");
        Path pub = dir.resolve("admin-keys.jwks");
        Grantctl.Run run = grantctl().run("keys", "create", "--signing", "--kid", "admin-1", "--tenants", "alice,bob",
                "--private-out", priv.toString(), "--jwks-out", pub.toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("signing key 'admin-1'");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(priv))).isEqualTo("rw-------");
        PublicJsonWebKey privateKey = KeySets.read(List.of(priv)).get("admin-1");
        assertThat(privateKey).isInstanceOf(EllipticCurveJsonWebKey.class);
        assertThat(privateKey.getPrivateKey()).isNotNull();
        PublicJsonWebKey publicKey = KeySets.read(List.of(pub)).get("admin-1");
        assertThat(publicKey.getPrivateKey()).isNull();
        assertThat(Files.readString(pub)).doesNotContain("\"d\"");
        assertThat(publicKey.getOtherParameterValue(KeyPairs.TENANTS_PARAMETER, Object.class))
                .isEqualTo(List.of("alice", "bob"));
    }

    @Test
    void sealingKeyPairAndASecondKeyAddedFirstToTheSameJwks() throws Exception {
        Path pub = dir.resolve("sealing.jwks");
        Grantctl.Run first = grantctl().run("keys", "create", "--sealing", "--kid", "seal-1",
                "--private-out", dir.resolve("seal-1.jwks").toString(), "--jwks-out", pub.toString());
        Grantctl.Run second = grantctl().run("keys", "create", "--sealing", "--kid", "seal-2",
                "--private-out", dir.resolve("seal-2.jwks").toString(), "--jwks-out", pub.toString());

        assertThat(first.exitCode()).as(first.err()).isZero();
        assertThat(second.exitCode()).as(second.err()).isZero();
        List<PublicJsonWebKey> keys = KeySets.parse(Files.readString(pub), "test");
        assertThat(keys).extracting(PublicJsonWebKey::getKeyId).containsExactly("seal-2", "seal-1");
        assertThat(keys).allSatisfy(k -> {
            assertThat(k).isInstanceOf(RsaJsonWebKey.class);
            assertThat(k.getPrivateKey()).isNull();
        });
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("seal-2.jwks"))))
                .isEqualTo("rw-------");
        assertThat(KeySets.read(List.of(dir.resolve("seal-2.jwks"))).get("seal-2").getPrivateKey()).isNotNull();
    }

    @Test
    void aKidTheJwksAlreadyHasIsRefusedAndNothingIsWritten() throws Exception {
        Path pub = dir.resolve("sealing.jwks");
        grantctl().run("keys", "create", "--sealing", "--kid", "seal-1",
                "--private-out", dir.resolve("a.jwks").toString(), "--jwks-out", pub.toString());
        String before = Files.readString(pub);

        Grantctl.Run again = grantctl().run("keys", "create", "--sealing", "--kid", "seal-1",
                "--private-out", dir.resolve("b.jwks").toString(), "--jwks-out", pub.toString());

        assertThat(again.exitCode()).isEqualTo(1);
        assertThat(again.err()).contains("already has a key with kid 'seal-1'");
        assertThat(Files.readString(pub)).isEqualTo(before);
        assertThat(dir.resolve("b.jwks")).doesNotExist();
    }

    @Test
    void signingAndSealingKeysAreNotMixedInOneJwks() throws Exception {
        Path pub = dir.resolve("keys.jwks");
        grantctl().run("keys", "create", "--sealing", "--kid", "seal-1",
                "--private-out", dir.resolve("a.jwks").toString(), "--jwks-out", pub.toString());

        Grantctl.Run signing = grantctl().run("keys", "create", "--signing", "--kid", "admin-1",
                "--private-out", dir.resolve("b.jwks").toString(), "--jwks-out", pub.toString());

        assertThat(signing.exitCode()).isEqualTo(1);
        assertThat(signing.err()).contains("separate files");
    }

    @Test
    void digestKeyIs32RandomBytesOwnerOnly() throws Exception {
        Path out = dir.resolve("digest.key");
        Grantctl.Run run = grantctl().run("keys", "create", "--digest", "--out", out.toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        byte[] key = Base64.getDecoder().decode(Files.readString(out).trim());
        assertThat(key).hasSize(KeyedDigest.MIN_KEY_BYTES);
        new KeyedDigest(key);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(out))).isEqualTo("rw-------");
        assertThat(run.out()).doesNotContain(Files.readString(out).trim());
    }

    @Test
    void privateFilesAreNeverOverwrittenWithoutForce() throws Exception {
        Path out = dir.resolve("digest.key");
        grantctl().run("keys", "create", "--digest", "--out", out.toString());
        String first = Files.readString(out);

        Grantctl.Run refused = grantctl().run("keys", "create", "--digest", "--out", out.toString());
        assertThat(refused.exitCode()).isEqualTo(1);
        assertThat(refused.err()).contains("exists; pass --force");
        assertThat(Files.readString(out)).isEqualTo(first);

        Path priv = dir.resolve("admin.jwks");
        Files.writeString(priv, "keep me");
        Grantctl.Run signing = grantctl().run("keys", "create", "--signing", "--kid", "admin-1",
                "--private-out", priv.toString(), "--jwks-out", dir.resolve("pub.jwks").toString());
        assertThat(signing.exitCode()).isEqualTo(1);
        assertThat(Files.readString(priv)).isEqualTo("keep me");
        assertThat(dir.resolve("pub.jwks")).doesNotExist();

        Grantctl.Run forced = grantctl().run("keys", "create", "--digest", "--out", out.toString(), "--force");
        assertThat(forced.exitCode()).as(forced.err()).isZero();
        assertThat(Files.readString(out)).isNotEqualTo(first);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(out))).isEqualTo("rw-------");
    }

    @Test
    void badFlagsExit1WithWhatToFix() {
        Grantctl.Run none = grantctl().run("keys", "create", "--kid", "x");
        assertThat(none.exitCode()).isEqualTo(1);
        assertThat(none.err()).contains("--signing").contains("--help");

        Grantctl.Run both = grantctl().run("keys", "create", "--signing", "--sealing", "--kid", "x");
        assertThat(both.exitCode()).isEqualTo(1);

        Grantctl.Run noKid = grantctl().run("keys", "create", "--signing", "--private-out", "a", "--jwks-out", "b");
        assertThat(noKid.exitCode()).isEqualTo(1);
        assertThat(noKid.err()).contains("--kid is required");
    }
}
