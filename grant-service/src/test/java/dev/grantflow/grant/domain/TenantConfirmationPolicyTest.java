package dev.grantflow.grant.domain;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.grantflow.model.fixtures.Fixtures;
import dev.grantflow.model.grant.Grant;
import dev.grantflow.model.grant.GrantKey;
import dev.grantflow.model.grant.GrantPhase;
import dev.grantflow.model.grant.StatusReason;
import dev.grantflow.model.json.Json;
import dev.grantflow.model.kubernetes.CompiledLabelSelector;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Which namespaces are tenants to write into, and the refusal of protected ones, on plain values. */
class TenantConfirmationPolicyTest {

    static final Instant NOW = Instant.parse("2026-11-26T12:00:00Z");
    static final String PROFILE = "app.kubernetes.io/part-of=kubeflow-profile";

    final TenantConfirmationPolicy policy = new TenantConfirmationPolicy(CompiledLabelSelector.parse(PROFILE),
            "grantflow", "grantflow-sources", List.of("team-admin", " ", "platform "));

    /**
     * Columns: namespace name; its labels ({@code k=v;k=v}, {@code -} for none); terminating; {@code absent} when the
     * informer holds no such namespace; the verdict; the detail it carries.
     */
    @ParameterizedTest(name = "{0} {1} terminating={2} {3} -> {4}")
    @CsvSource(delimiter = '|', nullValues = "null", textBlock = """
            alice             | app.kubernetes.io/part-of=kubeflow-profile | false | present | CONFIRMED    |
            alice             | app.kubernetes.io/part-of=kubeflow-profile;team=a | false | present | CONFIRMED |
            alice             | -                                          | false | present | NOT_LABELLED | app.kubernetes.io/part-of=kubeflow-profile
            alice             | app.kubernetes.io/part-of=other            | false | present | NOT_LABELLED | app.kubernetes.io/part-of=kubeflow-profile
            alice             | app.kubernetes.io/part-of=kubeflow-profile | true  | present | TERMINATING  |
            alice             | -                                          | false | absent  | ABSENT       |
            kube-system       | app.kubernetes.io/part-of=kubeflow-profile | false | present | PROTECTED    | a Kubernetes system namespace
            kube-public       | app.kubernetes.io/part-of=kubeflow-profile | false | present | PROTECTED    | a Kubernetes system namespace
            kube-node-lease   | -                                          | false | absent  | PROTECTED    | a Kubernetes system namespace
            grantflow         | app.kubernetes.io/part-of=kubeflow-profile | false | present | PROTECTED    | grant-service's own namespace
            grantflow-sources | app.kubernetes.io/part-of=kubeflow-profile | false | present | PROTECTED    | the source namespace
            team-admin        | app.kubernetes.io/part-of=kubeflow-profile | false | present | PROTECTED    | configured in grantflow.grants.tenants.protected-namespaces
            platform          | app.kubernetes.io/part-of=kubeflow-profile | false | present | PROTECTED    | configured in grantflow.grants.tenants.protected-namespaces
            """)
    void verdicts(String name, String labels, boolean terminating, String presence, TenantCheck.Verdict verdict,
            String detail) {
        TenantNamespace namespace = "absent".equals(presence) ? null
                : new TenantNamespace(name, labels(labels), terminating);
        TenantCheck check = policy.check(name, namespace);
        assertThat(check.verdict()).isEqualTo(verdict);
        assertThat(check.namespace()).isEqualTo(name);
        assertThat(check.detail()).isEqualTo(detail == null ? "" : detail);
        assertThat(check.confirmed()).isEqualTo(verdict == TenantCheck.Verdict.CONFIRMED);
        if (check.confirmed()) {
            assertThat(check.describe()).isEmpty();
        } else {
            assertThat(check.describe()).startsWith("namespace '" + name + "' ").contains(check.detail());
        }
    }

