package dev.grantflow.grant.domain;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.grantflow.model.fuzz.BadInput;
import dev.grantflow.model.fuzz.GrantDocs;
import dev.grantflow.model.grant.Grant;
import dev.grantflow.model.grant.GrantKey;
import dev.grantflow.model.json.Json;
import dev.grantflow.trust.Signatures;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

/**
 * "A valid record beside it is not lost": a batch of valid, signed grants with bad records interleaved (garbage under
 * random keys, truncated and forged copies, records naming another key, unsigned records and tombstones where
 * signatures are required) is decoded and put into a {@link GrantLedger} exactly as {@code GrantTopicReader} does.
 * Every valid grant is in force afterwards, unchanged.
 *
 * <p>Bad records under a valid grant's key are only those that cannot be authentic; an authentic later record of the
 * key (a valid signed revocation, or where signatures are optional an unsigned tombstone) replaces it by design.
 */
class GrantLedgerPropertyTest {

    /** A bad record; {@code target} picks the valid grant whose key it uses, where it uses one. */
    enum Bad {
        /** Any bad value under a random key (skipped if that key happens to be a valid grant's). */
        OTHER_KEY,
        /** The valid grant's value cut in half. */
        TRUNCATED,
        /** The valid grant's value changed after signing: the signature no longer verifies. */
        FORGED,
        /** Another valid grant's signed value under this key. */
        FOREIGN_CONTENT,
        /** Unsigned (signatures required only). */
        UNSIGNED,
        /** A tombstone (signatures required only). */
        TOMBSTONE
    }

    record BadRecord(Bad kind, int target, String key, GrantDocs.Doc doc) {
        @Override
        public String toString() {
            return kind + (kind == Bad.OTHER_KEY ? " key=" + BadInput.preview(String.valueOf(key), 40) + " " + doc : " #" + target);
        }
    }

    record Valid(String fixture, String tenant, String name) {
        GrantKey key() {
            return new GrantKey(tenant, name);
        }

        byte[] bytes() {
            ObjectNode tree = GrantDocs.base(fixture);
            ((ObjectNode) tree.get("metadata")).put("tenant", tenant).put("name", name);
            return Json.writeBytes(tree);
        }
    }

    private record Posted(String key, byte[] value, String signature) {
    }

    @Property(tries = 300)
    void everyValidGrantSurvivesTheBadRecordsAroundIt(@ForAll("valid") List<Valid> valid, @ForAll("bad") List<BadRecord> bad,
                                                      @ForAll boolean required, @ForAll long seed) {
        GrantRecordMapper mapper = required ? GrantRecordMapperPropertyTest.REQUIRED : GrantRecordMapperPropertyTest.OPTIONAL;
        List<Posted> records = new ArrayList<>();
        Map<GrantKey, byte[]> expected = new HashMap<>();
        for (Valid v : valid) {
            byte[] bytes = v.bytes();
            expected.put(v.key(), bytes);
            records.add(new Posted(v.key().format(), bytes, Signatures.sign(TrustFixtures.ADMIN, bytes)));
        }
        for (BadRecord b : bad) {
            Valid target = valid.get(b.target() % valid.size());
            byte[] own = target.bytes();
            switch (b.kind()) {
                case OTHER_KEY -> {
                    GrantKey parsed = GrantKey.parse(b.key()).orElse(null);
                    if (parsed == null || !expected.containsKey(parsed)) {
                        records.add(new Posted(b.key(), b.doc().bytes(), b.doc().bytes() == null ? null
                                : Signatures.sign(TrustFixtures.ADMIN, b.doc().bytes())));
                    }
                }
                case TRUNCATED -> records.add(new Posted(target.key().format(), Arrays.copyOf(own, own.length / 2),
                        Signatures.sign(TrustFixtures.ADMIN, own)));
                case FORGED -> {
                    ObjectNode forged = (ObjectNode) Json.readTree(own);
                    ((ObjectNode) forged.get("metadata")).put("generation", 1000);
                    forged.with("spec").with("podDefault").put("mountPath", "/var/run/secrets/kubernetes.io/serviceaccount");
                    records.add(new Posted(target.key().format(), Json.writeBytes(forged), Signatures.sign(TrustFixtures.ADMIN, own)));
                }
                case FOREIGN_CONTENT -> {
                    Valid other = valid.get((b.target() + 1) % valid.size());
                    if (!other.key().equals(target.key())) {
                        byte[] foreign = other.bytes();
                        records.add(new Posted(target.key().format(), foreign, Signatures.sign(TrustFixtures.ADMIN, foreign)));
                    }
                }
                case UNSIGNED -> {
                    if (required) {
                        records.add(new Posted(target.key().format(), b.doc().bytes() == null ? own : b.doc().bytes(), null));
                    }
                }
                case TOMBSTONE -> {
                    if (required) {
                        records.add(new Posted(target.key().format(), null, null));
                    }
                }
            }
        }
        Collections.shuffle(records, new Random(seed));

        GrantLedger ledger = new GrantLedger();
        Map<Integer, Long> offsets = new HashMap<>();
        Random partitions = new Random(seed);
        for (int i = 0; i < records.size(); i++) {
            Posted r = records.get(i);
            int partition = partitions.nextInt(3);
            long offset = offsets.merge(partition, 1L, Long::sum);
            GrantLedger.Position at = new GrantLedger.Position(partition, offset, 1_000 + i);
            GrantRecordMapper.Decoded decoded = mapper.decode(r.key(), r.value(), r.signature());
            Statistics.label("records").collect(GrantRecordMapperPropertyTest.describe(decoded));
            // As GrantTopicReader.read applies a decoded record.
            if (decoded instanceof GrantRecordMapper.Revoke revoke) {
                ledger.revoke(revoke.key(), at);
            } else if (decoded instanceof GrantRecordMapper.Entry entry) {
                ledger.put(entry.entry(), at);
            } else if (decoded instanceof GrantRecordMapper.Refused refused) {
                ledger.refuse(refused.entry());
            }
        }

        Statistics.label("batch size").collect(records.size() < 10 ? "< 10" : records.size() < 20 ? "10-19" : ">= 20");
        expected.forEach((key, bytes) -> {
            GrantEntry entry = ledger.entry(key);
            assertThat(entry).as("the valid grant %s is in force", key).isInstanceOf(GrantEntry.Accepted.class);
            assertThat(((GrantEntry.Accepted) entry).grant()).isEqualTo(Json.read(bytes, Grant.class));
            assertThat(ledger.tombstoned(key)).isFalse();
        });
    }

    @Provide
    Arbitrary<List<Valid>> valid() {
        return Combinators.combine(Arbitraries.of(GrantDocs.BASES), BadInput.labels(), BadInput.labels())
                .as(Valid::new).list().ofMinSize(1).ofMaxSize(6).uniqueElements(Valid::key);
    }

    @Provide
    Arbitrary<List<BadRecord>> bad() {
        return Combinators.combine(Arbitraries.of(Bad.class), Arbitraries.integers().between(0, 5),
                        Arbitraries.oneOf(BadInput.strings(), BadInput.labels().map(l -> l + "/" + l)), GrantDocs.docs())
                .as(BadRecord::new).list().ofMaxSize(25);
    }
}
