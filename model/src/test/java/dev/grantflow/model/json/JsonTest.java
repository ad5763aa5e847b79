package dev.grantflow.model.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.grantflow.model.fixtures.Fixtures;
import dev.grantflow.model.grant.Grant;
import dev.grantflow.model.poddefault.PodDefault;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class JsonTest {

    /** A record for mapping tests, independent of the model's own types. */
    record Sample(String name, Instant at, long count) {
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "grant-invalid/malformed.json     | MALFORMED     | malformed JSON (line 2, column 1)",
            "grant-invalid/duplicate-key.json | MALFORMED     | duplicate object key (line 1, column ",
            "grant-invalid/wrong-shape.json   | INVALID_VALUE | expected Instant at $.metadata.issuedAt"})
    void unreadableGrantsFailWithAReasonAndAPosition(String fixture, JsonMappingFailure.Reason reason, String detail) {
        byte[] bytes = Fixtures.bytes(fixture);

        assertThatThrownBy(() -> Json.read(bytes, Grant.class))
                .isInstanceOfSatisfying(JsonMappingFailure.class, failure -> {
                    assertThat(failure.reason()).isEqualTo(reason);
                    assertThat(failure.detail()).startsWith(detail);
                    assertThat(failure.getMessage()).startsWith(reason.value() + ": ");
                    assertThat(failure.getMessage()).doesNotContainIgnoringCase("canary");
                    assertThat(failure.getCause()).as("Jackson's exception may quote input").isNull();
                });
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"  \n\t", "null", " null "})
    void noValueIsEmpty(String json) {
        assertThatThrownBy(() -> Json.read(json, Sample.class))
                .isInstanceOfSatisfying(JsonMappingFailure.class,
                        f -> assertThat(f.reason()).isEqualTo(JsonMappingFailure.Reason.EMPTY));
        byte[] bytes = json == null ? null : json.getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> Json.read(bytes, Sample.class))
                .isInstanceOfSatisfying(JsonMappingFailure.class,
                        f -> assertThat(f.reason()).isEqualTo(JsonMappingFailure.Reason.EMPTY));
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"name\":\"a\"} {\"name\":\"b\"}", "{\"name\":\"a\"}}", "{\"name\":\"a\"} x"})
    void contentAfterTheValueIsMalformed(String json) {
        assertThat(Json.parse(json, Sample.class)).isInstanceOfSatisfying(Parsed.Failed.class,
                failed -> assertThat(failed.reason()).isEqualTo(JsonMappingFailure.Reason.MALFORMED));
    }

    @Test
    void wrongTypesAreInvalidValuesWithTheirPathButNotTheirText() {
        Parsed<Sample> parsed = Json.parse("{\"name\":\"a\",\"count\":\"many-SECRET\"}", Sample.class);

        assertThat(parsed).isInstanceOfSatisfying(Parsed.Failed.class, failed -> {
            assertThat(failed.reason()).isEqualTo(JsonMappingFailure.Reason.INVALID_VALUE);
            assertThat(failed.failure().detail()).contains("$.count").doesNotContain("SECRET").doesNotContain("many");
        });
    }

    @Test
    void arrayWhereAnObjectIsExpectedIsAnInvalidValue() {
        assertThat(Json.parse("[1,2]".getBytes(StandardCharsets.UTF_8), Sample.class))
                .isInstanceOfSatisfying(Parsed.Failed.class,
                        failed -> assertThat(failed.reason()).isEqualTo(JsonMappingFailure.Reason.INVALID_VALUE));
    }

    @Test
    void deeplyNestedInputExceedsTheParserLimits() {
        String json = "[".repeat(5000) + "]".repeat(5000);

        assertThat(Json.parse(json, JsonNode.class)).isInstanceOfSatisfying(Parsed.Failed.class,
                failed -> assertThat(failed.reason()).isEqualTo(JsonMappingFailure.Reason.TOO_LARGE));
    }

    @Test
    void unknownPropertiesAreIgnoredForForwardCompatibility() {
        Sample sample = Json.read("{\"name\":\"a\",\"count\":2,\"addedInV2\":{\"x\":[1]}}", Sample.class);

        assertThat(sample).isEqualTo(new Sample("a", null, 2));
    }

    @Test
    void instantsAreIsoStringsAndNullsAreLeftOut() {
        JsonNode tree = Json.toTree(new Sample(null, Instant.parse("2026-11-26T10:00:00.5Z"), 3));

        assertThat(tree.has("name")).isFalse();
        assertThat(tree.path("at").isTextual()).isTrue();
        assertThat(tree.path("at").asText()).isEqualTo("2026-11-26T10:00:00.500Z");
        assertThat(Json.read(Json.writeBytes(new Sample("x", Instant.EPOCH, 1)), Sample.class))
                .isEqualTo(new Sample("x", Instant.EPOCH, 1));
    }

    @Test
    void successfulParseIsOk() {
        assertThat(Json.parse("{\"name\":\"a\"}", Sample.class))
                .isEqualTo(new Parsed.Ok<>(new Sample("a", null, 0)));
    }

    @Test
    void fabric8QuantityAndIntOrStringReadInsideADocument() {
        // Regression: with FAIL_ON_TRAILING_TOKENS on, fabric8's deserializers of these types failed mid-document.
        String json = Json.write(Map.of("apiVersion", PodDefault.API_VERSION, "kind", PodDefault.KIND,
                "spec", Map.of("sidecars", java.util.List.of(Map.of("name", "s",
                        "resources", Map.of("limits", Map.of("cpu", "500m")),
                        "ports", java.util.List.of(Map.of("containerPort", 80)),
                        "livenessProbe", Map.of("tcpSocket", Map.of("port", "http")))))));

        PodDefault podDefault = Json.read(json, PodDefault.class);

        assertThat(podDefault.getSpec().getSidecars().get(0).getResources().getLimits().get("cpu").toString())
                .isEqualTo("500m");
        assertThat(podDefault.getSpec().getSidecars().get(0).getLivenessProbe().getTcpSocket().getPort().getStrVal())
                .isEqualTo("http");
    }

    @Test
    void configureAppliesTheSameSettingsToAnotherMapper() throws Exception {
        var mapper = Json.configure(new com.fasterxml.jackson.databind.ObjectMapper());

        assertThat(mapper.writeValueAsString(new Sample(null, Instant.EPOCH, 1)))
                .isEqualTo(Json.write(new Sample(null, Instant.EPOCH, 1)));
        assertThat(mapper.readValue("{\"name\":\"a\",\"unknown\":1}", Sample.class)).isEqualTo(new Sample("a", null, 0));
    }
}
