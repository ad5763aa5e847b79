package dev.grantflow.grant.domain;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.grantflow.grant.domain.GrantLedger.Change;
import dev.grantflow.grant.domain.GrantLedger.Position;
import dev.grantflow.model.fixtures.Fixtures;
import dev.grantflow.model.grant.Grant;
import dev.grantflow.model.grant.GrantKey;
import dev.grantflow.model.grant.StatusReason;
import dev.grantflow.model.json.Json;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

/** The grant ledger: one key's records, wherever a producer put them, make one state. */
class GrantLedgerTest {

    final GrantLedger ledger = new GrantLedger();
    final GrantKey key = new GrantKey("alice", "test-secret");

    @Test
    void olderGenerationsAreStaleEqualOnesReplace() {
        assertThat(ledger.put(new GrantEntry.Rejected(key, 5, StatusReason.INVALID_GRANT, "bad"), at(0, 0, 100)))
                .isEqualTo(Change.CHANGED);
        assertThat(ledger.put(accepted(1), at(0, 1, 200))).isEqualTo(Change.STALE);
        assertThat(ledger.takeStale(key)).hasValue(1);
        assertThat(ledger.takeStale(key)).as("a notice is taken once").isEmpty();
        assertThat(ledger.entry(key)).isInstanceOf(GrantEntry.Rejected.class);
        assertThat(ledger.put(new GrantEntry.Rejected(key, 5, StatusReason.INVALID_GRANT, "again"), at(0, 2, 300)))
                .isEqualTo(Change.CHANGED);
        assertThat(((GrantEntry.Rejected) ledger.entry(key)).message()).isEqualTo("again");
    }

    @Test
    void revokeForgetsTheGrantAndRemembersTheTombstoneUntilAGrantReturns() {
        ledger.put(accepted(1), at(1, 0, 100));
        ledger.revoke(key, at(1, 1, 200));
        assertThat(ledger.entry(key)).isNull();
        assertThat(ledger.tombstoned(key)).isTrue();
        assertThat(ledger.keys()).containsExactly(key);
        ledger.put(accepted(1), at(1, 2, 300));
        assertThat(ledger.tombstoned(key)).isFalse();
        assertThat(ledger.entry(key).generation()).isEqualTo(1);
    }

    @Test
    void aTombstoneInAnotherPartitionRevokesWhatCameBeforeIt() {
        ledger.put(accepted(1), at(0, 10, 100));
        ledger.revoke(key, at(2, 3, 200));
        assertThat(ledger.tombstoned(key)).isTrue();
        assertThat(ledger.entry(key)).isNull();
    }

    @Test
    void aGrantPostedAfterTheTombstoneInAThirdPartitionIsInForce() {
        ledger.put(accepted(1), at(0, 10, 100));
        ledger.revoke(key, at(2, 3, 200));
        ledger.put(accepted(1), at(1, 7, 300));
        assertThat(ledger.tombstoned(key)).isFalse();
        assertThat(ledger.entry(key)).isNotNull();
    }

    @Test
    void aTombstoneOlderThanTheGrantInAnotherPartitionDoesNotRevokeIt() {
        ledger.put(accepted(2), at(0, 10, 300));
        ledger.revoke(key, at(2, 3, 200));
        assertThat(ledger.tombstoned(key)).isFalse();
        assertThat(ledger.entry(key).generation()).isEqualTo(2);
    }

    @Test
    void aLowerGenerationInAnotherPartitionNeverRollsBack() {
        ledger.put(accepted(3), at(0, 10, 100));
        assertThat(ledger.put(accepted(2), at(1, 0, 200))).isEqualTo(Change.STALE);
        assertThat(ledger.entry(key).generation()).isEqualTo(3);
        assertThat(ledger.takeStale(key)).hasValue(2);
        assertThat(ledger.put(accepted(4), at(2, 0, 50))).as("a higher generation wins, whatever its timestamp")
                .isEqualTo(Change.CHANGED);
        assertThat(ledger.entry(key).generation()).isEqualTo(4);
    }

