package dev.grantflow.grant.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class WriteExpectationsTest {

    final WriteExpectations<String> expectations = new WriteExpectations<>(Duration.ofSeconds(5));
    final Instant t0 = Instant.parse("2026-11-26T12:00:00Z");
    /** The informer cache: object id -> resourceVersion. */
    final Map<String, String> cache = new HashMap<>();

    @Test
    void aKeyWithoutWritesIsNeverHeldBack() {
        assertThat(expectations.unmetUntil("alice/db", cache::get, t0)).isEmpty();
    }

    @Test
    void aCreateIsMetOnceTheObjectShowsUp() {
        expectations.expect("alice/db", Map.of("Secret/db", Optional.empty(), "PodDefault/db", Optional.empty()), t0);

        cache.put("Secret/db", "11");
        assertThat(expectations.unmetUntil("alice/db", cache::get, t0.plusMillis(10)))
                .contains(t0.plusSeconds(5));

        cache.put("PodDefault/db", "12");
        assertThat(expectations.unmetUntil("alice/db", cache::get, t0.plusMillis(20))).isEmpty();
        assertThat(expectations.size()).isZero();
    }

    @Test
    void anUpdateOrDeleteIsMetOnceTheCacheLeavesTheVersionItWasBasedOn() {
        cache.put("Secret/db", "20");
        cache.put("PodDefault/db", "21");
        expectations.expect("alice/db", Map.of("Secret/db", Optional.of("20"), "PodDefault/db", Optional.of("21")),
                t0);
        assertThat(expectations.unmetUntil("alice/db", cache::get, t0)).isPresent();

        cache.put("Secret/db", "25"); // our update, or a later one: either way the cache moved on
        cache.remove("PodDefault/db"); // our delete
        assertThat(expectations.unmetUntil("alice/db", cache::get, t0)).isEmpty();
    }

    @Test
    void theDeadlineEndsTheWaitWhenTheCacheNeverShowsTheWrite() {
        expectations.expect("alice/db", Map.of("Secret/db", Optional.empty()), t0);
        assertThat(expectations.unmetUntil("alice/db", cache::get, t0.plusMillis(4999))).isPresent();
        assertThat(expectations.unmetUntil("alice/db", cache::get, t0.plusSeconds(5))).isEmpty();
        assertThat(expectations.size()).isZero();
    }

    @Test
    void keysAreIndependentAndTheLatestWritesReplaceEarlierOnes() {
        expectations.expect("alice/db", Map.of("Secret/db", Optional.empty()), t0);
        expectations.expect("bob/db", Map.of("Secret/db", Optional.empty()), t0);
        expectations.expect("alice/db", Map.of(), t0); // a reconcile that wrote nothing
        assertThat(expectations.unmetUntil("alice/db", cache::get, t0)).isEmpty();
        assertThat(expectations.unmetUntil("bob/db", cache::get, t0)).isPresent();
    }
}
