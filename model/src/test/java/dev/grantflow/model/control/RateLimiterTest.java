package dev.grantflow.model.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RateLimiterTest {

    static final RateLimiter EXPONENTIAL = RateLimiter.exponential(Duration.ofMillis(200), Duration.ofSeconds(30));

    @ParameterizedTest(name = "attempt {0} -> {1} ms")
    @CsvSource({
            "0, 200",
            "1, 400",
            "2, 800",
            "3, 1600",
            "7, 25600",
            "8, 30000",
            "9, 30000",
            "62, 30000",
            "63, 30000",
            "64, 30000",
            "2147483647, 30000"})
    void exponentialDoublesFromTheBaseUpToTheCap(int attempt, long millis) {
        assertThat(EXPONENTIAL.delay(attempt)).isEqualTo(Duration.ofMillis(millis));
    }

    @Test
    void aCapThatIsNotAPowerOfTwoTimesTheBaseIsReachedExactly() {
        RateLimiter limiter = RateLimiter.exponential(Duration.ofMillis(3), Duration.ofMillis(10));
        assertThat(limiter.delay(1)).isEqualTo(Duration.ofMillis(6));
        assertThat(limiter.delay(2)).isEqualTo(Duration.ofMillis(10));
    }

    @Test
    void aZeroBaseNeverWaits() {
        RateLimiter limiter = RateLimiter.exponential(Duration.ZERO, Duration.ofSeconds(1));
        assertThat(limiter.delay(0)).isZero();
        assertThat(limiter.delay(40)).isZero();
    }

    @Test
    void jitterStaysWithinHalfAndAllOfTheExponentialDelayAndVaries() {
        RateLimiter jittered = RateLimiter.exponentialWithJitter(Duration.ofMillis(200), Duration.ofSeconds(30));
        for (int attempt : new int[] {0, 1, 3, 8, 100}) {
            Duration full = EXPONENTIAL.delay(attempt);
            Set<Duration> seen = new HashSet<>();
            for (int i = 0; i < 1_000; i++) {
                Duration delay = jittered.delay(attempt);
                assertThat(delay).as("attempt %d", attempt).isBetween(full.dividedBy(2), full);
                seen.add(delay);
            }
            assertThat(seen).as("attempt %d is jittered", attempt).hasSizeGreaterThan(10);
        }
    }

    @Test
    void jitterOfATinyDelayStaysInBounds() {
        RateLimiter jittered = RateLimiter.exponentialWithJitter(Duration.ofNanos(1), Duration.ofNanos(1));
        for (int i = 0; i < 100; i++) {
            assertThat(jittered.delay(0)).isBetween(Duration.ZERO, Duration.ofNanos(1));
        }
    }

    @Test
    void rejectsNonsense() {
        assertThatThrownBy(() -> RateLimiter.exponential(Duration.ofSeconds(2), Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("shorter than base");
        assertThatThrownBy(() -> RateLimiter.exponential(Duration.ofMillis(-1), Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("base");
        assertThatThrownBy(() -> EXPONENTIAL.delay(-1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("attempt");
    }
}
