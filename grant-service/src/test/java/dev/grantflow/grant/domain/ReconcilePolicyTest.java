package dev.grantflow.grant.domain;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.grantflow.model.fixtures.Fixtures;
import dev.grantflow.model.grant.Grant;
import dev.grantflow.model.grant.GrantKey;
import dev.grantflow.model.grant.GrantPhase;
import dev.grantflow.model.grant.StatusReason;
import dev.grantflow.model.json.Json;
import dev.grantflow.model.poddefault.PodDefault;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The reconcile decision, rule by rule, on plain values. */
class ReconcilePolicyTest {

    static final Instant NOW = Instant.parse("2026-11-26T12:00:00Z");
    static final GrantKey KEY = new GrantKey("alice", "test-secret");
    static final String SECRET_VALUE = "s3cr3t-value";
    static final String TOPIC = "grants-topic-id-A";
    static final TenantCheck CONFIRMED = TenantCheck.confirmed("alice");

    final ReconcilePolicy policy = new ReconcilePolicy("grantflow-sources", TrustFixtures.HASH, false);

    @Test
    void freshGrantCreatesTheSecretThenThePodDefault() {
        ReconcilePlan plan = policy.plan(input(accepted(g -> { }), true, source(), List.of(), List.of()));

        assertThat(plan.actions()).extracting(KubeAction::describe)
                .containsExactly("Secret alice/test-secret", "PodDefault alice/test-secret");
        assertThat(plan.actions()).allMatch(a -> a instanceof KubeAction.Upsert u && u.existing() == null);
        Secret secret = (Secret) plan.actions().get(0).object();
        assertThat(secret.getData()).isEqualTo(source().getData());
        assertThat(secret.getType()).isEqualTo("Opaque");
        assertThat(plan.status().phase()).isEqualTo(GrantPhase.APPLIED);
        assertThat(plan.status().message()).doesNotContain(SECRET_VALUE).doesNotContain(b64(SECRET_VALUE));
    }

    @Test
    void stateThatIsAlreadyRightNeedsNoWrite() {
        ReconcilePlan first = policy.plan(input(accepted(g -> { }), true, source(), List.of(), List.of()));
        ReconcilePlan again = policy.plan(input(accepted(g -> { }), true, source(), List.of(asRead(secretOf(first))),
                List.of(asRead(podDefaultOf(first)))));
        assertThat(again.actions()).isEmpty();
        assertThat(again.status().phase()).isEqualTo(GrantPhase.APPLIED);
    }

    @Test
    void editedCopyIsDriftEvenWithItsAnnotationsIntact() {
        ReconcilePlan first = policy.plan(input(accepted(g -> { }), true, source(), List.of(), List.of()));
        Secret tampered = asRead(secretOf(first));
        tampered.getData().put("foo", b64("tampered"));
        ReconcilePlan plan = policy.plan(input(accepted(g -> { }), true, source(), List.of(tampered),
                List.of(asRead(podDefaultOf(first)))));
        assertThat(plan.actions()).singleElement().satisfies(a -> {
            assertThat(a).isInstanceOf(KubeAction.Upsert.class);
            assertThat(((KubeAction.Upsert) a).existing()).isSameAs(tampered);
        });
    }

    @Test
    void sourceRotationUpdatesTheCopy() {
        ReconcilePlan first = policy.plan(input(accepted(g -> { }), true, source(), List.of(), List.of()));
        Secret rotated = new SecretBuilder(source()).withData(Map.of("foo", b64("rotated"))).build();
        ReconcilePlan plan = policy.plan(input(accepted(g -> { }), true, rotated, List.of(asRead(secretOf(first))),
                List.of(asRead(podDefaultOf(first)))));
        assertThat(plan.actions()).singleElement().extracting(KubeAction::describe)
                .isEqualTo("Secret alice/test-secret");
        assertThat(((Secret) plan.actions().get(0).object()).getData()).containsEntry("foo", b64("rotated"));
    }

    @Test
    void renamedObjectsAreReplaced() {
        ReconcilePlan first = policy.plan(input(accepted(g -> { }), true, source(), List.of(), List.of()));
        ReconcilePlan plan = policy.plan(input(accepted(g -> {
            ((ObjectNode) g.get("spec").get("secret")).put("name", "renamed");
            ((ObjectNode) g.get("spec").get("podDefault")).put("name", "renamed");
        }), true, source(), List.of(asRead(secretOf(first))), List.of(asRead(podDefaultOf(first)))));
        assertThat(plan.actions()).extracting(a -> a.getClass().getSimpleName() + " " + a.describe()).containsExactly(
                "Delete PodDefault alice/test-secret",
                "Upsert Secret alice/renamed",
                "Upsert PodDefault alice/renamed",
                "Delete Secret alice/test-secret");
    }

