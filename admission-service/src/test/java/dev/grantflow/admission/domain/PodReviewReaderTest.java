package dev.grantflow.admission.domain;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The mutating webhook's pruned read ({@link AdmissionReviewMapper#parsePodReview}) against the whole-tree read
 * ({@link AdmissionReviewMapper#parse(byte[])}): for every fixture (and every generated body,
 * {@link PodReviewReaderPropertyTest}) the same request envelope and the same answer, or the same 400 message.
 */
class PodReviewReaderTest {

    private static final JsonNodeFactory N = JsonNodeFactory.instance;

    private final AdmissionReviewMapper mapper = new AdmissionReviewMapper(Fixtures.JSON);
    private final PodDefaultPolicy policy = new PodDefaultPolicy(true);

    static Stream<Fixtures.Fixture> fixtures() {
        return Fixtures.all();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void fixtureGetsTheSameAnswer(Fixtures.Fixture fixture) throws Exception {
        byte[] body = body(fixture);
        PodDefaultLookup lookup = fixture.lookup();
        assertThat(answer(true, body, lookup)).isEqualTo(answer(false, body, lookup));
    }

    /**
     * The route hands over its buffer's backing array with an offset and a length: a read of the body from inside a
     * larger array, with bytes around it that are not JSON, gets the answer of the body read alone, both ways.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void aBodyInsideALargerArrayIsReadAsTheBodyAlone(Fixtures.Fixture fixture) throws Exception {
        byte[] body = body(fixture);
        byte[] before = "{\"x\": [".getBytes(StandardCharsets.UTF_8);
        byte[] after = "]] trailing".getBytes(StandardCharsets.UTF_8);
        byte[] larger = new byte[before.length + body.length + after.length];
        System.arraycopy(before, 0, larger, 0, before.length);
        System.arraycopy(body, 0, larger, before.length, body.length);
        System.arraycopy(after, 0, larger, before.length + body.length, after.length);
        PodDefaultLookup lookup = fixture.lookup();
        for (boolean pruned : new boolean[] {true, false}) {
            assertThat(answer(pruned, larger, before.length, body.length, lookup)).as(pruned ? "pruned" : "whole")
                    .isEqualTo(answer(pruned, body, lookup));
        }
    }

    private static byte[] body(Fixtures.Fixture fixture) throws Exception {
        return fixture.hasRawBody() ? fixture.rawBody() : Fixtures.JSON.writeValueAsBytes(fixture.review());
    }

    /** Deep nesting inside a kept and inside a skipped part, floats and big numbers: built as readTree builds them. */
    @ParameterizedTest
    @ValueSource(ints = {10, 40, 900, 1200})
    void deepAndOddValuesAreKeptAsReadTreeKeepsThem(int depth) throws Exception {
        ObjectNode pod = (ObjectNode) AdmissionReviewPropertyTest.json("""
                {"metadata": {"name": "p", "namespace": "team", "labels": {"cfg": "true"}},
                 "spec": {"containers": [{"name": "c", "x": 1.5, "y": 12345678901, "z": 123456789012345678901234567890,
                                          "w": -0.0, "v": 1e400}]}}""");
        ((ObjectNode) pod.at("/spec/containers/0")).put("deep", "DEEP");
        pod.put("status", "DEEP");
        ObjectNode review = AdmissionReviewPropertyTest.review(pod);
        // Written as text: a tree this deep is beyond what the generator writes; the reader's limit is the same.
        byte[] body = Fixtures.JSON.writeValueAsString(review).replace("\"DEEP\"", nested(depth)).getBytes(StandardCharsets.UTF_8);
        PodDefaultLookup lookup = AdmissionReviewPropertyTest.lookup();
        assertThat(answer(true, body, lookup)).isEqualTo(answer(false, body, lookup));
        if (depth < 1000) {
            JsonNode read = mapper.parsePodReview(body).object();
            assertThat(read.at("/spec/containers/0")).isEqualTo(Fixtures.JSON.readTree(body).at("/request/object/spec/containers/0"));
            assertThat(read.has("status")).as("skipped").isFalse();
        } else {
            assertThat(answer(true, body, lookup)).startsWith("400 request body is not valid JSON");
        }
    }

    @Test
    void onlyWhatTheDecisionReadsIsKept() throws Exception {
        ObjectNode pod = (ObjectNode) AdmissionReviewPropertyTest.json("""
                {"apiVersion": "v1", "kind": "Pod",
                 "metadata": {"name": "p", "namespace": "team", "labels": {"cfg": "true"}, "ownerReferences": [{"name": "o"}]},
                 "spec": {"containers": [{"name": "c", "image": "i"}], "dnsPolicy": "ClusterFirst", "serviceAccountName": "sa"},
                 "status": {"phase": "Pending"}}""");
        AdmissionRequest request = mapper.parsePodReview(Fixtures.JSON.writeValueAsBytes(AdmissionReviewPropertyTest.review(pod)));
        assertThat(request.object()).isEqualTo(AdmissionReviewPropertyTest.json("""
                {"metadata": {"name": "p", "namespace": "team", "labels": {"cfg": "true"}},
                 "spec": {"containers": [{"name": "c", "image": "i"}], "serviceAccountName": "sa"}}"""));
        assertThat(request.uid()).isEqualTo("uid-1");
        assertThat(request.operation()).isEqualTo("CREATE");
        // The container is compared whole above (SkimmedItem.equals); what was built of it is its name alone.
        JsonNode container = request.object().at("/spec/containers/0");
        assertThat(container).isInstanceOf(SkimmedItem.class);
        assertThat(container.fieldNames()).toIterable().containsExactly("name");
    }

    /**
     * The items of the pod's lists are built with only the fields the merge keys them by; the whole item is read
     * from its bytes when asked for, also from a body inside a larger array.
     */
    @Test
    void listItemsKeepTheirKeysAndGiveTheWholeItemFromTheirBytes() throws Exception {
        ObjectNode pod = (ObjectNode) AdmissionReviewPropertyTest.json("""
                {"metadata": {"name": "p", "namespace": "team"},
                 "spec": {"containers": [{"name": "c", "image": "i", "command": ["sh"], "resources": {"limits": {"cpu": "1"}},
                                          "env": [{"name": "A", "value": "secret-ish"}, {"value": "v", "name": "B"}, "odd"],
                                          "envFrom": [{"secretRef": {"name": "s"}}],
                                          "volumeMounts": [{"readOnly": true, "mountPath": "/m", "name": "v"}]}],
                          "volumes": [{"name": "v", "projected": {"sources": [{"configMap": {"name": "c"}}]}}],
                          "tolerations": [{"key": "gpu", "operator": "Exists"}], "imagePullSecrets": [{"name": "r"}],
                          "initContainers": [{"name": "i", "image": "busybox"}]}}""");
        byte[] body = Fixtures.JSON.writeValueAsBytes(AdmissionReviewPropertyTest.review(pod));
        byte[] larger = new byte[body.length + 9];
        System.arraycopy(body, 0, larger, 7, body.length);
        JsonNode read = mapper.parsePodReview(larger, 7, body.length).object();

        JsonNode container = read.at("/spec/containers/0");
        assertThat(container.fieldNames()).toIterable().containsExactly("name", "command", "env", "envFrom", "volumeMounts");
        assertThat(read.at("/spec/containers/0/env/0").fieldNames()).toIterable().containsExactly("name");
        assertThat(read.at("/spec/containers/0/env/2")).as("not an object: kept as it is").isEqualTo(N.textNode("odd"));
        assertThat(read.at("/spec/containers/0/envFrom/0").isEmpty()).isTrue();
        assertThat(read.at("/spec/containers/0/volumeMounts/0").fieldNames()).toIterable().containsExactly("mountPath", "name");
        assertThat(read.at("/spec/volumes/0").fieldNames()).toIterable().containsExactly("name");
        assertThat(read.at("/spec/tolerations/0").isEmpty()).isTrue();
        for (String at : new String[] {"/spec/containers/0", "/spec/containers/0/env/0", "/spec/containers/0/env/1",
                "/spec/containers/0/envFrom/0", "/spec/containers/0/volumeMounts/0", "/spec/volumes/0", "/spec/tolerations/0",
                "/spec/imagePullSecrets/0", "/spec/initContainers/0"}) {
            JsonNode whole = SkimmedItem.whole(read.at(at));
            assertThat(whole).as(at).isNotInstanceOf(SkimmedItem.class).isEqualTo(pod.at(at));
            assertThat(whole.toString()).as(at).isEqualTo(pod.at(at).toString());
        }
    }

    @Test
    void aMapperWithOtherTreeSettingsReadsTheWholeTree() throws Exception {
        ObjectMapper bigDecimals = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
        assertThat(PodReviewReader.usable(bigDecimals)).isFalse();
        assertThat(PodReviewReader.usable(Fixtures.JSON)).isTrue();
        ObjectNode pod = (ObjectNode) AdmissionReviewPropertyTest.json("{\"metadata\": {\"name\": \"p\"}, \"status\": {\"x\": 1.5}}");
        AdmissionRequest request = new AdmissionReviewMapper(bigDecimals)
                .parsePodReview(Fixtures.JSON.writeValueAsBytes(AdmissionReviewPropertyTest.review(pod)));
        assertThat(request.object().at("/status/x").isBigDecimal()).isTrue();
    }

    private static String nested(int depth) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < depth; i++) {
            out.append(i % 2 == 0 ? "[" : "{\"k\":");
        }
        out.append("\"bottom\"");
        for (int i = depth - 1; i >= 0; i--) {
            out.append(i % 2 == 0 ? "]" : "}");
        }
        return out.toString();
    }

    /** The request's envelope and the answer as text, or the 400 message; what the webhook's caller sees. */
    String answer(boolean pruned, byte[] body, PodDefaultLookup lookup) {
        return answer(pruned, body, 0, body.length, lookup);
    }

    private String answer(boolean pruned, byte[] array, int offset, int length, PodDefaultLookup lookup) {
        AdmissionRequest request;
        try {
            request = pruned ? mapper.parsePodReview(array, offset, length) : mapper.parse(array, offset, length);
        } catch (MalformedReviewException e) {
            return "400 " + e.getMessage();
        }
        String envelope = String.join("|", request.apiVersion(), request.kind(), request.uid(), request.group(), request.version(),
                request.resource(), request.subResource(), request.operation(), request.namespace(), request.name());
        PodAdmission admission = policy.decide(request, lookup);
        ArrayNode patch = admission.decision() instanceof AdmissionDecision.Patch p ? JsonPatchMapper.toJson(p.operations()) : null;
        return envelope + "\n" + admission + "\n" + patch + "\n" + new String(mapper.answer(request, admission.decision()), java.nio.charset.StandardCharsets.UTF_8);
    }
}
