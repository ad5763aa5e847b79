package dev.grantflow.grant.domain;

import static dev.grantflow.model.fuzz.BadInput.CANARY;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.grantflow.model.fuzz.BadInput;
import dev.grantflow.model.fuzz.Bounded;
import dev.grantflow.model.fuzz.GrantDocs;
import dev.grantflow.model.fuzz.Oracles;
import dev.grantflow.model.grant.GrantKey;
import dev.grantflow.model.grant.GrantPhase;
import dev.grantflow.model.grant.StatusReason;
import dev.grantflow.model.json.Json;
import dev.grantflow.model.json.Parsed;
import dev.grantflow.trust.KeyPairs;
import dev.grantflow.trust.Signatures;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;
import org.jose4j.jwk.PublicJsonWebKey;

/**
 * Bad grants records for {@link GrantRecordMapper}, with signatures required (production) and optional (tests):
 * malformed and mutated values ({@link GrantDocs}), random record keys, missing, wrong, foreign and out-of-scope
 * signatures, tombstones. Decoding never throws and never hangs, always ends in one of the documented outcomes with a
 * reason, never quotes the planted secret, and accepts only grants that meet the documented invariants.
 */
class GrantRecordMapperPropertyTest {

    /** How the record is signed. */
    enum Signing { NONE, ADMIN, TEAM_A, ADMIN_OVER_OTHER_BYTES, STRANGER, GARBAGE }

    /** Which record key the value is posted under. */
    enum KeyChoice { OWN, WEIRD }

    static final PublicJsonWebKey STRANGER = KeyPairs.signing("stranger", List.of());
    static final GrantRecordMapper OPTIONAL = new GrantRecordMapper(TrustFixtures.optional());
    static final GrantRecordMapper REQUIRED = new GrantRecordMapper(TrustFixtures.required());

    private static final Set<StatusReason> REFUSALS = Set.of(StatusReason.SIGNATURE_MISSING, StatusReason.SIGNATURE_INVALID,
            StatusReason.SIGNER_UNKNOWN, StatusReason.SIGNER_OUT_OF_SCOPE, StatusReason.KEY_MISMATCH);

    @Property(tries = 1500)
    void decodingAlwaysEndsInADocumentedOutcome(@ForAll("values") GrantDocs.Doc doc, @ForAll("keyChoices") KeyChoice keyChoice,
                                                @ForAll("weirdKeys") String weirdKey, @ForAll("signings") Signing signing,
                                                @ForAll boolean required) {
        String recordKey = keyChoice == KeyChoice.OWN ? ownKey(doc) : weirdKey;
        String signature = signature(signing, doc.bytes());
        GrantRecordMapper mapper = required ? REQUIRED : OPTIONAL;

        GrantRecordMapper.Decoded decoded = Bounded.call(() -> mapper.decode(recordKey, doc.bytes(), signature));

        assertThat(decoded).as("a defined outcome").isNotNull();
        Statistics.label("mode").collect(required ? "required" : "optional");
        Statistics.label("outcome").collect(describe(decoded));
        Statistics.label("signing").collect(signing);
        GrantKey key = GrantKey.parse(recordKey).orElse(null);
        if (decoded instanceof GrantRecordMapper.Unreadable u) {
            assertThat(u.key()).isEqualTo(key);
            assertThat(u.reason()).isNotBlank();
            assertThat(u.detail()).isNotNull();
            assertSafe(u.message());
            assertThat(doc.bytes() != null || key == null).as("a tombstone is never unreadable").isTrue();
        } else if (decoded instanceof GrantRecordMapper.Revoke r) {
            assertThat(doc.bytes()).as("only a tombstone revokes without a record").isNull();
            assertThat(required).as("tombstones revoke only where signatures are optional").isFalse();
            assertThat(r.key()).isEqualTo(key);
        } else if (decoded instanceof GrantRecordMapper.IgnoredTombstone t) {
            assertThat(doc.bytes()).isNull();
            assertThat(required).isTrue();
            assertThat(t.key()).isEqualTo(key);
        } else if (decoded instanceof GrantRecordMapper.Refused r) {
            assertThat(r.entry().key()).isEqualTo(key);
            assertThat(r.entry().reason()).isIn(REFUSALS);
            assertSafe(r.entry().message());
            if (!required && signature == null) {
                assertThat(r.entry().reason()).as("unsigned records are refused only for their key").isEqualTo(StatusReason.KEY_MISMATCH);
            }
        } else {
            GrantRecordMapper.Entry e = (GrantRecordMapper.Entry) decoded;
            assertThat(e.entry().key()).isEqualTo(key);
            if (required) {
                assertThat(e.signer()).as("with signatures required every entry has its signer").isIn("admin-test", "team-a");
            }
            if (e.entry() instanceof GrantEntry.Accepted a) {
                Oracles.assertAcceptedGrant(a.grant(), key);
            } else if (e.entry() instanceof GrantEntry.Revoked r) {
                assertThat(r.generation()).isPositive();
            } else {
                GrantEntry.Rejected r = (GrantEntry.Rejected) e.entry();
                assertThat(r.reason().phase()).isEqualTo(GrantPhase.REJECTED);
                assertSafe(r.message());
            }
        }
    }

