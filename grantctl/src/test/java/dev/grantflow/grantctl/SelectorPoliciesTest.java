package dev.grantflow.grantctl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.grantflow.grantctl.domain.ExitCode;
import dev.grantflow.grantctl.domain.GrantMapper;
import dev.grantflow.grantctl.domain.GrantRequest;
import dev.grantflow.grantctl.domain.GrantTarget;
import dev.grantflow.grantctl.domain.GrantctlFailure;
import dev.grantflow.grantctl.domain.SelectorSummaryMapper;
import dev.grantflow.grantctl.domain.StatusFilter;
import dev.grantflow.grantctl.domain.StatusTableMapper;
import dev.grantflow.grantctl.domain.WaitPolicy;
import dev.grantflow.model.grant.Grant;
import dev.grantflow.model.grant.GrantKey;
import dev.grantflow.model.grant.GrantRevocation;
import dev.grantflow.model.grant.GrantStatus;
import dev.grantflow.model.grant.GrantValidationPolicy;
import dev.grantflow.model.grant.SecretSource;
import dev.grantflow.model.grant.StatusReason;
import dev.grantflow.model.grant.TenantCounts;
import dev.grantflow.model.json.Json;
import dev.grantflow.model.kubernetes.CompiledLabelSelector;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The pure parts of selector grants in grantctl: target, record mapping, waiting, status rows and their filter. */
class SelectorPoliciesTest {

    private static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");
    private static final GrantKey SELECTOR = GrantKey.selector("ml-token");

    private static GrantStatus summary(long generation, StatusReason reason, TenantCounts counts) {
        return GrantStatus.of(SELECTOR, generation, reason, "m", NOW).withTenants(counts);
    }

    @Test
    void aTenantSelectorMakesASelectorGrantKeyAndAnEquivalentLabelSelector() {
        GrantTarget target = GrantTarget.forGrant(null, "team=ml, env in (prod,dev),!legacy", "ml-token");

        assertThat(target.key()).isEqualTo(SELECTOR);
        assertThat(target.isSelector()).isTrue();
        assertThat(target.sealingTenant()).isEqualTo("*");
        assertThat(target.selectsEveryTenant()).isFalse();
        CompiledLabelSelector sent = CompiledLabelSelector.compile(target.selector());
        assertThat(sent.matches(Map.of("team", "ml", "env", "dev"))).isTrue();
        assertThat(sent.matches(Map.of("team", "ml", "env", "qa"))).isFalse();
        assertThat(sent.matches(Map.of("team", "ml", "env", "prod", "legacy", "yes"))).isFalse();
        assertThat(sent.matches(Map.of("env", "prod"))).isFalse();

        GrantTarget every = GrantTarget.forGrant(null, "", "ml-token");
        assertThat(every.selectsEveryTenant()).isTrue();
        assertThat(CompiledLabelSelector.compile(every.selector()).matches(Map.of("any", "thing"))).isTrue();

        GrantTarget one = GrantTarget.forGrant("alice", null, "ml-token");
        assertThat(one.key()).isEqualTo(new GrantKey("alice", "ml-token"));
        assertThat(one.selector()).isNull();
        assertThat(one.sealingTenant()).isEqualTo("alice");
    }

    @Test
    void tenantAndTenantSelectorAreExclusiveAndOneIsNeeded() {
        assertThatThrownBy(() -> GrantTarget.forGrant("alice", "team=ml", "x"))
                .isInstanceOfSatisfying(GrantctlFailure.class, f -> assertThat(f.exitCode()).isEqualTo(ExitCode.USAGE))
                .hasMessageContaining("--tenant").hasMessageContaining("--tenant-selector").hasMessageContaining("not both");
        assertThatThrownBy(() -> GrantTarget.forGrant(null, null, "x"))
                .hasMessageContaining("--tenant TENANT").hasMessageContaining("--tenant-selector SELECTOR");
        assertThatThrownBy(() -> GrantTarget.named("alice", true, "x"))
                .hasMessageContaining("--tenant").hasMessageContaining("--selector-grant").hasMessageContaining("not both");
        assertThatThrownBy(() -> GrantTarget.named(null, false, "x"))
                .hasMessageContaining("--tenant TENANT").hasMessageContaining("--selector-grant");
        assertThat(GrantTarget.named(null, true, "x").key()).isEqualTo(GrantKey.selector("x"));
        assertThat(GrantTarget.named("alice", false, "x").key()).isEqualTo(new GrantKey("alice", "x"));
    }

