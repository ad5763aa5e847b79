package dev.grantflow.model.grant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.grantflow.model.fixtures.Fixtures;
import dev.grantflow.model.fixtures.JsonTrees;
import dev.grantflow.model.json.Json;
import dev.grantflow.model.json.JsonMappingFailure;
import java.time.Instant;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

class GrantStatusTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource({"pending, PENDING, TENANT_ABSENT", "applied, APPLIED, APPLIED", "revoked, REVOKED, EXPIRED",
            "rejected, REJECTED, INVALID_GRANT", "failed, FAILED, CONFLICT"})
    void statusOfEachPhaseRoundTrips(String fixture, GrantPhase phase, StatusReason reason) {
        String path = "grant-status/" + fixture + ".json";

        GrantStatus status = Fixtures.read(path, GrantStatus.class);

        assertThat(status.phase()).isEqualTo(phase);
        assertThat(status.knownReason()).contains(reason);
        assertThat(reason.phase()).isEqualTo(phase);
        JsonTrees.assertSameTree(Fixtures.tree(path), JsonTrees.written(status), path);
    }

    @ParameterizedTest
    @EnumSource(GrantPhase.class)
    void phasesAreWrittenWithTheirCapitalisedNames(GrantPhase phase) {
        String expected = phase.name().charAt(0) + phase.name().substring(1).toLowerCase();

        assertThat(Json.write(phase)).isEqualTo("\"" + expected + "\"");
        assertThat(Json.read("\"" + expected + "\"", GrantPhase.class)).isEqualTo(phase);
    }

    @Test
    void unknownPhaseIsAnInvalidValue() {
        assertThatThrownBy(() -> Json.read("\"PENDING\"", GrantPhase.class))
                .isInstanceOfSatisfying(JsonMappingFailure.class,
                        f -> assertThat(f.reason()).isEqualTo(JsonMappingFailure.Reason.INVALID_VALUE));
    }

    @Test
    void everyPhaseHasAReasonAndReasonValuesAreUniqueCamelCase() {
        assertThat(Arrays.stream(StatusReason.values()).map(StatusReason::phase).distinct())
                .containsExactlyInAnyOrder(GrantPhase.values());
        assertThat(Arrays.stream(StatusReason.values()).map(StatusReason::value).distinct()).hasSize(StatusReason.values().length);
        assertThat(StatusReason.values()).allSatisfy(r -> assertThat(r.value()).matches("[A-Z][A-Za-z]+"));
    }

    @Test
    void ofTakesThePhaseFromTheReasonAndTheKeyFromTheGrant() {
        GrantStatus status = GrantStatus.of(new GrantKey("alice", "test-secret"), 4, StatusReason.SOURCE_MISSING,
                "Secret grantflow-sources/test-secret not found", Instant.parse("2026-11-26T10:00:00Z"));

        assertThat(status).isEqualTo(new GrantStatus(GrantPhase.FAILED, "SourceMissing",
                "Secret grantflow-sources/test-secret not found", 4, "alice", "test-secret",
                Instant.parse("2026-11-26T10:00:00Z")));
        assertThat(status.key()).contains(new GrantKey("alice", "test-secret"));
    }

    @Test
    void reasonsANewerProducerAddsSurviveARoundTrip() {
        String json = "{\"phase\":\"Failed\",\"reason\":\"QuotaExceeded\",\"message\":\"m\",\"generation\":1,"
                + "\"tenant\":\"alice\",\"grant\":\"g\",\"at\":\"2026-11-26T10:00:00Z\"}";

        GrantStatus status = Json.read(json, GrantStatus.class);

        assertThat(status.reason()).isEqualTo("QuotaExceeded");
        assertThat(status.knownReason()).isEmpty();
        JsonTrees.assertSameTree(Json.readTree(json), JsonTrees.written(status), "status");
    }

    @Test
    void longMessagesAreCut() {
        GrantStatus status = GrantStatus.of(new GrantKey("a", "b"), 1, StatusReason.INVALID_GRANT, "x".repeat(5000),
                Instant.EPOCH);

        assertThat(status.message()).hasSize(GrantStatus.MAX_MESSAGE_LENGTH).endsWith("...");
    }
}
