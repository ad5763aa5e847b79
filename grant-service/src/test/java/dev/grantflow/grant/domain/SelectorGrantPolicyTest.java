package dev.grantflow.grant.domain;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.grantflow.model.fixtures.Fixtures;
import dev.grantflow.model.grant.Grant;
import dev.grantflow.model.grant.GrantKey;
import dev.grantflow.model.grant.GrantStatus;
import dev.grantflow.model.grant.StatusReason;
import dev.grantflow.model.grant.TenantCounts;
import dev.grantflow.model.json.Json;
import dev.grantflow.model.kubernetes.CompiledLabelSelector;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Selector grants' rules on plain values: selection, precedence, take-over, the copy's entry, the tally. */
class SelectorGrantPolicyTest {

    static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");

    /** A selector grant named {@code name} producing Secret {@code secret} and PodDefault {@code podDefault}. */
    static Grant selectorGrant(String name, String secret, String podDefault) {
        ObjectNode grant = Fixtures.tree("grant/v1-secret-ref.json").deepCopy();
        ObjectNode metadata = (ObjectNode) grant.get("metadata");
        metadata.remove("tenant");
        metadata.put("name", name);
        metadata.set("tenantSelector", Json.readTree("{\"matchLabels\":{\"team\":\"ml\"}}"));
        ((ObjectNode) grant.get("spec").get("secret")).put("name", secret);
        ((ObjectNode) grant.get("spec").get("podDefault")).put("name", podDefault);
        return Json.read(grant.toString(), Grant.class);
    }

    static Grant tenantGrant(String tenant, String name, String secret, String podDefault) {
        ObjectNode grant = Json.toTree(selectorGrant(name, secret, podDefault)).deepCopy();
        ObjectNode metadata = (ObjectNode) grant.get("metadata");
        metadata.remove("tenantSelector");
        metadata.put("tenant", tenant);
        return Json.read(grant.toString(), Grant.class);
    }

    static GrantLedger.SelectorGrant selecting(Grant grant) {
        return new GrantLedger.SelectorGrant(grant.grantKey(), grant,
                CompiledLabelSelector.compile(grant.metadata().tenantSelector()));
    }

    @Test
    void aTenantIsSelectedWhenConfirmedAndItsLabelsMatch() {
        GrantLedger.SelectorGrant s3 = selecting(selectorGrant("s3", "s3", "s3"));
        assertThat(SelectorGrantPolicy.selects(s3, TenantCheck.confirmed("a"), Map.of("team", "ml"))).isTrue();
        assertThat(SelectorGrantPolicy.selects(s3, TenantCheck.confirmed("a"), Map.of("team", "web"))).isFalse();
        assertThat(SelectorGrantPolicy.selects(s3, new TenantCheck("a", TenantCheck.Verdict.NOT_LABELLED, "x"),
                Map.of("team", "ml"))).isFalse();
        assertThat(SelectorGrantPolicy.selects(s3, new TenantCheck("kube-system", TenantCheck.Verdict.PROTECTED, "x"),
                Map.of("team", "ml"))).isFalse();
    }

    @Test
    void aGrantToTheTenantWinsThenTheSmallerSelectorGrantName() {
        Grant mine = selectorGrant("m-s3", "creds", "creds").in("alice");
        Grant other = tenantGrant("alice", "own", "own", "own");
        Grant sameSecret = tenantGrant("alice", "zzz", "creds", "zzz");
        Grant samePodDefault = tenantGrant("alice", "yyy", "yyy", "creds");
        assertThat(SelectorGrantPolicy.overriddenBy(mine, List.of(other), List.of(), NOW)).isEmpty();
        assertThat(SelectorGrantPolicy.overriddenBy(mine, List.of(other, sameSecret, samePodDefault), List.of(), NOW))
                .contains(samePodDefault);
        assertThat(SelectorGrantPolicy.describe(samePodDefault, "alice")).isEqualTo("grant alice/yyy to this tenant");

        GrantLedger.SelectorGrant smaller = selecting(selectorGrant("a-s3", "creds", "a"));
        GrantLedger.SelectorGrant greater = selecting(selectorGrant("z-s3", "creds", "z"));
        GrantLedger.SelectorGrant self = selecting(selectorGrant("m-s3", "creds", "creds"));
        assertThat(SelectorGrantPolicy.overriddenBy(mine, List.of(), List.of(greater, self, smaller), NOW))
                .contains(smaller.grant());
        assertThat(SelectorGrantPolicy.describe(smaller.grant(), "alice"))
                .isEqualTo("selector grant */a-s3 (between selector grants the smaller name wins)");
        assertThat(SelectorGrantPolicy.overriddenBy(mine, List.of(), List.of(greater, self), NOW)).isEmpty();
        // The same ledger on both sides: the winner never sees itself overridden by the loser.
        assertThat(SelectorGrantPolicy.overriddenBy(smaller.grant().in("alice"), List.of(), List.of(greater, self),
                NOW)).isEmpty();
    }

