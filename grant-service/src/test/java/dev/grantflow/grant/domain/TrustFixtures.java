package dev.grantflow.grant.domain;

import dev.grantflow.trust.KeyPairs;
import dev.grantflow.trust.KeySets;
import dev.grantflow.trust.KeyedDigest;
import dev.grantflow.trust.Signatures;
import java.util.Arrays;
import java.util.List;
import org.jose4j.jwk.PublicJsonWebKey;

/** Keys and policies for pure tests: generated per test run, never committed. */
final class TrustFixtures {

    /** A content hash under a fixed test key. */
    static final ContentHash HASH = new ContentHash(new KeyedDigest(key(7)));

    static final PublicJsonWebKey ADMIN = KeyPairs.signing("admin-test", List.of());
    static final PublicJsonWebKey TEAM_A = KeyPairs.signing("team-a", List.of("alice"));

    /** Trusts the public halves of {@link #ADMIN} and {@link #TEAM_A}. */
    static final Signatures TRUSTED = new Signatures(KeySets.parse(KeySets.publicJson(List.of(ADMIN, TEAM_A)),
            "test"));

    static SignaturePolicy required() {
        return new SignaturePolicy(true, TRUSTED);
    }

    static SignaturePolicy optional() {
        return new SignaturePolicy(false, TRUSTED);
    }

    static byte[] key(int fill) {
        byte[] key = new byte[32];
        Arrays.fill(key, (byte) fill);
        return key;
    }

    private TrustFixtures() {
    }
}