    /** Set-based selectors are evaluated in memory, as namespace-watcher does (ADR 2). */
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            tier=profile                              | CONFIRMED
            tier=team                                 | CONFIRMED
            tier=system                               | NOT_LABELLED
            tier=profile;grantflow.dev/excluded=true  | NOT_LABELLED
            -                                         | NOT_LABELLED
            """)
    void setBasedSelectors(String labels, TenantCheck.Verdict verdict) {
        TenantConfirmationPolicy setBased = new TenantConfirmationPolicy(
                CompiledLabelSelector.parse("tier in (profile,team),!grantflow.dev/excluded"), null,
                "grantflow-sources", List.of());
        assertThat(setBased.check("alice", new TenantNamespace("alice", labels(labels), false)).verdict())
                .isEqualTo(verdict);
    }

    @Test
    void theProtectedNamespacesAreTheSystemOnesTheOwnTheSourceAndTheConfiguredOnes() {
        assertThat(policy.protectedNamespaces()).containsOnlyKeys("kube-system", "kube-public", "kube-node-lease",
                "grantflow", "grantflow-sources", "team-admin", "platform");
        TenantConfirmationPolicy unknownOwn = new TenantConfirmationPolicy(CompiledLabelSelector.parse(PROFILE), null,
                "grantflow-sources", List.of());
        assertThat(unknownOwn.protectedNamespaces()).containsOnlyKeys("kube-system", "kube-public",
                "kube-node-lease", "grantflow-sources");
    }

    /**
     * A protected tenant is refused before every reconcile rule: even an expired grant or a tombstone, which the
     * reconcile policy answers with deletions, deletes nothing there.
     */
    @Test
    void aProtectedTenantIsRefusedBeforeExpiryOrRevocationCouldDeleteAnything() {
        GrantKey key = new GrantKey("kube-system", "test-secret");
        Secret copy = managedCopy(key);
        TenantCheck check = policy.check("kube-system", new TenantNamespace("kube-system", labels(PROFILE), false));
        ReconcilePolicy reconcile = new ReconcilePolicy("grantflow-sources", TrustFixtures.HASH, false);

        ReconcileInput expired = input(key, grant(key, g -> ((ObjectNode) g.get("spec"))
                .put("expiresAt", NOW.minusSeconds(1).toString())), false, List.of(copy), check);
        assertThat(reconcile.plan(expired).actions()).as("what the reconcile policy alone would do").isNotEmpty();
        ReconcilePlan refused = TenantConfirmationPolicy.protectedTenant(expired).orElseThrow();
        assertThat(refused.actions()).isEmpty();
        assertThat(refused.status().phase()).isEqualTo(GrantPhase.REJECTED);
        assertThat(refused.status().reason()).isEqualTo(StatusReason.PROTECTED_NAMESPACE.value());
        assertThat(refused.status().message()).contains("namespace 'kube-system' is protected (a Kubernetes system "
                + "namespace)").contains("1 object(s) of this grant found there are left in place");

        ReconcileInput tombstone = input(key, null, true, List.of(copy), check);
        assertThat(reconcile.plan(tombstone).actions()).isNotEmpty();
        assertThat(TenantConfirmationPolicy.protectedTenant(tombstone).orElseThrow().actions()).isEmpty();

        ReconcileInput fresh = input(key, grant(key, g -> { }), false, List.of(), check);
        ReconcilePlan freshPlan = TenantConfirmationPolicy.protectedTenant(fresh).orElseThrow();
        assertThat(freshPlan.actions()).isEmpty();
        assertThat(freshPlan.status().generation()).isEqualTo(1);
        assertThat(freshPlan.status().message()).doesNotContain("left in place");

        // Nothing granted and nothing there: the reconcile policy reports the revocation (it deletes nothing).
        assertThat(TenantConfirmationPolicy.protectedTenant(input(key, null, true, List.of(), check))).isEmpty();
    }

    @Test
    void anyOtherTenantIsLeftToTheReconcilePolicy() {
        GrantKey key = new GrantKey("alice", "test-secret");
        for (TenantCheck check : List.of(TenantCheck.confirmed("alice"), policy.check("alice", null))) {
            assertThat(TenantConfirmationPolicy.protectedTenant(input(key, grant(key, g -> { }), false,
                    List.of(managedCopy(key)), check))).isEmpty();
        }
    }

    static ReconcileInput input(GrantKey key, GrantEntry entry, boolean tombstoned, List<Secret> secrets,
            TenantCheck check) {
        return new ReconcileInput(key, entry, tombstoned, true, true, null, secrets, List.of(), NOW, "topic-A", null, null,
                check);
    }

    static GrantEntry grant(GrantKey key, java.util.function.Consumer<ObjectNode> customize) {
        ObjectNode tree = (ObjectNode) Fixtures.tree("grant/v1-secret-ref.json");
        ((ObjectNode) tree.get("metadata")).put("tenant", key.tenant()).put("name", key.name());
        customize.accept(tree);
        Grant grant = Json.read(tree.toString(), Grant.class);
        return new GrantEntry.Accepted(grant.grantKey(), grant);
    }

    static Secret managedCopy(GrantKey key) {
        return new SecretBuilder().withNewMetadata().withName(key.name()).withNamespace(key.tenant())
                .addToLabels(ManagedLabels.MANAGED_BY, ManagedLabels.MANAGED_BY_VALUE)
                .addToLabels(ManagedLabels.GRANT, key.name()).addToAnnotations(ManagedLabels.GENERATION, "1")
                .addToAnnotations(ManagedLabels.GRANTS_TOPIC, "topic-A").endMetadata()
                .withData(Map.of("foo", "dg==")).build();
    }

    static Map<String, String> labels(String text) {
        Map<String, String> labels = new HashMap<>();
        if (text != null && !"-".equals(text)) {
            for (String pair : text.split(";")) {
                String[] kv = pair.split("=", 2);
                labels.put(kv[0], kv[1]);
            }
        }
        return labels;
    }
}