    @Test
    void anInvalidSelectorIsAUsageErrorWithTheEnginesMessage() {
        assertThatThrownBy(() -> GrantTarget.forGrant(null, "team in ml", "x"))
                .isInstanceOfSatisfying(GrantctlFailure.class, f -> assertThat(f.exitCode()).isEqualTo(ExitCode.USAGE))
                .hasMessageStartingWith("--tenant-selector: Invalid label selector 'team in ml'");
        assertThatThrownBy(() -> GrantTarget.forGrant(null, "team=not ok", "x"))
                .hasMessageContaining("Invalid label selector");
        assertThatThrownBy(() -> GrantTarget.forGrant(null, "team=ml,,env=dev", "x"))
                .hasMessageContaining("empty requirement");
    }

    @Test
    void starIsNoTenantAndACopyIsNoGrant() {
        assertThatThrownBy(() -> GrantTarget.forGrant("*", null, "x")).hasMessageContaining("--tenant-selector");
        assertThatThrownBy(() -> GrantTarget.named("*", false, "x")).hasMessageContaining("--selector-grant");
        assertThatThrownBy(() -> GrantTarget.named("alice", false, "*x"))
                .hasMessageContaining("selector grant's copy").hasMessageContaining("(x)");
    }

    @Test
    void aSelectorGrantAndItsRevocationAreValidUnderTheSelectorKey() {
        GrantTarget target = GrantTarget.forGrant(null, "team=ml", "ml-token");
        Grant grant = GrantMapper.grant(new GrantRequest(target.key(), target.selector(), 3, NOW, "admin",
                "Opaque", SecretSource.ofSecretRef("grantflow-sources", "ml-token"), null, "/secret/ml", List.of(),
                null, null, null));

        assertThat(GrantValidationPolicy.violations(grant, SELECTOR)).isEmpty();
        assertThat(grant.key()).isEqualTo("*/ml-token");
        JsonNode metadata = Json.readTree(Json.write(grant)).path("metadata");
        assertThat(metadata.has("tenant")).isFalse();
        assertThat(metadata.path("tenantSelector").path("matchLabels").path("team").asText()).isEqualTo("ml");
        assertThat(metadata.path("generation").asLong()).isEqualTo(3);
        assertThat(GrantValidationPolicy.violations(grant, new GrantKey("alice", "ml-token"))).isNotEmpty();

        GrantRevocation revocation = GrantMapper.revocation(SELECTOR, 4, NOW, "admin");
        assertThat(GrantValidationPolicy.revocationViolations(revocation, SELECTOR)).isEmpty();
        assertThat(revocation.metadata().key()).contains(SELECTOR);
        assertThat(GrantMapper.revocation(new GrantKey("alice", "x"), 1, NOW, null).metadata().tenant())
                .isEqualTo("alice");
    }

    @ParameterizedTest
    @CsvSource({"TenantsPending, 3, -1", "Applied, 3, 0", "Applied, 4, 0", "TenantsFailed, 3, 3", "Revoked, 3, 0",
            "InvalidGrant, 3, 2", "SignerOutOfScope, 3, 2", "Applied, 2, -1"})
    void aSelectorGrantsWaitEndsAtItsSummaryUnlessTenantsArePending(String reason, long generation, int exit) {
        GrantStatus status = summary(generation, StatusReason.fromValue(reason).orElseThrow(),
                new TenantCounts(5, 3, 1, 1, 0));
        assertThat(WaitPolicy.answer(SELECTOR, 3, status).map(ExitCode::code).orElse(-1)).isEqualTo(exit);
        assertThat(WaitPolicy.concerns(SELECTOR, 3, status)).isEqualTo(generation >= 3);
    }

    @Test
    void aCopysStatusDoesNotAnswerTheSelectorGrant() {
        GrantStatus copy = GrantStatus.of(SELECTOR.copyIn("alice"), 3, StatusReason.APPLIED, "m", NOW);
        assertThat(WaitPolicy.answer(SELECTOR, 3, copy)).isEmpty();
        assertThat(WaitPolicy.concerns(SELECTOR, 3, copy)).isFalse();
        // A tenant grant's Pending still ends its wait (exit 0), as before.
        GrantKey alice = new GrantKey("alice", "x");
        assertThat(WaitPolicy.answer(alice, 1, GrantStatus.of(alice, 1, StatusReason.TENANT_ABSENT, "m", NOW)))
                .contains(ExitCode.OK);
    }

