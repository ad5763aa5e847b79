package dev.grantflow.grant.domain;

import static dev.grantflow.grant.domain.ReconcilePolicyTest.KEY;
import static dev.grantflow.grant.domain.ReconcilePolicyTest.NOW;
import static dev.grantflow.grant.domain.ReconcilePolicyTest.TOPIC;
import static dev.grantflow.grant.domain.ReconcilePolicyTest.accepted;
import static dev.grantflow.grant.domain.ReconcilePolicyTest.asRead;
import static dev.grantflow.grant.domain.ReconcilePolicyTest.podDefaultOf;
import static dev.grantflow.grant.domain.ReconcilePolicyTest.secretOf;
import static dev.grantflow.grant.domain.ReconcilePolicyTest.source;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.grantflow.model.fixtures.Fixtures;
import dev.grantflow.model.grant.Grant;
import dev.grantflow.model.grant.GrantPhase;
import dev.grantflow.model.grant.GrantStatus;
import dev.grantflow.model.grant.StatusReason;
import dev.grantflow.model.json.Json;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The reconcile decision for sealed values, signed revocations and replays, on plain values. */
class ReconcilePolicyTrustTest {

    static final String CANARY = "canary-sealed-4b1d";

    final ReconcilePolicy required = new ReconcilePolicy("grantflow-sources", TrustFixtures.HASH, true);
    final ReconcilePolicy optional = new ReconcilePolicy("grantflow-sources", TrustFixtures.HASH, false);

    @Test
    void openedSealedDataBecomesTheSecretsDataAndNeverTheStatus() {
        ObjectNode tree = (ObjectNode) Fixtures.tree("grant/v1-sealed-data.json");
        Grant grant = Json.read(tree.toString(), Grant.class);
        Secret opened = new SecretBuilder().withData(Map.of("token", b64(CANARY), "endpoint", b64("https://r"))).build();
        ReconcilePlan plan = required.plan(new ReconcileInput(grant.grantKey(),
                new GrantEntry.Accepted(grant.grantKey(), grant), false, true, true, opened, List.of(), List.of(), NOW,
                TOPIC, new SealedDataMapper.Opened(opened), null, ReconcilePolicyTest.CONFIRMED));
        Secret secret = secretOf(plan);
        assertThat(secret.getData()).containsEntry("token", b64(CANARY));
        assertThat(secret.getType()).isEqualTo("Opaque");
        assertThat(secret.getMetadata().getAnnotations().get(ManagedLabels.CONTENT_HASH)).startsWith("hmac-sha256:");
        assertThat(plan.status().phase()).isEqualTo(GrantPhase.APPLIED);
        assertThat(Json.write(plan.status())).doesNotContain(CANARY).doesNotContain(b64(CANARY));
    }

    @Test
    void aSignedRevocationDeletesWhatTheGrantMadeAndReportsItsGeneration() {
        ReconcilePlan applied = optional.plan(ReconcilePolicyTest.input(accepted(g -> { }), true, source(), List.of(),
                List.of()));
        ReconcilePlan plan = required.plan(new ReconcileInput(KEY, new GrantEntry.Revoked(KEY, 3), false, true, true,
                null, List.of(asRead(secretOf(applied))), List.of(asRead(podDefaultOf(applied))), NOW, TOPIC, null,
                null, ReconcilePolicyTest.CONFIRMED));
        assertThat(plan.actions()).allMatch(a -> a instanceof KubeAction.Delete).hasSize(2);
        assertThat(plan.status().reason()).isEqualTo(StatusReason.REVOKED.value());
        assertThat(plan.status().generation()).isEqualTo(3);
    }

    @Test
    void aReplayedGrantStaysRevokedWhenItsRevocationWasCompactedAway() {
        GrantStatus revoked = GrantStatus.of(KEY, 3, StatusReason.REVOKED, "revoked up to generation 3", NOW);
        // The grant fixture has generation 1: an old, validly signed record played again after the revocation.
        ReconcilePlan plan = required.plan(new ReconcileInput(KEY, accepted(g -> { }), false, true, true, source(),
                List.of(), List.of(), NOW, TOPIC, null, revoked, ReconcilePolicyTest.CONFIRMED));
        assertThat(plan.actions()).isEmpty();
        assertThat(plan.status()).isEqualTo(revoked);
        assertThat(ReconcilePolicy.worthPublishing(revoked, plan.status())).isFalse();

        // A grant of a higher generation is a new grant: it applies.
        ReconcilePlan newer = required.plan(new ReconcileInput(KEY, accepted(g -> ((ObjectNode) g.get("metadata"))
                .put("generation", 4)), false, true, true, source(), List.of(), List.of(), NOW, TOPIC, null, revoked, ReconcilePolicyTest.CONFIRMED));
        assertThat(newer.status().phase()).isEqualTo(GrantPhase.APPLIED);
        // Where signatures are optional a revocation may be a bare tombstone without a generation: no such floor.
        ReconcilePlan relaxed = optional.plan(new ReconcileInput(KEY, accepted(g -> { }), false, true, true, source(),
                List.of(), List.of(), NOW, TOPIC, null, revoked, ReconcilePolicyTest.CONFIRMED));
        assertThat(relaxed.status().phase()).isEqualTo(GrantPhase.APPLIED);
    }

    @Test
    void withSignaturesRequiredCopiesWhoseRecordVanishedAreKeptNotCollected() {
        ReconcilePlan applied = optional.plan(ReconcilePolicyTest.input(accepted(g -> { }), true, source(), List.of(),
                List.of()));
        ReconcileInput orphaned = new ReconcileInput(KEY, null, false, true, true, null,
                List.of(withTopic(asRead(secretOf(applied)))), List.of(withTopic(asRead(podDefaultOf(applied)))), NOW,
                TOPIC, null, null, ReconcilePolicyTest.CONFIRMED);
        ReconcilePlan plan = required.plan(orphaned);
        assertThat(plan.actions()).isEmpty();
        assertThat(plan.status().reason()).isEqualTo(StatusReason.DELETION_HELD_BACK.value());
        assertThat(plan.status().message()).contains("signed revocation");
        assertThat(optional.plan(orphaned).actions()).hasSize(2);
    }

    static <T extends io.fabric8.kubernetes.api.model.HasMetadata> T withTopic(T object) {
        object.getMetadata().getAnnotations().put(ManagedLabels.GRANTS_TOPIC, TOPIC);
        return object;
    }

    static String b64(String plain) {
        return Base64.getEncoder().encodeToString(plain.getBytes(StandardCharsets.UTF_8));
    }
}
