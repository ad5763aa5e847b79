package dev.grantflow.grant.domain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grantflow.model.fixtures.Fixtures;
import dev.grantflow.model.grant.GrantKey;
import dev.grantflow.model.grant.GrantMetadata;
import dev.grantflow.model.grant.GrantRevocation;
import dev.grantflow.model.grant.StatusReason;
import dev.grantflow.model.json.Json;
import dev.grantflow.trust.KeyPairs;
import dev.grantflow.trust.Signatures;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class GrantRecordMapperTest {

    static final GrantKey ALICE = new GrantKey("alice", "test-secret");
    static final byte[] GRANT = Fixtures.bytes("grant/v1-secret-ref.json");

    final GrantRecordMapper optional = new GrantRecordMapper(TrustFixtures.optional());
    final GrantRecordMapper required = new GrantRecordMapper(TrustFixtures.required());

    @Test
    void validGrantIsAccepted() {
        var decoded = optional.decode("alice/test-secret", GRANT, null);
        assertThat(((GrantRecordMapper.Entry) decoded).entry()).isInstanceOf(GrantEntry.Accepted.class);
    }

    @Test
    void decodedGrantsShareTheirStringsWithEachOtherAndWithTheirKey() {
        var first = (GrantEntry.Accepted) ((GrantRecordMapper.Entry) optional.decode("alice/test-secret", GRANT, null))
                .entry();
        var second = (GrantEntry.Accepted) ((GrantRecordMapper.Entry) optional.decode("alice/test-secret", GRANT.clone(),
                null)).entry();
        assertThat(second.grant().metadata().tenant()).isSameAs(first.grant().metadata().tenant())
                .isSameAs(first.key().tenant());
        assertThat(second.grant().spec().podDefault().mountPath()).isSameAs(first.grant().spec().podDefault().mountPath());
        assertThat(second.grant().apiVersion()).isSameAs(first.grant().apiVersion());
    }

    @Test
    void aSignedGrantIsAcceptedWithItsSigner() {
        var decoded = required.decode("alice/test-secret", GRANT, Signatures.sign(TrustFixtures.ADMIN, GRANT));
        assertThat(decoded).isInstanceOfSatisfying(GrantRecordMapper.Entry.class, entry -> {
            assertThat(entry.entry()).isInstanceOf(GrantEntry.Accepted.class);
            assertThat(entry.signer()).isEqualTo("admin-test");
        });
    }

    @Test
    void withSignaturesRequiredUnsignedBadlySignedUnknownAndOutOfScopeAreRefused() {
        assertThat(refusal(required.decode("alice/test-secret", GRANT, null))).isEqualTo(StatusReason.SIGNATURE_MISSING);
        byte[] other = new String(GRANT, StandardCharsets.UTF_8).replace("\"generation\": 1", "\"generation\": 9")
                .getBytes(StandardCharsets.UTF_8);
        assertThat(other).isNotEqualTo(GRANT);
        assertThat(refusal(required.decode("alice/test-secret", other, Signatures.sign(TrustFixtures.ADMIN, GRANT))))
                .isEqualTo(StatusReason.SIGNATURE_INVALID);
        assertThat(refusal(required.decode("alice/test-secret", GRANT,
                Signatures.sign(KeyPairs.signing("stranger", List.of()), GRANT)))).isEqualTo(StatusReason.SIGNER_UNKNOWN);
        byte[] bob = new String(GRANT, StandardCharsets.UTF_8).replace("\"alice\"", "\"bob\"")
                .getBytes(StandardCharsets.UTF_8);
        assertThat(refusal(required.decode("bob/test-secret", bob, Signatures.sign(TrustFixtures.TEAM_A, bob))))
                .isEqualTo(StatusReason.SIGNER_OUT_OF_SCOPE);
        assertThat(required.decode("alice/test-secret", GRANT, Signatures.sign(TrustFixtures.TEAM_A, GRANT)))
                .isInstanceOf(GrantRecordMapper.Entry.class);
    }

    @Test
    void withSignaturesOptionalABadSignatureIsStillRefused() {
        assertThat(refusal(optional.decode("alice/test-secret", GRANT, "garbage"))).isEqualTo(StatusReason.SIGNATURE_INVALID);
    }

    @Test
    void aTombstoneRevokesOnlyWhereSignaturesAreOptional() {
        assertThat(optional.decode("alice/test-secret", null, null)).isEqualTo(new GrantRecordMapper.Revoke(ALICE));
        assertThat(required.decode("alice/test-secret", null, null))
                .isEqualTo(new GrantRecordMapper.IgnoredTombstone(ALICE));
    }

    @Test
    void aSignedRevocationRevokesUpToItsGeneration() {
        byte[] revocation = Json.writeBytes(GrantRevocation.of(new GrantMetadata("alice", "test-secret", 4,
                Instant.parse("2026-12-01T10:00:00Z"), "admin@example.com")));
        var decoded = required.decode("alice/test-secret", revocation, Signatures.sign(TrustFixtures.ADMIN, revocation));
        assertThat(((GrantRecordMapper.Entry) decoded).entry()).isEqualTo(new GrantEntry.Revoked(ALICE, 4));
        assertThat(refusal(required.decode("alice/test-secret", revocation, null)))
                .isEqualTo(StatusReason.SIGNATURE_MISSING);
    }

    @Test
    void aSignedRecordUnderAnotherKeyIsRefusedNotApplied() {
        // alice's signed grant copied under bob's key: authentic bytes, wrong key; it must not replace bob's grant.
        var decoded = required.decode("bob/test-secret", GRANT, Signatures.sign(TrustFixtures.ADMIN, GRANT));
        assertThat(decoded).isInstanceOfSatisfying(GrantRecordMapper.Refused.class, refused -> {
            assertThat(refused.entry().reason()).isEqualTo(StatusReason.KEY_MISMATCH);
            assertThat(refused.entry().message()).contains("bob/test-secret");
        });
    }

    @Test
    void unreadableValuesAndKeysNeverQuoteTheInput() {
        String canary = "sup3r-s3cret-canary";
        var garbage = (GrantRecordMapper.Unreadable) optional.decode("alice/x",
                ("{\"apiVersion\": " + canary).getBytes(StandardCharsets.UTF_8), null);
        assertThat(garbage.reason()).isEqualTo("MalformedJson");
        assertThat(garbage.message()).doesNotContain(canary);

        var badKey = (GrantRecordMapper.Unreadable) optional.decode("no-slash", new byte[] {'{', '}'}, null);
        assertThat(badKey.key()).isNull();
        assertThat(badKey.reason()).isEqualTo("InvalidKey");
    }

    static StatusReason refusal(GrantRecordMapper.Decoded decoded) {
        assertThat(decoded).isInstanceOf(GrantRecordMapper.Refused.class);
        return ((GrantRecordMapper.Refused) decoded).entry().reason();
    }
}