    @Test
    void tenantAbsentIsPendingAndRemovesCopiesLeftBehind() {
        ReconcilePlan fresh = policy.plan(input(accepted(g -> { }), false, source(), List.of(), List.of()));
        assertThat(fresh.actions()).isEmpty();
        assertThat(fresh.status().reason()).isEqualTo(StatusReason.TENANT_ABSENT.value());
        assertThat(fresh.status().phase()).isEqualTo(GrantPhase.PENDING);

        ReconcilePlan applied = policy.plan(input(accepted(g -> { }), true, source(), List.of(), List.of()));
        ReconcilePlan gone = policy.plan(input(accepted(g -> { }), false, source(),
                List.of(asRead(secretOf(applied))), List.of(asRead(podDefaultOf(applied)))));
        assertThat(gone.actions()).extracting(a -> a.getClass().getSimpleName() + " " + a.describe())
                .containsExactly("Delete PodDefault alice/test-secret", "Delete Secret alice/test-secret");
        assertThat(gone.status().phase()).isEqualTo(GrantPhase.PENDING);
    }

    /**
     * The topic announces the tenant, the Namespace informer does not confirm it: nothing is written, copies left there
     * are collected (under the budget) like those of an absent tenant, and the message says what is missing.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("unconfirmedTenants")
    void anAnnouncedTenantThatIsNotConfirmedIsPendingAndWritesNothing(TenantCheck.Verdict verdict, String missing) {
        TenantCheck check = new TenantCheck("alice", verdict, "app.kubernetes.io/part-of=kubeflow-profile");
        ReconcilePlan fresh = policy.plan(input(accepted(g -> { }), true, check, source(), List.of(), List.of()));
        assertThat(fresh.actions()).isEmpty();
        assertThat(fresh.status().phase()).isEqualTo(GrantPhase.PENDING);
        assertThat(fresh.status().reason()).isEqualTo(StatusReason.TENANT_UNCONFIRMED.value());
        assertThat(fresh.status().message()).contains("namespace 'alice' " + missing)
                .contains("nothing is written");

        ReconcilePlan applied = policy.plan(input(accepted(g -> { }), true, source(), List.of(), List.of()));
        ReconcilePlan unconfirmed = policy.plan(input(accepted(g -> { }), true, check, source(),
                List.of(asRead(secretOf(applied))), List.of(asRead(podDefaultOf(applied)))));
        assertThat(unconfirmed.actions()).extracting(a -> a.getClass().getSimpleName() + " " + a.describe())
                .containsExactly("Delete PodDefault alice/test-secret", "Delete Secret alice/test-secret");
        assertThat(unconfirmed.collection()).as("no record asked for it: under the budget").isTrue();
        assertThat(unconfirmed.status().reason()).isEqualTo(StatusReason.TENANT_UNCONFIRMED.value());
    }

    static Stream<Arguments> unconfirmedTenants() {
        return Stream.of(
                Arguments.of(TenantCheck.Verdict.ABSENT, "does not exist"),
                Arguments.of(TenantCheck.Verdict.TERMINATING, "is terminating"),
                Arguments.of(TenantCheck.Verdict.NOT_LABELLED,
                        "is not labelled as a tenant (selector 'app.kubernetes.io/part-of=kubeflow-profile')"));
    }

    /** Not announced on the topic: TenantAbsent as before, whatever the informer says. */
    @Test
    void aTenantTheTopicDoesNotAnnounceIsAbsentEvenIfTheNamespaceIsLabelled() {
        ReconcilePlan plan = policy.plan(input(accepted(g -> { }), false, CONFIRMED, source(), List.of(), List.of()));
        assertThat(plan.actions()).isEmpty();
        assertThat(plan.status().reason()).isEqualTo(StatusReason.TENANT_ABSENT.value());
    }

