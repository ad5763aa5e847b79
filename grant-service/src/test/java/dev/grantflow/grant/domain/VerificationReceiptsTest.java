package dev.grantflow.grant.domain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grantflow.model.fixtures.Fixtures;
import dev.grantflow.model.grant.GrantKey;
import dev.grantflow.model.grant.StatusReason;
import dev.grantflow.trust.KeyPairs;
import dev.grantflow.trust.KeyedDigest;
import dev.grantflow.trust.Signatures;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class VerificationReceiptsTest {

    static final byte[] GRANT = Fixtures.bytes("grant/v1-secret-ref.json");
    static final String SIGNATURE = Signatures.sign(TrustFixtures.ADMIN, GRANT);

    final VerificationReceipts receipts = new VerificationReceipts(new KeyedDigest(TrustFixtures.key(3)),
            TrustFixtures.TRUSTED.fingerprint());

    @Test
    void aReceiptMatchesExactlyTheRecordItWasIssuedForUnderTheSameKeysAndDigestKey() {
        VerificationReceipts.Receipt receipt = receipts.issue(GRANT, SIGNATURE, "alice", "admin-test");
        assertThat(receipts.matches(receipt, GRANT, SIGNATURE, "alice")).isTrue();

        byte[] other = new String(GRANT, StandardCharsets.UTF_8).replace("\"generation\": 1", "\"generation\": 9")
                .getBytes(StandardCharsets.UTF_8);
        assertThat(other).isNotEqualTo(GRANT);
        assertThat(receipts.matches(receipt, other, SIGNATURE, "alice")).as("other bytes").isFalse();
        assertThat(receipts.matches(receipt, GRANT, Signatures.sign(TrustFixtures.TEAM_A, GRANT), "alice"))
                .as("another signature").isFalse();
        assertThat(receipts.matches(receipt, GRANT, SIGNATURE, "bob")).as("another tenant").isFalse();
        assertThat(receipts.matches(new VerificationReceipts.Receipt("team-a", receipt.high(), receipt.low()), GRANT,
                SIGNATURE, "alice")).as("another signer named").isFalse();
        assertThat(receipts.matches(new VerificationReceipts.Receipt("admin-test", receipt.high(), receipt.low() ^ 1),
                GRANT, SIGNATURE, "alice")).as("a forged tag").isFalse();
        assertThat(receipts.matches(null, GRANT, SIGNATURE, "alice")).isFalse();
        assertThat(receipts.matches(receipt, GRANT, null, "alice")).isFalse();

        VerificationReceipts otherDigestKey = new VerificationReceipts(new KeyedDigest(TrustFixtures.key(4)),
                TrustFixtures.TRUSTED.fingerprint());
        assertThat(otherDigestKey.matches(receipt, GRANT, SIGNATURE, "alice")).as("another digest key").isFalse();
        VerificationReceipts otherTrust = new VerificationReceipts(new KeyedDigest(TrustFixtures.key(3)),
                new Signatures(List.of(TrustFixtures.ADMIN)).fingerprint());
        assertThat(otherTrust.matches(receipt, GRANT, SIGNATURE, "alice")).as("other trusted keys").isFalse();
        assertThat(receipts.accepted()).isEqualTo(1);
        assertThat(receipts.issued()).isEqualTo(1);
    }

    @Test
    void theTagIsTheTruncatedHmacOfTheLengthPrefixedFieldsOfV1SoThatPublishedReceiptsStillMatch() throws Exception {
        // The v1 input, built independently: receipts in status topics written by earlier releases must keep matching.
        java.io.ByteArrayOutputStream input = new java.io.ByteArrayOutputStream();
        for (byte[] field : new byte[][] {"grantflow verification receipt v1".getBytes(StandardCharsets.UTF_8),
                TrustFixtures.TRUSTED.fingerprint().getBytes(StandardCharsets.UTF_8),
                "alice".getBytes(StandardCharsets.UTF_8), "admin-test".getBytes(StandardCharsets.UTF_8),
                SIGNATURE.getBytes(StandardCharsets.UTF_8), GRANT}) {
            input.writeBytes(java.nio.ByteBuffer.allocate(4).putInt(field.length).array());
            input.writeBytes(field);
        }
        javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
        mac.init(new javax.crypto.spec.SecretKeySpec(TrustFixtures.key(3), "HmacSHA256"));
        java.nio.ByteBuffer expected = java.nio.ByteBuffer.wrap(mac.doFinal(input.toByteArray()));

        VerificationReceipts.Receipt receipt = receipts.issue(GRANT, SIGNATURE, "alice", "admin-test");
        assertThat(receipt).isEqualTo(new VerificationReceipts.Receipt("admin-test", expected.getLong(),
                expected.getLong()));
    }

    @Test
    void theHeaderFormReadsBackAndAnythingElseIsNoReceipt() {
        VerificationReceipts.Receipt receipt = receipts.issue(GRANT, SIGNATURE, "alice", "admin:with:colons");
        assertThat(receipt.format()).startsWith("v1:").endsWith(":admin:with:colons").doesNotContain("=");
        assertThat(VerificationReceipts.Receipt.parse(receipt.format())).contains(receipt);
        for (String garbage : new String[] {null, "", "v1", "v1::kid", "v2:" + receipt.format().substring(3),
                "v1:" + "A".repeat(21) + ":kid", "v1:not base64!:kid", "v1:AAAAAAAAAAAAAAAAAAAAAA:"}) {
            assertThat(VerificationReceipts.Receipt.parse(garbage)).as(String.valueOf(garbage)).isEmpty();
        }
    }

    @Test
    void aMatchingReceiptStandsForTheSignatureCheckAndAnyOtherIsVerifiedAsWithout() {
        VerificationReceipts.Receipt receipt = receipts.issue(GRANT, SIGNATURE, "alice", "admin-test");
        // A verifier that trusts no key but has the same fingerprint and digest key: only the receipt can make it
        // accept, which shows the check was spared. In the service both come from the same trusted keys.
        SignaturePolicy noKeys = new SignaturePolicy(true, new Signatures(List.of()), receipts);
        GrantRecordMapper mapper = new GrantRecordMapper(noKeys);
        assertThat(mapper.decode("alice/test-secret", GRANT, SIGNATURE, receipt))
                .isInstanceOfSatisfying(GrantRecordMapper.Entry.class, entry -> {
                    assertThat(entry.entry()).isInstanceOf(GrantEntry.Accepted.class);
                    assertThat(entry.signer()).isEqualTo("admin-test");
                    assertThat(entry.receipt()).isEqualTo(receipt);
                });
        assertThat(mapper.decode("alice/test-secret", GRANT, SIGNATURE, null))
                .isInstanceOfSatisfying(GrantRecordMapper.Refused.class, refused -> assertThat(refused.entry().reason())
                        .isEqualTo(StatusReason.SIGNER_UNKNOWN));
        // The record's content is still checked against its key: a receipt vouches for the signature only.
        assertThat(mapper.decode("bob/test-secret", GRANT, SIGNATURE, receipt))
                .isInstanceOf(GrantRecordMapper.Refused.class);
    }

    @Test
    void aVerifiedRecordGetsAReceiptThatTheNextDecodeAccepts() {
        GrantRecordMapper mapper = new GrantRecordMapper(new SignaturePolicy(true, TrustFixtures.TRUSTED, receipts));
        GrantRecordMapper.Entry first = (GrantRecordMapper.Entry) mapper.decode("alice/test-secret", GRANT, SIGNATURE,
                null);
        assertThat(first.receipt()).isNotNull();
        assertThat(receipts.issued()).isEqualTo(1);
        GrantRecordMapper.Entry again = (GrantRecordMapper.Entry) mapper.decode("alice/test-secret", GRANT, SIGNATURE,
                first.receipt());
        assertThat(again.entry()).isEqualTo(first.entry());
        assertThat(receipts.accepted()).isEqualTo(1);
        assertThat(receipts.issued()).as("no second verification").isEqualTo(1);
        // A refused record gets none; a bad signature with a receipt of another record is verified and refused.
        String stranger = Signatures.sign(KeyPairs.signing("stranger", List.of()), GRANT);
        assertThat(mapper.decode("alice/test-secret", GRANT, stranger, first.receipt()))
                .isInstanceOf(GrantRecordMapper.Refused.class);
        // Unsigned where signatures are optional: nothing to receipt.
        GrantRecordMapper optional = new GrantRecordMapper(new SignaturePolicy(false, TrustFixtures.TRUSTED, receipts));
        assertThat(((GrantRecordMapper.Entry) optional.decode("alice/test-secret", GRANT, null, null)).receipt())
                .isNull();
    }

    @Test
    void loadedReceiptsNeverReplaceOnesHeldFromTheGrantsTopic() {
        GrantKey alice = new GrantKey("alice", "test-secret");
        GrantKey bob = new GrantKey("bob", "db");
        VerificationReceipts.Receipt fresh = receipts.issue(GRANT, SIGNATURE, "alice", "admin-test");
        VerificationReceipts.Receipt stale = new VerificationReceipts.Receipt("admin-test", 1, 2);
        receipts.hold(alice, fresh);
        receipts.load(Map.of(alice, stale, bob, stale));
        assertThat(receipts.of(alice)).isEqualTo(fresh);
        assertThat(receipts.ofRecordKey("bob/db")).isEqualTo(stale);
        assertThat(receipts.ofRecordKey("not a key")).isNull();
        assertThat(receipts.ofRecordKey(null)).isNull();
        receipts.hold(bob, null);
        assertThat(receipts.of(bob)).isNull();
    }
}