    /** Every instance reads the partitions interleaved differently; all of them must end in the same state. */
    @RepeatedTest(20)
    void theStateDoesNotDependOnTheOrderInWhichPartitionsAreRead() {
        List<Runnable> records = new ArrayList<>();
        List<Position> positions = List.of(at(0, 0, 100), at(1, 0, 150), at(2, 0, 200), at(0, 1, 250),
                at(1, 1, 300), at(2, 1, 350));
        // Per partition in offset order; partitions interleaved at random, as two consumers may read them.
        List<List<Runnable>> perPartition = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        GrantLedger shuffled = new GrantLedger();
        GrantLedger inOrder = new GrantLedger();
        for (int i = 0; i < positions.size(); i++) {
            Position p = positions.get(i);
            boolean tombstone = i == 2 || i == 4;
            int generation = 1 + i / 2;
            perPartition.get(p.partition()).add(() -> apply(shuffled, tombstone, generation, p));
            records.add(() -> apply(inOrder, tombstone, generation, p));
        }
        records.forEach(Runnable::run);
        Random random = new Random();
        List<Integer> order = new ArrayList<>();
        perPartition.forEach(list -> list.forEach(r -> order.add(perPartition.indexOf(list))));
        Collections.shuffle(order, random);
        int[] next = new int[3];
        for (int partition : order) {
            perPartition.get(partition).get(next[partition]++).run();
        }
        assertThat(shuffled.tombstoned(key)).isEqualTo(inOrder.tombstoned(key));
        assertThat(shuffled.entry(key) == null ? -1 : shuffled.entry(key).generation())
                .isEqualTo(inOrder.entry(key) == null ? -1 : inOrder.entry(key).generation());
        assertThat(inOrder.entry(key).generation()).as("the last record, a grant at 350").isEqualTo(3);
    }

    @Test
    void clearingForgetsGrantsButNotTenants() {
        ledger.put(accepted(1), at(0, 0, 100));
        ledger.tenant("alice", true);
        ledger.clearGrants();
        assertThat(ledger.keys()).isEmpty();
        assertThat(ledger.tenantExists("alice")).isTrue();
    }

    @Test
    void anotherGrantsTopicForgetsTheOldOnesGrantsInTheSameStepAsItsIdChanges() {
        assertThat(ledger.held(key).grantsTopic()).as("before the view reached a topic").isNull();
        assertThat(ledger.readsTopic("topic-1")).isFalse();
        ledger.put(accepted(1), at(0, 0, 100));
        assertThat(ledger.readsTopic("topic-1")).as("the same topic again").isFalse();
        assertThat(ledger.held(key)).isEqualTo(new GrantLedger.Held(ledger.entry(key), false, "topic-1"));
        assertThat(ledger.held(key).entry()).isNotNull();

        ledger.tenant("alice", true);
        assertThat(ledger.readsTopic("topic-2")).as("a re-created topic").isTrue();
        GrantLedger.Held held = ledger.held(key);
        assertThat(held.entry()).isNull();
        assertThat(held.grantsTopic()).isEqualTo("topic-2");
        assertThat(ledger.keys()).isEmpty();
        assertThat(ledger.tenantExists("alice")).isTrue();
    }

    @Test
    void tenantsAndSourcesFindTheirGrants() {
        ledger.put(accepted(1), at(0, 0, 100));
        assertThat(ledger.tenantExists("alice")).isFalse();
        ledger.tenant("alice", true);
        assertThat(ledger.keysOf("alice")).containsExactly(key);
        assertThat(ledger.keysOf("bob")).isEmpty();
        assertThat(ledger.tenantExists("alice")).isTrue();
        ledger.tenant("alice", false);
        assertThat(ledger.keysOf("alice")).containsExactly(key);
        assertThat(ledger.tenantExists("alice")).isFalse();
        assertThat(ledger.keysUsingSource("test-secret")).containsExactly(key);
        assertThat(ledger.keysUsingSource("other")).isEmpty();
    }

    private void apply(GrantLedger target, boolean tombstone, int generation, Position p) {
        if (tombstone) {
            target.revoke(key, p);
        } else {
            target.put(accepted(generation), p);
        }
    }

    static Position at(int partition, long offset, long timestamp) {
        return new Position(partition, offset, timestamp);
    }

    static GrantEntry accepted(long generation) {
        ObjectNode tree = (ObjectNode) Fixtures.tree("grant/v1-secret-ref.json");
        ((ObjectNode) tree.get("metadata")).put("generation", generation);
        Grant grant = Json.read(tree.toString(), Grant.class);
        return new GrantEntry.Accepted(grant.grantKey(), grant);
    }
}
