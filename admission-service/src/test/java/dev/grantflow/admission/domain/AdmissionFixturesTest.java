package dev.grantflow.admission.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.zjsonpatch.JsonPatch;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The fixture table: each case is an AdmissionReview (built from the fixture's pod or PodDefault), the
 * namespace's PodDefaults and the expected answer. A produced patch is applied with zjsonpatch to the request's
 * object and the result compared as a JSON tree with the expected pod; patch text is never compared.
 */
class AdmissionFixturesTest {

    private final AdmissionReviewMapper mapper = new AdmissionReviewMapper(Fixtures.JSON);
    private final PodDefaultValidationPolicy validation = new PodDefaultValidationPolicy(false);

    static Stream<Fixtures.Fixture> fixtures() {
        return Fixtures.all();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void fixture(Fixtures.Fixture fixture) throws Exception {
        JsonNode expect = fixture.expect();
        if (fixture.hasRawBody()) {
            byte[] body = fixture.rawBody();
            assertThatThrownBy(() -> mapper.parse(body))
                    .isInstanceOf(MalformedReviewException.class)
                    .hasMessageContaining(expect.get("malformed").asText());
            return;
        }
        ObjectNode review = fixture.review();
        AdmissionRequest request = mapper.parse(Fixtures.JSON.writeValueAsBytes(review));
        AdmissionDecision decision = fixture.isValidation()
                ? validation.decide(request)
                : new PodDefaultPolicy(fixture.skipInvalidSelectors()).decide(request, fixture.lookup()).decision();
        JsonNode answer = Fixtures.JSON.readTree(mapper.answer(request, decision));

        // D6: envelope echoed
        assertThat(answer.path("apiVersion").asText()).isEqualTo(review.get("apiVersion").asText());
        assertThat(answer.path("kind").asText()).isEqualTo("AdmissionReview");
        JsonNode response = answer.get("response");
        assertThat(response.path("uid").asText()).isEqualTo("uid-" + fixture.name());

        assertThat(decision.reason().label()).as("reason").isEqualTo(expect.get("reason").asText());
        assertThat(response.path("allowed").asBoolean()).as("allowed").isEqualTo(expect.get("allowed").asBoolean());
        assertThat(strings(response.path("warnings"))).as("warnings").isEqualTo(strings(expect.path("warnings")));

        if (expect.has("message")) {
            assertThat(response.path("status").path("message").asText()).isEqualTo(expect.get("message").asText());
        } else {
            assertThat(response.has("status")).as("no status when allowed").isFalse();
        }

        if (expect.has("pod")) {
            assertThat(response.path("patchType").asText()).isEqualTo("JSONPatch");
            JsonNode patch = Fixtures.JSON.readTree(Base64.getDecoder().decode(response.get("patch").asText()));
            JsonNode original = review.get("request").get("object");
            JsonNode patched = JsonPatch.apply(patch, original);
            assertThat(patched).isEqualTo(expect.get("pod"));
            assertThat(original).as("the request pod is not modified").isEqualTo(fixture.json().get("pod"));
        } else {
            assertThat(response.has("patch")).as("no patch").isFalse();
            assertThat(response.has("patchType")).as("no patchType").isFalse();
        }
    }

    /**
     * The table must keep covering every row of docs/poddefault-spec.md sections 5 and 6, the section 13 surprises
     * and D1-D9.
     */
    @Test
    void coversTheSpecification() {
        Set<String> covered = new TreeSet<>();
        Fixtures.all().forEach(f -> f.json().path("covers").forEach(c -> covered.add(c.asText())));
        List<String> required = new ArrayList<>(List.of(
                "§5.1", "§5.2", "§5.3", "§5.4", "§5.5", "§5.6", "§5.7", "§5.8", "§5.9",
                "§6 volumes", "§6 tolerations", "§6 imagePullSecrets", "§6 serviceAccount", "§6 annotations/labels",
                "§6 containers", "§6 envFrom", "§6 command/args", "§6 initContainers", "§6 sidecars", "§6 references",
                "§7", "§13.1", "§13.2", "§13.3", "§13.4", "§13.5", "§13.6", "§13.7", "§13.8", "§13.9", "§13.11"));
        for (int d = 1; d <= 9; d++) {
            required.add("D" + d);
        }
        assertThat(covered).containsAll(required);
        assertThat(Fixtures.all().count()).isGreaterThanOrEqualTo(40);
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}
