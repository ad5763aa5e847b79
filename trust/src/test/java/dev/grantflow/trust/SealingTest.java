package dev.grantflow.trust;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.jose4j.jwk.PublicJsonWebKey;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class SealingTest {

    static final String CANARY = "canary-sealing-7f3a9c";
    static final SealBinding ALICE = new SealBinding("alice", "db", "password");

    static PublicJsonWebKey current;
    static PublicJsonWebKey previous;
    static Sealing opener;

    @BeforeAll
    static void keys() {
        current = KeyPairs.sealing("sealing-2026-12");
        previous = KeyPairs.sealing("sealing-2026-06");
        opener = new Sealing(Map.of(current.getKeyId(), current, previous.getKeyId(), previous));
    }

    static String seal(PublicJsonWebKey key, SealBinding binding) {
        PublicJsonWebKey publicOnly = KeySets.parse(KeySets.publicJson(List.of(key)), "test").get(0);
        return Sealing.seal(publicOnly, binding, CANARY.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void opensWhatWasSealedToThePublicKey() {
        String jwe = seal(current, ALICE);
        assertThat(jwe.split("\\.")).hasSize(5);
        assertThat(jwe).doesNotContain(CANARY);
        assertThat(opener.open(ALICE, jwe)).isInstanceOfSatisfying(Sealing.Plain.class,
                plain -> assertThat(new String(plain.value(), StandardCharsets.UTF_8)).isEqualTo(CANARY));
    }

    @Test
    void aRotatedOutKeyStillOpensWhileHeld() {
        assertThat(opener.open(ALICE, seal(previous, ALICE))).isInstanceOf(Sealing.Plain.class);
    }

    @Test
    void refusesCiphertextBoundToAnotherTenantGrantOrKey() {
        for (SealBinding other : List.of(new SealBinding("bob", "db", "password"),
                new SealBinding("alice", "other", "password"), new SealBinding("alice", "db", "user"))) {
            Sealing.Opened opened = opener.open(ALICE, seal(current, other));
            assertThat(opened).isInstanceOfSatisfying(Sealing.Refused.class, refused -> {
                assertThat(refused.problem()).isEqualTo(TrustProblem.SEAL_BINDING_MISMATCH);
                assertThat(refused.message()).contains("password").doesNotContain(CANARY);
            });
        }
    }

    @Test
    void refusesTamperedCiphertext() {
        String[] parts = seal(current, ALICE).split("\\.");
        byte[] ciphertext = Base64.getUrlDecoder().decode(parts[3]);
        ciphertext[0] ^= 1;
        parts[3] = Base64.getUrlEncoder().withoutPadding().encodeToString(ciphertext);
        assertThat(opener.open(ALICE, String.join(".", parts))).isInstanceOfSatisfying(Sealing.Refused.class,
                refused -> assertThat(refused.problem()).isEqualTo(TrustProblem.SEAL_UNREADABLE));
    }

    @Test
    void refusesAHeaderRewrittenToAnotherBinding() {
        // The protected header is the AES-GCM additional data: swapping it for another binding breaks decryption.
        String[] victim = seal(current, new SealBinding("bob", "db", "password")).split("\\.");
        String[] forged = seal(current, ALICE).split("\\.");
        victim[0] = forged[0];
        assertThat(opener.open(ALICE, String.join(".", victim))).isInstanceOfSatisfying(Sealing.Refused.class,
                refused -> assertThat(refused.problem()).isEqualTo(TrustProblem.SEAL_UNREADABLE));
    }

    @Test
    void refusesAnUnknownKeyAndGarbage() {
        PublicJsonWebKey stranger = KeyPairs.sealing("someone-else");
        assertThat(opener.open(ALICE, seal(stranger, ALICE))).isInstanceOfSatisfying(Sealing.Refused.class,
                refused -> {
                    assertThat(refused.problem()).isEqualTo(TrustProblem.SEAL_KEY_UNKNOWN);
                    assertThat(refused.message()).contains("someone-else");
                });
        assertThat(opener.open(ALICE, "not.a.jwe")).isInstanceOfSatisfying(Sealing.Refused.class,
                refused -> assertThat(refused.problem()).isEqualTo(TrustProblem.SEAL_MALFORMED));
        assertThat(opener.open(ALICE, "")).isInstanceOfSatisfying(Sealing.Refused.class,
                refused -> assertThat(refused.problem()).isEqualTo(TrustProblem.SEAL_MALFORMED));
    }

    @Test
    void anOpenerNeedsPrivateKeys() {
        PublicJsonWebKey publicOnly = KeySets.parse(KeySets.publicJson(List.of(current)), "test").get(0);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new Sealing(Map.of("k", publicOnly)))
                .hasMessageContaining("no private part");
    }
}