    /** Should a protected tenant reach the tenant rule (the reconciler refuses it before), nothing is deleted. */
    @Test
    void aProtectedTenantIsRejectedAndItsObjectsAreLeftAlone() {
        TenantCheck kubeSystem = new TenantCheck("alice", TenantCheck.Verdict.PROTECTED,
                "a Kubernetes system namespace");
        ReconcilePlan applied = policy.plan(input(accepted(g -> { }), true, source(), List.of(), List.of()));
        for (boolean announced : new boolean[] {true, false}) {
            ReconcilePlan plan = policy.plan(input(accepted(g -> { }), announced, kubeSystem, source(),
                    List.of(asRead(secretOf(applied))), List.of(asRead(podDefaultOf(applied)))));
            assertThat(plan.actions()).isEmpty();
            assertThat(plan.collection()).isFalse();
            assertThat(plan.status().phase()).isEqualTo(GrantPhase.REJECTED);
            assertThat(plan.status().reason()).isEqualTo(StatusReason.PROTECTED_NAMESPACE.value());
        }
    }

    @Test
    void missingSourceOrMissingKeysFailWithoutTouchingCopies() {
        ReconcilePlan noSource = policy.plan(input(accepted(g -> { }), true, null, List.of(), List.of()));
        assertThat(noSource.actions()).isEmpty();
        assertThat(noSource.status().reason()).isEqualTo(StatusReason.SOURCE_MISSING.value());

        ReconcilePlan missingKey = policy.plan(input(accepted(g -> ((ObjectNode) g.get("spec").get("podDefault"))
                .putArray("env").addObject().put("name", "TOKEN").put("key", "token")), true, source(),
                List.of(), List.of()));
        assertThat(missingKey.status().reason()).isEqualTo(StatusReason.SOURCE_MISSING.value());
        assertThat(missingKey.status().message()).contains("[token]").doesNotContain(b64(SECRET_VALUE));
    }

    @Test
    void olderGenerationThanTheAppliedOneIsLeftAlone() {
        ReconcilePlan applied = policy.plan(input(accepted(g -> ((ObjectNode) g.get("metadata"))
                .put("generation", 3)), true, source(), List.of(), List.of()));
        ReconcilePlan stale = policy.plan(input(accepted(g -> ((ObjectNode) g.get("metadata"))
                .put("generation", 2)), true, source(), List.of(asRead(secretOf(applied))),
                List.of(asRead(podDefaultOf(applied)))));
        assertThat(stale.actions()).isEmpty();
        assertThat(stale.status().reason()).isEqualTo(StatusReason.STALE_GENERATION.value());
        assertThat(stale.status().generation()).isEqualTo(2);
    }

    @Test
    void expiredGrantIsRevokedAndItsExpiryIsScheduledBefore() {
        Instant later = NOW.plusSeconds(60);
        ReconcilePlan live = policy.plan(input(accepted(g -> ((ObjectNode) g.get("spec"))
                .put("expiresAt", later.toString())), true, source(), List.of(), List.of()));
        assertThat(live.recheckAt()).isEqualTo(later);

        ReconcilePlan expired = policy.plan(new ReconcileInput(KEY, accepted(g -> ((ObjectNode) g.get("spec"))
                .put("expiresAt", later.toString())), false, true, true, source(),
                List.of(asRead(secretOf(live))), List.of(asRead(podDefaultOf(live))), later.plusSeconds(1), TOPIC, null, null, CONFIRMED));
        assertThat(expired.actions()).hasSize(2).allMatch(a -> a instanceof KubeAction.Delete);
        assertThat(expired.status().reason()).isEqualTo(StatusReason.EXPIRED.value());
        assertThat(expired.status().phase()).isEqualTo(GrantPhase.REVOKED);
    }

    @Test
    void sourcesOutsideTheSourceNamespaceAndSealedDataThatDoesNotOpenAreRejected() {
        ReconcilePlan elsewhere = policy.plan(input(accepted(g -> ((ObjectNode) g.get("spec").get("secret")
                .get("source").get("secretRef")).put("namespace", "kube-system")), true, source(), List.of(),
                List.of()));
        assertThat(elsewhere.actions()).isEmpty();
        assertThat(elsewhere.status().phase()).isEqualTo(GrantPhase.REJECTED);
        assertThat(elsewhere.status().message()).contains("grantflow-sources").contains("kube-system");

        Grant sealed = Fixtures.read("grant/v1-sealed-data.json", Grant.class);
        ReconcilePlan sealedPlan = policy.plan(new ReconcileInput(sealed.grantKey(),
                new GrantEntry.Accepted(sealed.grantKey(), sealed), false, true, true, null, List.of(), List.of(), NOW,
                TOPIC, new SealedDataMapper.Refused(StatusReason.KEY_MISMATCH, "bound elsewhere"), null, CONFIRMED));
        assertThat(sealedPlan.actions()).isEmpty();
        assertThat(sealedPlan.status().reason()).isEqualTo(StatusReason.KEY_MISMATCH.value());
    }