    @Test
    void theTenantsCellShowsTheCounts() {
        assertThat(StatusTableMapper.tenants(new TenantCounts(5, 3, 1, 1, 0)))
                .isEqualTo("3/5 applied, 1 pending, 1 failed, 0 overridden");
        assertThat(StatusTableMapper.tenants(TenantCounts.none())).isEqualTo("0 selected");
        assertThat(StatusTableMapper.tenants(null)).isEqualTo("-");
        List<String> row = StatusTableMapper.row(summary(2, StatusReason.TENANTS_PENDING,
                new TenantCounts(5, 3, 2, 0, 0)), NOW.plusSeconds(30));
        assertThat(row).containsExactly("*", "ml-token", "Pending", "TenantsPending", "2",
                "3/5 applied, 2 pending, 0 failed, 0 overridden", "30s", "m");
        assertThat(StatusTableMapper.row(GrantStatus.of(new GrantKey("alice", "x"), 1, StatusReason.APPLIED, "m",
                NOW), NOW).get(5)).isEqualTo("-");
    }

    @Test
    void copiesAreFoldedUnlessAskedForPerTenantOrOneTenant() {
        GrantStatus selector = summary(1, StatusReason.APPLIED, new TenantCounts(2, 2, 0, 0, 0));
        GrantStatus aliceCopy = GrantStatus.of(SELECTOR.copyIn("alice"), 1, StatusReason.APPLIED, "m", NOW);
        GrantStatus bobCopy = GrantStatus.of(SELECTOR.copyIn("bob"), 1, StatusReason.OVERRIDDEN, "m", NOW);
        GrantStatus aliceGrant = GrantStatus.of(new GrantKey("alice", "ml-token"), 1, StatusReason.APPLIED, "m", NOW);
        GrantStatus other = GrantStatus.of(new GrantKey("alice", "other"), 1, StatusReason.APPLIED, "m", NOW);
        List<GrantStatus> all = List.of(selector, aliceCopy, bobCopy, aliceGrant, other);

        assertThat(shown(new StatusFilter(null, null, false), all)).containsExactly(selector, aliceGrant, other);
        assertThat(shown(new StatusFilter(null, "ml-token", false), all)).containsExactly(selector, aliceGrant);
        assertThat(shown(new StatusFilter(null, "ml-token", true), all))
                .containsExactly(selector, aliceCopy, bobCopy, aliceGrant);
        assertThat(shown(new StatusFilter("alice", null, false), all)).containsExactly(aliceCopy, aliceGrant, other);
        assertThat(shown(new StatusFilter("*", null, true), all)).containsExactly(selector);
        assertThat(new StatusFilter(null, null, false).shown(null)).isEmpty();
    }

    private static List<GrantStatus> shown(StatusFilter filter, List<GrantStatus> statuses) {
        return statuses.stream().filter(s -> filter.shown(s).isPresent()).toList();
    }

    @Test
    void theSummaryNotesSayWhatTheCountsMean() {
        assertThat(SelectorSummaryMapper.notes(SELECTOR, summary(1, StatusReason.APPLIED, TenantCounts.none())))
                .singleElement().asString().contains("selected 0").contains("applies to tenants as they appear");
        assertThat(SelectorSummaryMapper.notes(SELECTOR, summary(1, StatusReason.APPLIED,
                new TenantCounts(3, 2, 0, 0, 1))))
                .containsExactly("*/ml-token: 3 selected: 2 applied, 0 pending, 0 failed, 1 overridden",
                        "1 tenant(s) keep another grant that takes precedence over this one (same Secret or PodDefault "
                                + "name); see which: grantctl status --grant ml-token --per-tenant");
        assertThat(SelectorSummaryMapper.notes(SELECTOR, summary(1, StatusReason.TENANTS_FAILED,
                new TenantCounts(3, 2, 0, 1, 0)))).last().asString().startsWith("1 tenant(s) failed");
        assertThat(SelectorSummaryMapper.notes(SELECTOR, summary(1, StatusReason.REVOKED, TenantCounts.none())))
                .isEmpty();
        assertThat(SelectorSummaryMapper.notes(new GrantKey("alice", "x"),
                GrantStatus.of(new GrantKey("alice", "x"), 1, StatusReason.APPLIED, "m", NOW))).isEmpty();
        assertThat(SelectorSummaryMapper.progress(summary(1, StatusReason.TENANTS_PENDING,
                new TenantCounts(2, 1, 1, 0, 0)))).isEqualTo(" (2 selected: 1 applied, 1 pending, 0 failed, 0 overridden)");
        assertThat(SelectorSummaryMapper.progress(null)).isEmpty();
    }
}
