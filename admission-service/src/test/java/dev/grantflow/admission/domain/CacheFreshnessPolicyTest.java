package dev.grantflow.admission.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.grantflow.admission.domain.CacheFreshnessPolicy.Freshness;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class CacheFreshnessPolicyTest {

    static final Duration FIVE_MINUTES = Duration.ofMinutes(5);

    @Test
    void staleOnlyBeyondTheMaximum() {
        CacheFreshnessPolicy policy = new CacheFreshnessPolicy(FIVE_MINUTES, false);
        assertThat(policy.assess(true, Duration.ZERO).stale()).isFalse();
        assertThat(policy.assess(true, FIVE_MINUTES).stale()).isFalse();
        assertThat(policy.assess(true, FIVE_MINUTES.plusMillis(1)).stale()).isTrue();
        assertThat(policy.assess(true, Duration.ofMillis(-5)).age()).isEqualTo(Duration.ZERO);
    }

    @Test
    void readinessIgnoresStalenessUnlessTheOperatorOptedIn() {
        CacheFreshnessPolicy byDefault = new CacheFreshnessPolicy(FIVE_MINUTES, false);
        CacheFreshnessPolicy optedIn = new CacheFreshnessPolicy(FIVE_MINUTES, true);
        Freshness stale = byDefault.assess(true, Duration.ofMinutes(6));
        Freshness fresh = byDefault.assess(true, Duration.ofSeconds(1));
        Freshness unsynced = byDefault.assess(false, Duration.ofSeconds(1));

        assertThat(byDefault.ready(stale)).isTrue();
        assertThat(optedIn.ready(stale)).isFalse();
        assertThat(byDefault.ready(fresh)).isTrue();
        assertThat(optedIn.ready(fresh)).isTrue();
        assertThat(byDefault.ready(unsynced)).isFalse();
        assertThat(optedIn.ready(unsynced)).isFalse();
    }

    @Test
    void theFreshnessCheckIsDownWhenStaleOrNotSynced() {
        CacheFreshnessPolicy policy = new CacheFreshnessPolicy(FIVE_MINUTES, false);
        assertThat(policy.fresh(policy.assess(true, Duration.ofSeconds(1)))).isTrue();
        assertThat(policy.fresh(policy.assess(true, Duration.ofMinutes(6)))).isFalse();
        assertThat(policy.fresh(policy.assess(false, Duration.ofSeconds(1)))).isFalse();
    }

    @Test
    void theMaximumMustBePositive() {
        assertThatThrownBy(() -> new CacheFreshnessPolicy(Duration.ZERO, false))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