    @Test
    void rejectedEntriesReportTheirReasonAndTouchNothing() {
        ReconcilePlan applied = policy.plan(input(accepted(g -> { }), true, source(), List.of(), List.of()));
        GrantEntry rejected = new GrantEntry.Rejected(KEY, 2, StatusReason.INVALID_GRANT, "1 problem: x: bad");
        ReconcilePlan plan = policy.plan(new ReconcileInput(KEY, rejected, false, true, true, source(),
                List.of(asRead(secretOf(applied))), List.of(asRead(podDefaultOf(applied))), NOW, TOPIC, null, null, CONFIRMED));
        assertThat(plan.actions()).isEmpty();
        assertThat(plan.status().phase()).isEqualTo(GrantPhase.REJECTED);
        assertThat(plan.status().message()).isEqualTo("1 problem: x: bad");
    }

    @Test
    void withoutAGrantOnlyTheOwnerCleansUp() {
        ReconcilePlan applied = policy.plan(input(accepted(g -> { }), true, source(), List.of(), List.of()));
        List<Secret> secrets = List.of(asRead(secretOf(applied)));
        List<PodDefault> podDefaults = List.of(asRead(podDefaultOf(applied)));

        ReconcilePlan notOwner = policy.plan(new ReconcileInput(KEY, null, true, false, true, null, secrets,
                podDefaults, NOW, TOPIC, null, null, CONFIRMED));
        assertThat(notOwner.actions()).isEmpty();
        assertThat(notOwner.status()).isNull();

        ReconcilePlan revoked = policy.plan(new ReconcileInput(KEY, null, true, true, true, null, secrets,
                podDefaults, NOW, TOPIC, null, null, CONFIRMED));
        assertThat(revoked.actions()).extracting(a -> a.getClass().getSimpleName() + " " + a.describe())
                .containsExactly("Delete PodDefault alice/test-secret", "Delete Secret alice/test-secret");
        assertThat(revoked.status().reason()).isEqualTo(StatusReason.REVOKED.value());
        assertThat(revoked.status().generation()).isEqualTo(1);

        ReconcilePlan orphans = policy.plan(new ReconcileInput(KEY, null, false, true, true, null, secrets,
                podDefaults, NOW, TOPIC, null, null, CONFIRMED));
        assertThat(orphans.actions()).hasSize(2);
        assertThat(orphans.collection()).as("no record asked for it: under the budget").isTrue();
        assertThat(revoked.collection()).as("a tombstone asked for it").isFalse();
        assertThat(orphans.status().message()).contains("no grant exists");

        ReconcilePlan nothing = policy.plan(new ReconcileInput(KEY, null, false, true, true, null, List.of(),
                List.of(), NOW, TOPIC, null, null, CONFIRMED));
        assertThat(nothing.actions()).isEmpty();
        assertThat(nothing.status()).isNull();
    }

    @Test
    void everyObjectRecordsTheGrantsTopicItCameFrom() {
        ReconcilePlan plan = policy.plan(input(accepted(g -> { }), true, source(), List.of(), List.of()));
        assertThat(plan.actions()).allSatisfy(a -> assertThat(a.object().getMetadata().getAnnotations())
                .containsEntry(ManagedLabels.GRANTS_TOPIC, TOPIC));
    }

    @Test
    void copiesFromAnotherGrantsTopicAreNeverCollectedOnlyReported() {
        ReconcilePlan applied = policy.plan(input(accepted(g -> { }), true, source(), List.of(), List.of()));
        List<Secret> secrets = List.of(asRead(secretOf(applied)));
        List<PodDefault> podDefaults = List.of(asRead(podDefaultOf(applied)));

        ReconcilePlan replacedTopic = policy.plan(new ReconcileInput(KEY, null, false, true, true, null, secrets,
                podDefaults, NOW, "grants-topic-id-B", null, null, CONFIRMED));
        assertThat(replacedTopic.actions()).isEmpty();
        assertThat(replacedTopic.status().reason()).isEqualTo(StatusReason.DELETION_HELD_BACK.value());
        assertThat(replacedTopic.status().phase()).isEqualTo(GrantPhase.PENDING);
        assertThat(replacedTopic.status().message()).contains("grants-topic-id-B").contains("Secret test-secret");

        Secret unmarked = asRead(secretOf(applied));
        unmarked.getMetadata().getAnnotations().remove(ManagedLabels.GRANTS_TOPIC);
        ReconcilePlan unknownOrigin = policy.plan(new ReconcileInput(KEY, null, false, true, true, null,
                List.of(unmarked), List.of(), NOW, TOPIC, null, null, CONFIRMED));
        assertThat(unknownOrigin.actions()).isEmpty();
        assertThat(unknownOrigin.status().reason()).isEqualTo(StatusReason.DELETION_HELD_BACK.value());

        ReconcilePlan tombstoned = policy.plan(new ReconcileInput(KEY, null, true, true, true, null, secrets,
                podDefaults, NOW, "grants-topic-id-B", null, null, CONFIRMED));
        assertThat(tombstoned.actions()).as("a tombstone of the topic read now revokes").hasSize(2);
    }

