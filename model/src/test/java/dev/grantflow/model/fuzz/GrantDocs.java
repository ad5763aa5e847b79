package dev.grantflow.model.fuzz;

import static dev.grantflow.model.fuzz.BadInput.CANARY;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.grantflow.model.fixtures.Fixtures;
import dev.grantflow.model.json.Json;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

/**
 * Grant record values, good and bad: one of the model's grant fixtures (with {@link BadInput#CANARY} planted in its
 * sealed data, description and issuer), changed by a list of {@link Mutation}s (wrong types at any field, fields
 * removed, keys renamed to look-alikes, names, mount paths, env lists and sealed data replaced by nasty ones, deep
 * nesting, 1 MiB values), then written and damaged at the byte level ({@link ByteDamage}); or plain random bytes.
 *
 * <p>The canary is only ever placed where secrets go (sealedData values, {@code desc}, {@code issuer}) or as a string
 * where no string belongs (a number, a list, an object): never as a name, key or path, which messages may quote.
 */
public final class GrantDocs {

    private static final JsonNodeFactory N = JsonNodeFactory.instance;

    /** The fixtures mutations start from; valid grants of every source kind. */
    public static final List<String> BASES = List.of("grant/v1-secret-ref.json", "grant/v1-env.json",
            "grant/v1-sealed-data.json", "grant/v1-dockerconfigjson-items.json");

    /** A generated value: what was done, and the bytes. */
    public record Doc(String description, byte[] bytes) {
        /** The record value as text, for keys derived from it. */
        public String text() {
            return bytes == null ? "" : new String(bytes, StandardCharsets.UTF_8);
        }

        @Override
        public String toString() {
            return description + " -> " + (bytes == null ? "null" : bytes.length + " bytes: " + BadInput.preview(text(), 400));
        }
    }

    /** One change to a grant tree; {@code at} is a JSON pointer, or null to pick the {@code target}-th node. */
    public record Mutation(Op op, String at, int target, JsonNode value) {
        public enum Op { SET, REMOVE, RENAME_TO_LOOKALIKE }

        @Override
        public String toString() {
            String where = at != null ? at : "#" + target;
            return op + " " + where + (value == null ? "" : " = " + BadInput.preview(String.valueOf(value), 60));
        }
    }

    private GrantDocs() {
    }

    /** A base grant tree with the canary planted where secrets go. */
    public static ObjectNode base(String fixture) {
        ObjectNode tree = (ObjectNode) Json.readTree(Fixtures.text(fixture));
        ((ObjectNode) tree.get("metadata")).put("issuer", CANARY + "@example.com");
        ((ObjectNode) tree.at("/spec/podDefault")).put("desc", "desc " + CANARY);
        JsonNode sealed = tree.at("/spec/secret/source/sealedData");
        if (sealed instanceof ObjectNode data) {
            data.properties().forEach(e -> e.setValue(N.textNode(canaryJwe(e.getValue().asText()))));
        }
        return tree;
    }

    /** {@code jwe} with the canary at the start of its ciphertext: still a well-shaped JWE. */
    public static String canaryJwe(String jwe) {
        String[] parts = jwe.split("\\.", -1);
        if (parts.length == 5) {
            parts[3] = CANARY + parts[3];
            return String.join(".", parts);
        }
        return jwe + CANARY;
    }

    /** Grant values: mostly mutated fixtures, some random bytes, some empty. */
    public static Arbitrary<Doc> docs() {
        return Arbitraries.frequencyOf(
                Tuple.of(20, mutated()),
                Tuple.of(2, Arbitraries.bytes().array(byte[].class).ofMaxSize(200).map(b -> new Doc("random bytes", b))),
                Tuple.of(1, Arbitraries.of("", " ", "null", "{}", "[]", "\"Grant\"", "0", "{\"kind\":\"Grant\"}", "\ufeff{}",
                        "{\"apiVersion\":\"grantflow.dev/v1\",\"kind\":\"GrantRevocation\"}")
                        .map(s -> new Doc("literal", s.getBytes(StandardCharsets.UTF_8)))));
    }

    /** A fixture changed by 0 to 4 mutations, written, and maybe damaged. */
    public static Arbitrary<Doc> mutated() {
        return Combinators.combine(Arbitraries.of(BASES), mutations().list().ofMaxSize(3), ByteDamage.any())
                .as((fixture, mutations, damage) -> {
                    ObjectNode tree = base(fixture);
                    mutations.forEach(m -> apply(tree, m));
                    byte[] bytes = damage.apply(Json.writeBytes(tree));
                    return new Doc(fixture.substring(fixture.indexOf('/') + 1) + " " + mutations + " " + damage, bytes);
                });
    }

