package dev.grantflow.admission.domain;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * {@link AdmissionReviewMapper#answer} writes the answer's bytes with one generator and the JDK's base64 encoder. The
 * oracle is the former way, kept here: the answer built as a Jackson tree (the patch a binary node) and serialized by
 * the mapper. Both must give the same bytes for any envelope, uid, message, warnings and patch, or fail alike.
 */
class AdmissionAnswerPropertyTest {

    private static final JsonNodeFactory N = JsonNodeFactory.instance;
    /** Writes an item's JSON text as the merge's cache does (non-ASCII escaped). */
    private static final ObjectWriter ASCII = JsonMapper.builder().enable(JsonWriteFeature.ESCAPE_NON_ASCII).build().writer();
    private final AdmissionReviewMapper mapper = new AdmissionReviewMapper(Fixtures.JSON);

    @Property(tries = 2000)
    void theAnswerIsTheBytesOfTheTreeBuiltAnswer(@ForAll("requests") AdmissionRequest request,
                                                 @ForAll("decisions") AdmissionDecision decision) throws Exception {
        byte[] expected;
        try {
            expected = Fixtures.JSON.writeValueAsBytes(treeAnswer(request, decision));
        } catch (Exception e) {
            Exception thrown = null;
            try {
                mapper.answer(request, decision);
            } catch (RuntimeException r) {
                thrown = r;
            }
            assertThat(thrown).as("the tree's serialization failed with %s", e).isNotNull();
            return;
        }
        assertThat(new String(mapper.answer(request, decision), StandardCharsets.UTF_8))
                .isEqualTo(new String(expected, StandardCharsets.UTF_8));
    }

    /** The former answer: a tree, same apiVersion and kind as the request, the patch's JSON as a binary node. */
    private static ObjectNode treeAnswer(AdmissionRequest request, AdmissionDecision decision) throws Exception {
        ObjectNode review = N.objectNode();
        review.put("apiVersion", request.apiVersion());
        review.put("kind", request.kind());
        ObjectNode response = review.putObject("response");
        response.put("uid", request.uid());
        if (decision instanceof AdmissionDecision.Deny d) {
            response.put("allowed", false);
            response.putObject("status").put("message", d.message());
        } else {
            response.put("allowed", true);
            if (decision instanceof AdmissionDecision.Patch p && !p.operations().isEmpty()) {
                response.put("patchType", "JSONPatch");
                response.put("patch", Fixtures.JSON.writeValueAsBytes(JsonPatchMapper.toJson(p.operations())));
            }
        }
        if (!decision.warnings().isEmpty()) {
            ArrayNode w = response.putArray("warnings");
            decision.warnings().forEach(w::add);
        }
        return review;
    }

    /** Any characters, ASCII most of the time. */
    private static Arbitrary<String> text() {
        return Arbitraries.oneOf(Arbitraries.strings().ascii().ofMaxLength(40), Arbitraries.strings().ofMaxLength(20),
                Arbitraries.of("", "\"", "\\", "\u0000", "\n", "\u2028", "\ud83d\ude00", "\ud83d", "caf\u00e9"));
    }

    @Provide
    Arbitrary<AdmissionRequest> requests() {
        return Combinators.combine(Arbitraries.of(AdmissionReviewMapper.V1, AdmissionReviewMapper.V1BETA1),
                        text().filter(s -> !s.isEmpty()))
                .as((apiVersion, uid) -> new AdmissionRequest(apiVersion, AdmissionReviewMapper.KIND, uid, "", "v1", "pods",
                        "", "CREATE", "team", "pod", null));
    }

    @Provide
    Arbitrary<AdmissionDecision> decisions() {
        Arbitrary<List<String>> warnings = text().list().ofMaxSize(3);
        Arbitrary<AdmissionDecision> allow = Combinators.combine(Arbitraries.of(AdmissionReason.values()), warnings)
                .as(AdmissionDecision.Allow::new);
        Arbitrary<AdmissionDecision> deny = Combinators.combine(Arbitraries.of(AdmissionReason.values()), text(), warnings)
                .as(AdmissionDecision.Deny::new);
        Arbitrary<AdmissionDecision> patch = Combinators.combine(operation().list().ofMaxSize(40), warnings)
                .as(AdmissionDecision.Patch::new);
        return Arbitraries.oneOf(allow, deny, patch);
    }

    /**
     * An operation with a tree value, or with an ASCII value and its JSON text as the merge gives it (a text with
     * non-ASCII characters escaped is the same JSON in other bytes).
     */
    private static Arbitrary<PatchOperation> operation() {
        Arbitrary<String> ascii = Arbitraries.strings().ascii().ofMaxLength(30);
        return Combinators.combine(text(), value(text()), value(ascii), Arbitraries.integers().between(0, 3))
                .as((path, v, a, kind) -> switch (kind) {
                    case 0 -> PatchOperation.add("/spec/" + PatchOperation.escape(path), v);
                    case 1 -> PatchOperation.add("/spec/x", a, new com.fasterxml.jackson.core.io.SerializedString(asciiJson(a)));
                    case 2 -> PatchOperation.replace("/metadata/labels/" + PatchOperation.escape(path), N.textNode(path));
                    default -> PatchOperation.remove("/spec/" + PatchOperation.escape(path));
                });
    }

    private static Arbitrary<JsonNode> value(Arbitrary<String> strings) {
        return Combinators.combine(strings, strings, Arbitraries.integers()).as((k, v, i) -> {
            ObjectNode item = N.objectNode();
            item.put("name", k);
            item.put("value", v);
            item.putArray("items").add(i).add(v);
            return item;
        });
    }

    private static String asciiJson(JsonNode value) {
        try {
            return ASCII.writeValueAsString(value);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