    @Test
    void collectionsBeyondTheBudgetAreHeldBackAndRecheckedInTheNextInterval() {
        DeletionBudget budget = new DeletionBudget(2, java.time.Duration.ofMinutes(1));
        ReconcilePlan applied = policy.plan(input(accepted(g -> { }), true, source(), List.of(), List.of()));
        List<Secret> secrets = List.of(asRead(secretOf(applied)));
        List<PodDefault> podDefaults = List.of(asRead(podDefaultOf(applied)));
        List<ReconcilePlan> plans = new java.util.ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ReconcileInput in = new ReconcileInput(new GrantKey("t" + i, "test-secret"), null, false, true, true,
                    null, secrets, podDefaults, NOW, TOPIC, null, null, CONFIRMED);
            plans.add(policy.withinBudget(policy.plan(in), in, budget));
        }
        assertThat(plans).extracting(p -> p.actions().size()).containsExactly(2, 2, 0, 0, 0);
        assertThat(plans.get(2).status().reason()).isEqualTo(StatusReason.DELETION_HELD_BACK.value());
        assertThat(plans.get(2).recheckAt()).isEqualTo(NOW.plusSeconds(60));
        assertThat(budget.heldCount()).isEqualTo(3);

        ReconcileInput nextMinute = new ReconcileInput(new GrantKey("t2", "test-secret"), null, false, true, true,
                null, secrets, podDefaults, NOW.plusSeconds(60), TOPIC, null, null, CONFIRMED);
        assertThat(policy.withinBudget(policy.plan(nextMinute), nextMinute, budget).actions()).hasSize(2);
        assertThat(budget.heldCount()).isEqualTo(2);

