package dev.grantflow.model.control;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffTest {

    final Backoff backoff = new Backoff(RateLimiter.exponential(Duration.ofMillis(100), Duration.ofMillis(500)));

    @Test
    void eachFailureWaitsLongerUpToTheCap() {
        assertThat(backoff.attempts()).isZero();
        assertThat(backoff.next()).isEqualTo(Duration.ofMillis(100));
        assertThat(backoff.next()).isEqualTo(Duration.ofMillis(200));
        assertThat(backoff.next()).isEqualTo(Duration.ofMillis(400));
        assertThat(backoff.next()).isEqualTo(Duration.ofMillis(500));
        assertThat(backoff.next()).isEqualTo(Duration.ofMillis(500));
        assertThat(backoff.attempts()).isEqualTo(5);
    }

    @Test
    void resetStartsAgainFromTheFirstDelay() {
        backoff.next();
        backoff.next();
        backoff.next();

        backoff.reset();

        assertThat(backoff.attempts()).isZero();
        assertThat(backoff.next()).isEqualTo(Duration.ofMillis(100));
        assertThat(backoff.attempts()).isEqualTo(1);
    }
}
