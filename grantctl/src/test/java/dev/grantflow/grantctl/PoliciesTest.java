package dev.grantflow.grantctl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.grantflow.grantctl.domain.DurationSyntax;
import dev.grantflow.grantctl.domain.ExitCode;
import dev.grantflow.grantctl.domain.GenerationPolicy;
import dev.grantflow.grantctl.domain.GrantctlFailure;
import dev.grantflow.grantctl.domain.WaitPolicy;
import dev.grantflow.model.grant.GrantKey;
import dev.grantflow.model.grant.GrantStatus;
import dev.grantflow.model.grant.StatusReason;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class PoliciesTest {

    private static final GrantKey KEY = new GrantKey("alice", "test-secret");
    private static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");

    @ParameterizedTest
    @CsvSource({"Applied, 3, 0", "TenantAbsent, 3, 0", "Revoked, 4, 0", "InvalidGrant, 3, 2", "SignatureMissing, 3, 2",
            "SourceMissing, 3, 3", "KubernetesError, 5, 3"})
    void aStatusOfTheGenerationOrLaterEndsTheWaitByPhase(String reason, long generation, int exit) {
        GrantStatus status = GrantStatus.of(KEY, generation, StatusReason.fromValue(reason).orElseThrow(), "m", NOW);
        assertThat(WaitPolicy.answer(KEY, 3, status).map(ExitCode::code)).contains(exit);
    }

    @Test
    void olderGenerationsAndOtherKeysDoNotEndTheWait() {
        assertThat(WaitPolicy.answer(KEY, 3, GrantStatus.of(KEY, 2, StatusReason.APPLIED, "m", NOW))).isEmpty();
        assertThat(WaitPolicy.answer(KEY, 3, GrantStatus.of(new GrantKey("bob", "test-secret"), 3,
                StatusReason.APPLIED, "m", NOW))).isEmpty();
        assertThat(WaitPolicy.answer(KEY, 3, null)).isEmpty();
    }

    @Test
    void generationCountsGrantsRevocationsAndStatuses() {
        GenerationPolicy policy = new GenerationPolicy();
        assertThat(policy.next()).isEqualTo(1);
        policy.seeGrantsValue("{\"kind\":\"Grant\",\"metadata\":{\"generation\":4}}".getBytes(StandardCharsets.UTF_8));
        policy.seeGrantsValue("{\"kind\":\"GrantRevocation\",\"metadata\":{\"generation\":5}}".getBytes(StandardCharsets.UTF_8));
        policy.seeGrantsValue(null);
        policy.seeGrantsValue("not json".getBytes(StandardCharsets.UTF_8));
        policy.seeGrantsValue("{\"metadata\":{\"generation\":\"9\"}}".getBytes(StandardCharsets.UTF_8));
        assertThat(policy.next()).isEqualTo(6);
        policy.see(7);
        assertThat(policy.next()).isEqualTo(8);
    }

    @ParameterizedTest
    @CsvSource({"500ms, PT0.5S", "45s, PT45S", "15m, PT15M", "12h, PT12H", "30d, PT720H", "PT1H30M, PT1H30M"})
    void durations(String text, String expected) {
        assertThat(DurationSyntax.parse("--timeout", text)).isEqualTo(Duration.parse(expected));
    }

    @Test
    void expiryIsADurationAfterIssueOrAnRfc3339Time() {
        assertThat(DurationSyntax.expiry("30d", NOW)).isEqualTo(NOW.plus(Duration.ofDays(30)));
        assertThat(DurationSyntax.expiry("2027-01-31T18:00:00+01:00", NOW)).isEqualTo(Instant.parse("2027-01-31T17:00:00Z"));
        assertThatThrownBy(() -> DurationSyntax.expiry("soon", NOW)).isInstanceOf(GrantctlFailure.class)
                .hasMessageContaining("--expires 'soon'");
        assertThatThrownBy(() -> DurationSyntax.expiry("2027-13-01T00:00:00Z", NOW))
                .hasMessageContaining("RFC 3339");
    }

    @ParameterizedTest
    @CsvSource({"0, 0s", "119, 119s", "120, 2m", "7199, 119m", "7200, 2h", "172799, 47h", "172800, 2d"})
    void ages(long seconds, String age) {
        assertThat(DurationSyntax.age(Duration.ofSeconds(seconds))).isEqualTo(age);
    }
}