        ReconcileInput revocation = new ReconcileInput(new GrantKey("t3", "test-secret"), null, true, true, true,
                null, secrets, podDefaults, NOW.plusSeconds(61), TOPIC, null, null, CONFIRMED);
        assertThat(policy.withinBudget(policy.plan(revocation), revocation, budget).actions())
                .as("revocations are not budgeted").hasSize(2);
    }

    @Test
    void copiesInANamespaceThatIsNoLongerATenantAreACollection() {
        ReconcilePlan applied = policy.plan(input(accepted(g -> { }), true, source(), List.of(), List.of()));
        ReconcilePlan absent = policy.plan(input(accepted(g -> { }), false, source(),
                List.of(asRead(secretOf(applied))), List.of(asRead(podDefaultOf(applied)))));
        assertThat(absent.actions()).hasSize(2);
        assertThat(absent.collection()).isTrue();
        assertThat(policy.plan(input(accepted(g -> { }), false, source(), List.of(), List.of())).collection())
                .isFalse();
    }

    @org.junit.jupiter.params.ParameterizedTest(name = "{0} -> {1}: {2}")
    @org.junit.jupiter.params.provider.CsvSource({
        "Applied/1,  Applied/1,          false",
        "Applied/1,  Applied/2,          true",
        "TenantAbsent/1,     Applied/1,          true",
        "KubernetesError/1,  KubernetesError/1,  false",
        ",                   TenantAbsent/1,     true",
        "Applied/1,  StaleGeneration/1,  true",
        "Revoked/3,  Revoked/3,          false",
        "Revoked/3,  Revoked/0,          false",
        "Applied/3,  Applied/0,          false",
        "Revoked/3,  Expired/3,          true"
    })
    void onlyAChangeOfPhaseReasonOrGenerationIsPublished(String previous, String next, boolean publish) {
        assertThat(ReconcilePolicy.worthPublishing(status(previous, "before"), status(next, "after")))
                .isEqualTo(publish);
    }

    @org.junit.jupiter.params.ParameterizedTest(name = "{0} / {1} -> {2}")
    @org.junit.jupiter.params.provider.CsvSource(nullValues = "-", value = {
        "grantflow, test-secret, -",
        "-,         test-secret, Secret alice/test-secret exists and is not managed by Grantflow; it is left untouched",
        "helm,      test-secret, Secret alice/test-secret exists and is not managed by Grantflow; it is left untouched",
        "grantflow, other,       Secret alice/test-secret exists and belongs to grant other of the same tenant; it is left untouched",
        "grantflow, -,           Secret alice/test-secret exists and belongs to no grant of the same tenant; it is left untouched"
    })
    void neverClobbersAnObjectThatIsNotThisGrants(String managedBy, String grant, String why) {
        Secret desired = secretOf(policy.plan(input(accepted(g -> { }), true, source(), List.of(), List.of())));
        SecretBuilder found = new SecretBuilder().withNewMetadata().withName("test-secret").withNamespace("alice")
                .endMetadata();
        if (managedBy != null) {
            found.editMetadata().addToLabels(ManagedLabels.MANAGED_BY, managedBy).endMetadata();
        }
        if (grant != null) {
            found.editMetadata().addToLabels(ManagedLabels.GRANT, grant).endMetadata();
        }
        assertThat(ReconcilePolicy.notOurs(found.build(), desired, "Secret alice/test-secret"))
                .isEqualTo(java.util.Optional.ofNullable(why));
    }

    @Test
    void theStaleGenerationReportNamesBothGenerations() {
        var stale = ReconcilePolicy.staleGeneration(KEY, 1, 2, NOW);
        assertThat(stale.phase()).isEqualTo(GrantPhase.REJECTED);
        assertThat(stale.reason()).isEqualTo(StatusReason.STALE_GENERATION.value());
        assertThat(stale.generation()).isEqualTo(1);
        assertThat(stale.message()).isEqualTo("generation 1 is older than the generation in force, 2; ignored");
    }

    static dev.grantflow.model.grant.GrantStatus status(String reasonAndGeneration, String message) {
        if (reasonAndGeneration == null) {
            return null;
        }
        String[] parts = reasonAndGeneration.split("/");
        StatusReason reason = StatusReason.fromValue(parts[0]).orElseThrow();
        return dev.grantflow.model.grant.GrantStatus.of(KEY, Long.parseLong(parts[1]), reason, message, NOW);
    }

    @Test
    void dockerConfigWithoutItemsIsProjectedAsConfigJsonAndKeepsItsType() {
        Secret docker = new SecretBuilder().withNewMetadata().withName("test-secret").withNamespace("grantflow-sources")
                .endMetadata().withType("kubernetes.io/dockerconfigjson")
                .withData(Map.of(".dockerconfigjson", b64("{}"))).build();
        ReconcilePlan plan = policy.plan(input(accepted(g -> ((ObjectNode) g.get("spec").get("secret"))
                .put("type", "kubernetes.io/dockerconfigjson")), true, docker, List.of(), List.of()));
        assertThat(secretOf(plan).getType()).isEqualTo("kubernetes.io/dockerconfigjson");
        assertThat(podDefaultOf(plan).getSpec().getVolumes().get(0).getSecret().getItems())
                .singleElement().satisfies(i -> assertThat(i.getPath()).isEqualTo("config.json"));
    }

    @Test
    void typeDefaultsToTheSourceType() {
        // A basic-auth Secret needs username or password: the API server refuses one without.
        Secret basic = new SecretBuilder(source()).withType("kubernetes.io/basic-auth").addToData("username", b64("u"))
                .build();
        ReconcilePlan plan = policy.plan(input(accepted(g -> ((ObjectNode) g.get("spec").get("secret"))
                .putNull("type")), true, basic, List.of(), List.of()));
        assertThat(secretOf(plan).getType()).isEqualTo("kubernetes.io/basic-auth");
    }

    @Test
    void aTypeChangeRecreatesTheSecretInsteadOfUpdatingIt() {
        Secret tls = tlsSource();
        ReconcilePlan opaque = policy.plan(input(accepted(g -> { }), true, tls, List.of(), List.of()));
        assertThat(secretOf(opaque).getType()).isEqualTo("Opaque");
        Secret current = asRead(secretOf(opaque));

        ReconcilePlan plan = policy.plan(input(accepted(g -> ((ObjectNode) g.get("spec").get("secret"))
                .put("type", "kubernetes.io/tls")), true, tls, List.of(current), List.of(asRead(podDefaultOf(opaque)))));

        assertThat(plan.actions()).singleElement().satisfies(a -> {
            assertThat(a).isInstanceOf(KubeAction.Recreate.class);
            assertThat(((KubeAction.Recreate) a).existing()).isSameAs(current);
            assertThat(((Secret) a.object()).getType()).isEqualTo("kubernetes.io/tls");
        });
        assertThat(plan.status().phase()).isEqualTo(GrantPhase.APPLIED);
    }

    @Test
    void aSourceWhoseTypeChangedRecreatesTheCopyOfAGrantWithoutAType() {
        ReconcilePlan first = policy.plan(input(accepted(g -> ((ObjectNode) g.get("spec").get("secret"))
                .putNull("type")), true, source(), List.of(), List.of()));
        Secret retyped = new SecretBuilder(tlsSource()).build();
        ReconcilePlan plan = policy.plan(input(accepted(g -> ((ObjectNode) g.get("spec").get("secret"))
                .putNull("type")), true, retyped, List.of(asRead(secretOf(first))),
                List.of(asRead(podDefaultOf(first)))));
        assertThat(plan.actions()).singleElement().isInstanceOf(KubeAction.Recreate.class);
    }

    @Test
    void anImmutableCopyIsRecreatedWhenItsDataChangesAndUpdatedWhenOnlyItsMetadataDoes() {
        ReconcilePlan first = policy.plan(input(accepted(g -> { }), true, source(), List.of(), List.of()));
        Secret immutable = asRead(secretOf(first));
        immutable.setImmutable(true);

        Secret rotated = new SecretBuilder(source()).withData(Map.of("foo", b64("rotated"))).build();
        assertThat(policy.plan(input(accepted(g -> { }), true, rotated, List.of(immutable),
                List.of(asRead(podDefaultOf(first))))).actions()).singleElement()
                .isInstanceOf(KubeAction.Recreate.class);

        Secret relabelled = asRead(immutable);
        relabelled.getMetadata().getLabels().remove(ManagedLabels.GRANT);
        relabelled.getMetadata().getLabels().put(ManagedLabels.GRANT, "tampered");
        assertThat(policy.plan(input(accepted(g -> { }), true, source(), List.of(relabelled),
                List.of(asRead(podDefaultOf(first))))).actions()).singleElement()
                .isInstanceOf(KubeAction.Upsert.class);
    }

    @Test
    void foreignLabelsAnnotationsAndFinalizersAreNotDrift() {
        ReconcilePlan first = policy.plan(input(accepted(g -> { }), true, source(), List.of(), List.of()));
        Secret decorated = asRead(secretOf(first));
        decorated.getMetadata().getLabels().put("backup.example.com/include", "true");
        decorated.getMetadata().getAnnotations().put("reflector.example.com/seen", "yes");
        decorated.getMetadata().setFinalizers(List.of("example.com/keep"));
        assertThat(policy.plan(input(accepted(g -> { }), true, source(), List.of(decorated),
                List.of(asRead(podDefaultOf(first))))).actions()).isEmpty();
    }

    static Stream<Arguments> dataTheTypeDoesNotAllow() {
        return Stream.of(
                Arguments.of("kubernetes.io/tls", Map.of("tls.crt", "cert"), "[tls.key]"),
                Arguments.of("kubernetes.io/tls", Map.of("crt", "cert", "key", SECRET_VALUE), "[tls.crt, tls.key]"),
                Arguments.of("kubernetes.io/dockerconfigjson", Map.of("config.json", "{}"), "[.dockerconfigjson]"),
                Arguments.of("kubernetes.io/basic-auth", Map.of("token", SECRET_VALUE),
                        "at least one of the keys [username, password]"),
                Arguments.of("kubernetes.io/ssh-auth", Map.of("id_ed25519", SECRET_VALUE), "[ssh-privatekey]"),
                Arguments.of("kubernetes.io/dockercfg", Map.of(".dockerconfigjson", "{}"), "[.dockercfg]"));
    }

    @ParameterizedTest(name = "{0} from {1}")
    @MethodSource("dataTheTypeDoesNotAllow")
    void dataLackingAKeyOfItsTypeFailsBeforeAnythingIsWritten(String type, Map<String, String> plain, String missing) {
        Secret typed = new SecretBuilder().withNewMetadata().withName("test-secret").withNamespace("grantflow-sources")
                .endMetadata().withType(type).withData(base64(plain)).build();
        // The grant names the type, or leaves it to the source (dockercfg cannot be named in a grant).
        GrantEntry entry = accepted(g -> ((ObjectNode) g.get("spec").get("secret")).putNull("type"));
        ReconcilePlan applied = policy.plan(input(accepted(g -> { }), true, source(), List.of(), List.of()));

        ReconcilePlan plan = policy.plan(input(entry, true, typed, List.of(asRead(secretOf(applied))),
                List.of(asRead(podDefaultOf(applied)))));

        assertThat(plan.actions()).isEmpty();
        assertThat(plan.status().reason()).isEqualTo(StatusReason.SECRET_TYPE_KEYS_MISSING.value());
        assertThat(plan.status().phase()).isEqualTo(GrantPhase.FAILED);
        assertThat(plan.status().message()).contains("a " + type + " Secret").contains(missing)
                .contains("grantflow-sources/test-secret").doesNotContain(SECRET_VALUE)
                .doesNotContain(b64(SECRET_VALUE));
    }

    @Test
    void theTypeKeysAreCheckedOnTheCopiedDataNotOnTheProjectedItems() {
        // The copy holds every key of the source; items only choose the files the PodDefault mounts.
        ReconcilePlan plan = policy.plan(input(accepted(g -> {
            ((ObjectNode) g.get("spec").get("secret")).put("type", "kubernetes.io/tls");
            ((ObjectNode) g.get("spec").get("podDefault")).putArray("items").addObject().put("key", "tls.crt")
                    .put("path", "cert.pem");
        }), true, tlsSource(), List.of(), List.of()));
        assertThat(plan.status().phase()).isEqualTo(GrantPhase.APPLIED);
        assertThat(secretOf(plan).getData()).containsOnlyKeys("tls.crt", "tls.key");
    }

    // ---- helpers --------------------------------------------------------------------------------------------------

    static Secret tlsSource() {
        return new SecretBuilder().withNewMetadata().withName("test-secret").withNamespace("grantflow-sources")
                .endMetadata().withType("kubernetes.io/tls")
                .withData(base64(Map.of("tls.crt", "cert", "tls.key", SECRET_VALUE))).build();
    }

    static Map<String, String> base64(Map<String, String> plain) {
        Map<String, String> encoded = new java.util.HashMap<>();
        plain.forEach((k, v) -> encoded.put(k, b64(v)));
        return encoded;
    }

    static GrantEntry accepted(Consumer<ObjectNode> customize) {
        ObjectNode tree = (ObjectNode) Fixtures.tree("grant/v1-secret-ref.json");
        customize.accept(tree);
        Grant grant = Json.read(tree.toString(), Grant.class);
        return new GrantEntry.Accepted(grant.grantKey(), grant);
    }

    static ReconcileInput input(GrantEntry entry, boolean tenantExists, Secret source, List<Secret> secrets,
            List<PodDefault> podDefaults) {
        return input(entry, tenantExists, CONFIRMED, source, secrets, podDefaults);
    }

    static ReconcileInput input(GrantEntry entry, boolean tenantExists, TenantCheck tenant, Secret source,
            List<Secret> secrets, List<PodDefault> podDefaults) {
        return new ReconcileInput(KEY, entry, false, true, tenantExists, source, secrets, podDefaults, NOW, TOPIC,
                null, null, tenant);
    }

    static Secret source() {
        return new SecretBuilder().withNewMetadata().withName("test-secret").withNamespace("grantflow-sources")
                .endMetadata().withType("Opaque").withData(new java.util.HashMap<>(Map.of("foo", b64(SECRET_VALUE))))
                .build();
    }

    static Secret secretOf(ReconcilePlan plan) {
        return (Secret) plan.actions().stream().map(KubeAction::object).filter(o -> o instanceof Secret).findFirst()
                .orElseThrow();
    }

    static PodDefault podDefaultOf(ReconcilePlan plan) {
        return (PodDefault) plan.actions().stream().map(KubeAction::object).filter(o -> o instanceof PodDefault)
                .findFirst().orElseThrow();
    }

    /** What the API server would hand back: a JSON round trip plus a resourceVersion. */
    @SuppressWarnings("unchecked")
    static <T extends HasMetadata> T asRead(T object) {
        T copy = (T) Json.read(Json.write(object), object.getClass());
        copy.getMetadata().setResourceVersion("42");
        return copy;
    }

    static String b64(String plain) {
        return Base64.getEncoder().encodeToString(plain.getBytes(StandardCharsets.UTF_8));
    }
}