    static String describe(GrantRecordMapper.Decoded decoded) {
        if (decoded instanceof GrantRecordMapper.Entry e) {
            return "Entry " + e.entry().getClass().getSimpleName()
                    + (e.entry() instanceof GrantEntry.Rejected r ? " " + r.reason().value() : "");
        }
        if (decoded instanceof GrantRecordMapper.Refused r) {
            return "Refused " + r.entry().reason().value();
        }
        if (decoded instanceof GrantRecordMapper.Unreadable u) {
            return "Unreadable " + u.reason();
        }
        return decoded.getClass().getSimpleName();
    }

    /** A message may name fields, keys and names, but never the planted secret, and is never a stack trace. */
    static void assertSafe(String message) {
        assertThat(message).isNotBlank().doesNotContain(CANARY).doesNotContain("\tat ");
    }

    /** {@code <metadata.tenant>/<metadata.name>} of the value when it has them, else a plausible key. */
    static String ownKey(GrantDocs.Doc doc) {
        if (doc.bytes() != null) {
            Parsed<JsonNode> tree = Json.parse(doc.bytes(), JsonNode.class);
            if (tree instanceof Parsed.Ok<JsonNode> ok) {
                JsonNode metadata = ok.value().path("metadata");
                return metadata.path("tenant").asText("alice") + "/" + metadata.path("name").asText("test-secret");
            }
        }
        return "alice/test-secret";
    }

    static String signature(Signing signing, byte[] value) {
        byte[] bytes = value == null ? new byte[0] : value;
        return switch (signing) {
            case NONE -> null;
            case ADMIN -> Signatures.sign(TrustFixtures.ADMIN, bytes);
            case TEAM_A -> Signatures.sign(TrustFixtures.TEAM_A, bytes);
            case ADMIN_OVER_OTHER_BYTES -> Signatures.sign(TrustFixtures.ADMIN, "{}".getBytes(StandardCharsets.UTF_8));
            case STRANGER -> Signatures.sign(STRANGER, bytes);
            case GARBAGE -> "eyJhbGciOiJub25lIn0.." + CANARY;
        };
    }

    @Provide
    Arbitrary<GrantDocs.Doc> values() {
        return Arbitraries.frequencyOf(Tuple.of(30, GrantDocs.docs()), Tuple.of(1, Arbitraries.just(new GrantDocs.Doc("tombstone", null))));
    }

    @Provide
    Arbitrary<KeyChoice> keyChoices() {
        return Arbitraries.frequency(Tuple.of(4, KeyChoice.OWN), Tuple.of(1, KeyChoice.WEIRD));
    }

    @Provide
    Arbitrary<String> weirdKeys() {
        return Arbitraries.frequencyOf(
                Tuple.of(3, BadInput.strings()),
                Tuple.of(2, Arbitraries.of("alice/test-secret", "alice/x", "bob/test-secret", "a/b/c", "/x", "x/", "/", "")),
                Tuple.of(2, BadInput.strings().map(s -> "alice/" + s)),
                Tuple.of(1, Arbitraries.just((String) null)));
    }

    @Provide
    Arbitrary<Signing> signings() {
        return Arbitraries.frequency(Tuple.of(6, Signing.ADMIN), Tuple.of(3, Signing.NONE), Tuple.of(1, Signing.TEAM_A),
                Tuple.of(1, Signing.ADMIN_OVER_OTHER_BYTES), Tuple.of(1, Signing.STRANGER), Tuple.of(1, Signing.GARBAGE));
    }
}
