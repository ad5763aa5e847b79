package dev.grantflow.grant.domain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grantflow.model.grant.GrantKey;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Shard ownership: our own hash, and no action on a new shard before the view holds everything. */
class ShardsTest {

    final Shards shards = new Shards();

    @Test
    void theShardOfAKeyIsStableAndSpreads() {
        GrantKey key = new GrantKey("alice", "test-secret");
        assertThat(Shards.shardOf(key, 3)).isEqualTo(Shards.shardOf(new GrantKey("alice", "test-secret"), 3));
        Map<Integer, Integer> histogram = new HashMap<>();
        IntStream.range(0, 3000).forEach(i -> histogram.merge(Shards.shardOf(new GrantKey("t" + i, "g"), 3), 1,
                Integer::sum));
        assertThat(histogram).containsOnlyKeys(0, 1, 2);
        assertThat(histogram.values()).allSatisfy(n -> assertThat(n).isBetween(800, 1200));
    }

    @Test
    void anAssignedShardWaitsUntilTheViewReachedTheEndOffsetsOfTheAssignment() {
        GrantKey key = keyInShard(1, 3);
        shards.assigned(List.of(1), 3, Map.of(0, 10L, 1, 5L, 2, 0L));
        assertThat(shards.owns(key)).isFalse();
        assertThat(shards.activate(Map.of(0, 10L, 1, 4L, 2, 0L))).isEmpty();
        assertThat(shards.owns(key)).as("partition 1 not read to its end yet").isFalse();
        assertThat(shards.pending()).containsExactly(1);
        assertThat(shards.activate(Map.of(0, 12L, 1, 5L, 2, 0L))).containsExactly(1);
        assertThat(shards.owns(key)).isTrue();
        assertThat(shards.owns(keyInShard(0, 3))).isFalse();
        assertThat(shards.activate(Map.of(0, 12L, 1, 5L, 2, 0L))).as("activated once").isEmpty();
    }

    @Test
    void aRevokedShardStopsAtOnceAndReportsWhetherItWasActive() {
        shards.assigned(List.of(0, 2), 3, Map.of(0, 0L, 1, 0L, 2, 0L));
        shards.activate(Map.of(0, 0L, 1, 0L, 2, 0L));
        shards.assigned(List.of(1), 3, Map.of(0, 0L, 1, 9L, 2, 0L));
        assertThat(shards.revoked(List.of(1, 2))).containsExactly(2);
        assertThat(shards.active()).containsExactly(0);
        assertThat(shards.owns(keyInShard(2, 3))).isFalse();
        assertThat(shards.pending()).isEmpty();
    }

    @Test
    void aReplacedTopicSendsEveryHeldShardBackToWaiting() {
        shards.assigned(List.of(0, 1), 2, Map.of(0, 0L, 1, 0L));
        shards.activate(Map.of(0, 0L, 1, 0L));
        shards.rewind(Map.of(0, 3L, 1, 0L));
        assertThat(shards.active()).isEmpty();
        assertThat(shards.pending()).containsExactly(0, 1);
        assertThat(shards.activate(Map.of(0, 3L, 1, 0L))).containsExactly(0, 1);
    }

    @Test
    void noShardsMeansNoKeys() {
        assertThat(shards.owns(new GrantKey("a", "b"))).isFalse();
        assertThat(shards.inShards(new GrantKey("a", "b"), Set.of(0))).isFalse();
    }

    static GrantKey keyInShard(int shard, int count) {
        return IntStream.range(0, 1000).mapToObj(i -> new GrantKey("t" + i, "g"))
                .filter(k -> Shards.shardOf(k, count) == shard).findFirst().orElseThrow();
    }
}