    /** Only mutations that keep the document valid JSON (for properties about the mapping and validation). */
    public static Arbitrary<ObjectNode> mutatedTrees() {
        return Combinators.combine(Arbitraries.of(BASES), mutations().list().ofMaxSize(4)).as((fixture, mutations) -> {
            ObjectNode tree = base(fixture);
            mutations.forEach(m -> apply(tree, m));
            return tree;
        });
    }

    public static Arbitrary<Mutation> mutations() {
        return Arbitraries.frequencyOf(
                Tuple.of(2, Combinators.combine(Arbitraries.integers().between(0, 200), BadInput.wrongValues())
                        .as((target, value) -> new Mutation(Mutation.Op.SET, null, target, value))),
                Tuple.of(1, Arbitraries.integers().between(0, 200).map(t -> new Mutation(Mutation.Op.REMOVE, null, t, null))),
                Tuple.of(1, Arbitraries.integers().between(0, 200).map(t -> new Mutation(Mutation.Op.RENAME_TO_LOOKALIKE, null, t, null))),
                Tuple.of(1, secretWhereNoStringBelongs()),
                Tuple.of(4, names()),
                Tuple.of(3, BadInput.mountPaths().map(p -> set("/spec/podDefault/mountPath", N.textNode(p)))),
                Tuple.of(2, env()),
                Tuple.of(2, items()),
                Tuple.of(2, sealedData()),
                Tuple.of(1, Arbitraries.of("grantflow.dev/v1", "grantflow.dev/v2", "Grant", "GrantRevocation", "grant", "")
                        .flatMap(v -> Arbitraries.of("/kind", "/apiVersion").map(at -> set(at, N.textNode(v))))),
                Tuple.of(1, BadInput.numbers().map(n -> set("/metadata/generation", n))),
                Tuple.of(1, Arbitraries.of("2026-11-26T10:00:00Z", "2026-11-26T10:00:00", "2026-02-30T00:00:00Z", "yesterday",
                        "+1000000000-12-31T23:59:59Z", "1970-01-01T00:00:00Z", "").map(N::textNode)
                        .flatMap(v -> Arbitraries.of("/metadata/issuedAt", "/spec/expiresAt").map(at -> set(at, v)))),
                Tuple.of(1, BadInput.numbers().flatMap(v -> Arbitraries.of("/metadata/issuedAt", "/spec/expiresAt").map(at -> set(at, v)))),
                Tuple.of(1, Arbitraries.of("Opaque", "kubernetes.io/tls", "kubernetes.io/service-account-token",
                        "bootstrap.kubernetes.io/token", "opaque", "Opaque ", "").map(t -> set("/spec/secret/type", N.textNode(t)))));
    }

    /** A name-like field set to a nasty string. */
    private static Arbitrary<Mutation> names() {
        return Combinators.combine(Arbitraries.of("/metadata/tenant", "/metadata/name", "/spec/secret/name",
                        "/spec/podDefault/name", "/spec/podDefault/selectorLabel", "/spec/secret/source/secretRef/namespace",
                        "/spec/secret/source/secretRef/name"), BadInput.strings())
                .as((at, name) -> set(at, N.textNode(name)));
    }

    /** The canary as a string where a number, an instant, a list or an object belongs. */
    private static Arbitrary<Mutation> secretWhereNoStringBelongs() {
        return Arbitraries.of("/metadata/generation", "/metadata/issuedAt", "/spec/expiresAt", "/spec/podDefault/env",
                        "/spec/podDefault/items", "/spec/secret/source", "/spec/secret/source/sealedData", "/spec", "/metadata",
                        "/spec/podDefault/env/0", "/spec/podDefault/items/0")
                .map(at -> set(at, N.textNode("secret " + CANARY)));
    }

    /** Env lists: empty, long, duplicated, with nasty names and keys. */
    private static Arbitrary<Mutation> env() {
        Arbitrary<JsonNode> entry = Combinators.combine(
                        Arbitraries.frequencyOf(Tuple.of(2, BadInput.strings()), Tuple.of(1, Arbitraries.of("TOKEN", "_X", "a.b", "A-B", "1X", "..X"))),
                        Arbitraries.of("token", "endpoint", "accesskey", "missing", "..", "a/b", ""))
                .as((name, key) -> (JsonNode) N.objectNode().put("name", name).put("key", key));
        Arbitrary<JsonNode> list = Arbitraries.frequencyOf(
                Tuple.of(4, entry.list().ofMaxSize(5).map(BadInput::array)),
                Tuple.of(1, entry.list().ofMinSize(60).ofMaxSize(80).map(BadInput::array)),
                Tuple.of(1, entry.map(e -> BadInput.array(List.of(e, e.deepCopy())))),
                Tuple.of(1, Arbitraries.just(N.arrayNode().addNull())));
        return list.map(l -> set("/spec/podDefault/env", l));
    }

