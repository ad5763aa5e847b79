package dev.grantflow.model.tenant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.grantflow.model.event.CloudEventTypes;
import dev.grantflow.model.fixtures.Fixtures;
import dev.grantflow.model.fixtures.JsonTrees;
import dev.grantflow.model.json.Json;
import dev.grantflow.model.json.JsonMappingFailure;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TenantEventTest {

    @ParameterizedTest
    @ValueSource(strings = {"tenant/created.json", "tenant/updated.json", "tenant/created-without-owner.json"})
    void roundTripsAsTheSameJsonTree(String fixture) {
        TenantEvent event = Fixtures.read(fixture, TenantEvent.class);

        JsonTrees.assertSameTree(Fixtures.tree(fixture), JsonTrees.written(event), fixture);
    }

    @Test
    void createdFixtureHasTypedValues() {
        TenantEvent event = Fixtures.read("tenant/created.json", TenantEvent.class);

        assertThat(event.type()).isEqualTo(TenantEventType.CREATED);
        assertThat(event.key()).isEqualTo("alice");
        assertThat(event.owner()).isEqualTo("alice@example.com");
        assertThat(event.labels()).containsEntry("app.kubernetes.io/part-of", "kubeflow-profile");
        assertThat(event.observedAt()).isEqualTo(Instant.parse("2026-11-26T10:00:00Z"));
    }

    @Test
    void typeIsWrittenInLowerCaseAndInstantsAsIsoStrings() {
        TenantEvent event = TenantEvent.updated("alice", null, Map.of(), Instant.parse("2026-11-26T10:00:00Z"));

        var tree = JsonTrees.written(event);

        assertThat(tree.path("type").asText()).isEqualTo("updated");
        assertThat(tree.path("observedAt").isTextual()).isTrue();
        assertThat(tree.path("observedAt").asText()).isEqualTo("2026-11-26T10:00:00Z");
        assertThat(tree.has("owner")).as("null owner is left out").isFalse();
        assertThat(tree.path("labels").isObject()).isTrue();
    }

    @Test
    void typesMapToCloudEventTypes() {
        assertThat(TenantEventType.CREATED.cloudEventType()).isEqualTo(CloudEventTypes.TENANT_CREATED);
        assertThat(TenantEventType.UPDATED.cloudEventType()).isEqualTo(CloudEventTypes.TENANT_UPDATED);
    }

    @Test
    void labelsKeepTheirOrderAndCannotBeChanged() {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("z", "1");
        labels.put("a", "2");

        TenantEvent event = TenantEvent.created("alice", null, labels, Instant.EPOCH);
        labels.put("b", "3");

        assertThat(event.labels()).containsExactly(Map.entry("z", "1"), Map.entry("a", "2"));
        assertThatThrownBy(() -> event.labels().put("x", "y")).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void sameStateIgnoresTypeAndTime() {
        TenantEvent created = Fixtures.read("tenant/created.json", TenantEvent.class);
        TenantEvent later = new TenantEvent(TenantEventType.UPDATED, created.tenant(), created.owner(), created.labels(),
                Instant.parse("2026-12-01T00:00:00Z"));
        TenantEvent relabelled = Fixtures.read("tenant/updated.json", TenantEvent.class);

        assertThat(created.sameState(later)).isTrue();
        assertThat(created.sameState(relabelled)).isFalse();
        assertThat(created.sameState(null)).isFalse();
    }

    @Test
    void unknownTypeOrMissingTenantIsAnInvalidValue() {
        assertThatThrownBy(() -> Json.read("{\"type\":\"deleted\",\"tenant\":\"alice\"}", TenantEvent.class))
                .isInstanceOfSatisfying(JsonMappingFailure.class,
                        f -> assertThat(f.reason()).isEqualTo(JsonMappingFailure.Reason.INVALID_VALUE));
        assertThatThrownBy(() -> Json.read("{\"type\":\"created\"}", TenantEvent.class))
                .isInstanceOfSatisfying(JsonMappingFailure.class,
                        f -> assertThat(f.reason()).isEqualTo(JsonMappingFailure.Reason.INVALID_VALUE));
    }

    @Test
    void newerProducersMayAddFields() {
        TenantEvent event = Json.read("{\"type\":\"created\",\"tenant\":\"alice\",\"labels\":{},"
                + "\"observedAt\":\"2026-11-26T10:00:00Z\",\"annotations\":{\"x\":\"y\"}}", TenantEvent.class);

        assertThat(event.tenant()).isEqualTo("alice");
    }
}