    @Test
    void onlyAWinnerTakesOverAndNeverAnUnmanagedOrATenantGrantsObject() {
        Secret copyOfM = object(Map.of(ManagedLabels.SELECTOR_GRANT, "m-s3"));
        Secret copyOfA = object(Map.of(ManagedLabels.SELECTOR_GRANT, "a-s3"));
        Secret tenants = object(Map.of(ManagedLabels.GRANT, "own"));
        Secret tenantsOther = object(Map.of(ManagedLabels.GRANT, "other"));
        Secret unmanaged = new SecretBuilder().withNewMetadata().withName("creds").endMetadata().build();

        assertThat(ReconcilePolicy.mayTakeOver(copyOfM, tenants, "x")).isEmpty();
        assertThat(ReconcilePolicy.mayTakeOver(copyOfM, copyOfA, "x")).isEmpty();
        assertThat(ReconcilePolicy.mayTakeOver(copyOfA, copyOfM, "x")).get().asString()
                .contains("belongs to selector grant a-s3");
        assertThat(ReconcilePolicy.mayTakeOver(tenants, copyOfA, "x")).get().asString().contains("grant own");
        assertThat(ReconcilePolicy.mayTakeOver(tenantsOther, tenants, "x")).isPresent();
        assertThat(ReconcilePolicy.mayTakeOver(unmanaged, tenants, "x")).get().asString()
                .contains("not managed by Grantflow");
        // Ownership proper stays strict: a copy is never "ours" to a grant of the same name to the tenant.
        assertThat(ReconcilePolicy.notOurs(object(Map.of(ManagedLabels.SELECTOR_GRANT, "own")), tenants, "x"))
                .isPresent();
        assertThat(ReconcilePolicy.notOurs(copyOfA, copyOfA, "x")).isEmpty();
    }

    @Test
    void theCopysEntryIsTheSelectorGrantsInItsTenant() {
        Grant grant = selectorGrant("s3", "s3", "s3");
        GrantKey copy = grant.grantKey().copyIn("alice");
        GrantEntry entry = SelectorGrantPolicy.forCopy(copy, new GrantEntry.Accepted(grant.grantKey(), grant));
        assertThat(entry.key()).isEqualTo(copy);
        Grant instantiated = ((GrantEntry.Accepted) entry).grant();
        assertThat(instantiated.metadata().tenant()).isEqualTo("alice");
        Secret desired = DesiredObjectsMapper.secret(instantiated, new SecretBuilder().withData(Map.of("k", "dg=="))
                .build(), TrustFixtures.HASH);
        assertThat(desired.getMetadata().getNamespace()).isEqualTo("alice");
        assertThat(desired.getMetadata().getLabels()).containsEntry(ManagedLabels.SELECTOR_GRANT, "s3")
                .doesNotContainKey(ManagedLabels.GRANT);
        assertThat(SelectorGrantPolicy.forCopy(copy, new GrantEntry.Revoked(grant.grantKey(), 3)))
                .isEqualTo(new GrantEntry.Revoked(copy, 3));
        assertThat(SelectorGrantPolicy.forCopy(copy, null)).isNull();
    }

    @Test
    void theSummaryIsFailedThenPendingThenApplied() {
        Grant grant = selectorGrant("s3", "s3", "s3");
        GrantKey key = grant.grantKey();
        GrantStatus failed = SelectorGrantPolicy.summary(key, grant, "team=ml", new TenantCounts(3, 1, 1, 1, 0), NOW);
        assertThat(failed.reason()).isEqualTo(StatusReason.TENANTS_FAILED.value());
        assertThat(failed.tenants()).isEqualTo(new TenantCounts(3, 1, 1, 1, 0));
        assertThat(SelectorGrantPolicy.summary(key, grant, "team=ml", new TenantCounts(3, 2, 1, 0, 0), NOW).reason())
                .isEqualTo(StatusReason.TENANTS_PENDING.value());
        GrantStatus applied = SelectorGrantPolicy.summary(key, grant, "team=ml", new TenantCounts(3, 2, 0, 0, 1), NOW);
        assertThat(applied.reason()).isEqualTo(StatusReason.APPLIED.value());
        assertThat(applied.message()).contains("team=ml").contains("3 selected: 2 applied");
        assertThat(SelectorGrantPolicy.summary(key, grant, "team=ml", TenantCounts.none(), NOW).message())
                .contains("when it appears");
        // A new tally is worth publishing even when phase and reason stay.
        assertThat(ReconcilePolicy.worthPublishing(applied, applied.withTenants(new TenantCounts(4, 3, 0, 0, 1))))
                .isTrue();
        assertThat(ReconcilePolicy.worthPublishing(applied, applied)).isFalse();
    }

    private static Secret object(Map<String, String> owner) {
        return new SecretBuilder().withNewMetadata().withName("creds").withNamespace("alice")
                .addToLabels(ManagedLabels.MANAGED_BY, ManagedLabels.MANAGED_BY_VALUE).addToLabels(owner)
                .endMetadata().build();
    }

}