    /** Item lists with traversal, absolute and duplicate paths. */
    private static Arbitrary<Mutation> items() {
        Arbitrary<String> paths = Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.of("config.json", "../x", "a/../../b", "a//b", "/abs", "a/", "..", ".", "..a", "a/..",
                        "%2e%2e/x", "a/\u0000", "\u2215etc", "a\\..\\b", "./a", "a/./b", "x".repeat(1025))),
                Tuple.of(1, BadInput.mountPaths()));
        Arbitrary<JsonNode> item = Combinators.combine(Arbitraries.of("token", ".dockerconfigjson", "accesskey", "nope", ".."), paths)
                .as((key, path) -> (JsonNode) N.objectNode().put("key", key).put("path", path));
        return Arbitraries.frequencyOf(
                        Tuple.of(4, item.list().ofMaxSize(4).map(BadInput::array)),
                        Tuple.of(1, item.list().ofMinSize(65).ofMaxSize(70).map(BadInput::array)),
                        Tuple.of(1, item.map(i -> (JsonNode) BadInput.array(List.of(i, i.deepCopy())))))
                .map(l -> set("/spec/podDefault/items", l));
    }

    /** Sealed data: empty, more than 64 keys, 1 MiB values, nasty keys, values that are not JWEs. */
    private static Arbitrary<Mutation> sealedData() {
        String jwe = canaryJwe(Json.readTree(Fixtures.text("grant/v1-sealed-data.json")).at("/spec/secret/source/sealedData/token").asText());
        Arbitrary<String> values = Arbitraries.frequencyOf(
                Tuple.of(4, Arbitraries.just(jwe)),
                Tuple.of(1, Arbitraries.of(CANARY, "a.b.c.d." + CANARY, "e30." + CANARY + ".a.b.c", "..." + CANARY + ".",
                        "eyJhbGciOiJub25lIn0.x.y." + CANARY + ".z", "!!." + CANARY + ".a.b.c")),
                Tuple.of(1, Arbitraries.just("aGVhZGVy.a.b." + CANARY + "x".repeat(BadInput.MIB) + ".c")));
        Arbitrary<Map<String, String>> maps = Arbitraries.frequencyOf(
                Tuple.of(4, Arbitraries.maps(Arbitraries.frequencyOf(Tuple.of(2, Arbitraries.of("token", "endpoint", ".dockerconfigjson",
                        "tls.crt", "tls.key", "username")), Tuple.of(1, BadInput.strings())), values).ofMaxSize(4)),
                Tuple.of(1, Arbitraries.maps(BadInput.nearNames(), Arbitraries.just(jwe)).ofMinSize(65).ofMaxSize(80)));
        return maps.map(m -> {
            ObjectNode data = N.objectNode();
            m.forEach(data::put);
            return set("/spec/secret/source/sealedData", data);
        });
    }

    private static Mutation set(String at, JsonNode value) {
        return new Mutation(Mutation.Op.SET, at, 0, value);
    }

    /** Applies {@code m} to {@code tree} in place; a mutation whose parent no longer exists does nothing. */
    public static void apply(ObjectNode tree, Mutation m) {
        String at = m.at() != null ? m.at() : pointers(tree).get(Math.floorMod(m.target(), pointers(tree).size()));
        JsonPointer pointer = JsonPointer.compile(at);
        if (pointer.matches()) {
            return;
        }
        JsonNode parent = tree.at(pointer.head());
        String last = pointer.last().getMatchingProperty();
        if (parent instanceof ObjectNode object) {
            switch (m.op()) {
                case SET -> object.set(last, m.value().deepCopy());
                case REMOVE -> object.remove(last);
                case RENAME_TO_LOOKALIKE -> {
                    JsonNode value = object.remove(last);
                    if (value != null) {
                        object.set(last.replace('a', '\u0430').replace('e', '\u0435') + "\u200b", value);
                    }
                }
            }
        } else if (parent instanceof ArrayNode array) {
            int index = pointer.last().getMatchingIndex();
            if (index >= 0 && index < array.size()) {
                switch (m.op()) {
                    case SET -> array.set(index, m.value().deepCopy());
                    case REMOVE, RENAME_TO_LOOKALIKE -> array.remove(index);
                }
            } else if (m.op() == Mutation.Op.SET && index == 0) {
                array.add(m.value().deepCopy());
            }
        }
    }

    /** Every node's pointer below the root, in document order. */
    static List<String> pointers(JsonNode tree) {
        List<String> out = new ArrayList<>();
        collect("", tree, out);
        return out.isEmpty() ? List.of("/kind") : out;
    }

    private static void collect(String path, JsonNode node, List<String> out) {
        if (node.isObject()) {
            Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> e = fields.next();
                String child = path + "/" + e.getKey().replace("~", "~0").replace("/", "~1");
                out.add(child);
                collect(child, e.getValue(), out);
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                String child = path + "/" + i;
                out.add(child);
                collect(child, node.get(i), out);
            }
        }
    }
}
