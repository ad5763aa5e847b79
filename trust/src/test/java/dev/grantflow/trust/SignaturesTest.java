package dev.grantflow.trust;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.keys.HmacKey;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class SignaturesTest {

    static final byte[] RECORD = "{\"kind\":\"Grant\",\"metadata\":{\"tenant\":\"alice\"}}".getBytes(StandardCharsets.UTF_8);

    static PublicJsonWebKey admin;
    static PublicJsonWebKey teamLead;
    static Signatures verifier;

    @BeforeAll
    static void keys() {
        admin = KeyPairs.signing("admin-1", List.of());
        teamLead = KeyPairs.signing("team-a", List.of("alice", "bob"));
        // The verifier gets the public halves only, read back from a JWKS document as a service would.
        verifier = new Signatures(KeySets.parse(KeySets.publicJson(List.of(admin, teamLead)), "test"));
    }

    @Test
    void aDetachedSignatureHasAnEmptyPayloadPartAndVerifies() {
        String detached = Signatures.sign(admin, RECORD);
        assertThat(detached.split("\\.", -1)).hasSize(3);
        assertThat(detached.split("\\.", -1)[1]).isEmpty();
        assertThat(verifier.verify(RECORD, detached, "carol")).isEqualTo(new Signatures.Verified("admin-1"));
    }

    @Test
    void refusesASignatureOverOtherBytes() {
        String detached = Signatures.sign(admin, RECORD);
        byte[] other = "{\"kind\":\"Grant\",\"metadata\":{\"tenant\":\"mallory\"}}".getBytes(StandardCharsets.UTF_8);
        assertThat(verifier.verify(other, detached, "mallory")).isInstanceOfSatisfying(Signatures.Refused.class,
                refused -> {
                    assertThat(refused.problem()).isEqualTo(TrustProblem.SIGNATURE_INVALID);
                    assertThat(refused.kid()).isEqualTo("admin-1");
                });
    }

    @Test
    void refusesMissingMalformedAndUnknownSigners() {
        assertThat(problem(verifier.verify(RECORD, null, "alice"))).isEqualTo(TrustProblem.SIGNATURE_MISSING);
        assertThat(problem(verifier.verify(RECORD, "abc", "alice"))).isEqualTo(TrustProblem.SIGNATURE_MALFORMED);
        // An attached (not detached) JWS is refused: the signed bytes must be the record's own.
        String attached = attached(admin);
        assertThat(problem(verifier.verify(RECORD, attached, "alice"))).isEqualTo(TrustProblem.SIGNATURE_MALFORMED);
        PublicJsonWebKey stranger = KeyPairs.signing("stranger", List.of());
        assertThat(problem(verifier.verify(RECORD, Signatures.sign(stranger, RECORD), "alice")))
                .isEqualTo(TrustProblem.SIGNER_UNKNOWN);
    }

    @Test
    void refusesAScopedKeyOutsideItsTenants() {
        assertThat(verifier.verify(RECORD, Signatures.sign(teamLead, RECORD), "alice"))
                .isEqualTo(new Signatures.Verified("team-a"));
        assertThat(problem(verifier.verify(RECORD, Signatures.sign(teamLead, RECORD), "carol")))
                .isEqualTo(TrustProblem.SIGNER_OUT_OF_SCOPE);
    }

    @Test
    void refusesNoneAndHmacAlgorithms() throws Exception {
        // HMAC keyed with the administrator's public key (the classic algorithm confusion) and alg none.
        JsonWebSignature hmac = new JsonWebSignature();
        hmac.setAlgorithmHeaderValue(AlgorithmIdentifiers.HMAC_SHA256);
        hmac.setKeyIdHeaderValue("admin-1");
        hmac.setKey(new HmacKey(admin.getPublicKey().getEncoded()));
        hmac.setPayloadBytes(RECORD);
        assertThat(problem(verifier.verify(RECORD, hmac.getDetachedContentCompactSerialization(), "alice")))
                .isEqualTo(TrustProblem.ALGORITHM_NOT_ALLOWED);
        String none = Base64.getUrlEncoder().withoutPadding().encodeToString(
                "{\"alg\":\"none\",\"kid\":\"admin-1\"}".getBytes(StandardCharsets.UTF_8)) + "..AAAA";
        assertThat(problem(verifier.verify(RECORD, none, "alice"))).isEqualTo(TrustProblem.ALGORITHM_NOT_ALLOWED);
    }

    @Test
    void theFingerprintNamesTheTrustedKeysAndTheirScopesWhateverTheirOrder() {
        Signatures same = new Signatures(KeySets.parse(KeySets.publicJson(List.of(teamLead, admin)), "test"));
        assertThat(same.fingerprint()).isEqualTo(verifier.fingerprint()).matches("[0-9a-f]{64}");
        PublicJsonWebKey rescoped = KeyPairs.signing("team-a", List.of("alice"));
        assertThat(new Signatures(List.of(admin, rescoped)).fingerprint()).isNotEqualTo(verifier.fingerprint());
        assertThat(new Signatures(List.of(admin)).fingerprint()).isNotEqualTo(verifier.fingerprint());
        PublicJsonWebKey replaced = KeyPairs.signing("admin-1", List.of());
        assertThat(new Signatures(List.of(replaced, teamLead)).fingerprint()).isNotEqualTo(verifier.fingerprint());
    }

    static String attached(PublicJsonWebKey key) {
        try {
            JsonWebSignature jws = new JsonWebSignature();
            jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256);
            jws.setKeyIdHeaderValue(key.getKeyId());
            jws.setKey(key.getPrivateKey());
            jws.setPayloadBytes(RECORD);
            return jws.getCompactSerialization();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static TrustProblem problem(Signatures.Verdict verdict) {
        assertThat(verdict).isInstanceOf(Signatures.Refused.class);
        return ((Signatures.Refused) verdict).problem();
    }
}
