package dev.grantflow.model.fuzz;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Tuple;

/**
 * Generators of bad input shared by the property tests of every module (shipped in the model's test-jar): nasty
 * strings (unicode look-alikes, control and format characters, near-valid names, very long values), mount paths built
 * from system paths and traversal pieces, numbers that break parsers, random JSON values and deep nesting.
 *
 * <p>Everything here is a jqwik {@link Arbitrary}, so failing cases shrink. Strings never contain unpaired surrogates
 * (they cannot be written as JSON text); broken encodings are produced at the byte level instead ({@link ByteDamage}).
 */
public final class BadInput {

    /**
     * A value planted where secrets go (sealed data, descriptions, env values): it must never appear in a message, a
     * status, a warning or a log line. Base64url-safe, so that a JWE carrying it still has a valid shape.
     */
    public static final String CANARY = "c4n4ryS3cr3tV4lue";

    /** 1 MiB, the size of the largest grant value grant-service accepts. */
    public static final int MIB = 1024 * 1024;

    private static final JsonNodeFactory N = JsonNodeFactory.instance;

    /** Strings that look like names but are not, or are only just: every rule's edge. */
    private static final List<String> NASTY = List.of(
            "", " ", "\t", "\u0000", "a\u0000b", "a\nb", "a\rb", "\u007f", "\u0085", "\u009f",
            // Look-alikes: Cyrillic a and e, fullwidth letters, dotless i, ligature, zero-width and format characters.
            "\u0430lice", "t\u0435st-secret", "\uff41lice", "\u0131", "\ufb01le", "alice\u200b", "\u200balice",
            "\u202etxt.exe", "alice\ufeff", "\u00e9", "e\u0301", "\u01c5", "\u0130", "\ud83d\ude42", "\ud835\udc1a",
            // Case, punctuation and length edges of the DNS and label rules.
            "ALICE", "Alice", "alice-", "-alice", "alice.", ".alice", "a..b", "a_b", "a b", "a/b", "a/b/c", "/", "//",
            "..", ".", "...", "..a", ".a", "a:b", "a=b", "a,b", "0", "0a", "9lives", "_", "-", "x".repeat(63),
            "x".repeat(64), "x".repeat(253), "x".repeat(254), "a." + "x".repeat(62), ("a" + ".b".repeat(130)),
            "example.com/" + "x".repeat(63), "example.com/" + "x".repeat(64), "Example.com/x", "/x", "x/",
            // Encoded and escaped forms.
            "%2e%2e", "%2F", "..%2f", "%00", "\\", "\\..\\", "&amp;", "${env:HOME}", "{{x}}", "null", "true", "1e3");

    private BadInput() {
    }

    /** Nasty, near-valid and arbitrary strings; now and then a long one. */
    public static Arbitrary<String> strings() {
        return Arbitraries.frequencyOf(
                Tuple.of(6, Arbitraries.of(NASTY)),
                Tuple.of(4, nearNames()),
                Tuple.of(3, Arbitraries.strings().withCharRange('\u0000', '\ud7ff').ofMaxLength(24)),
                Tuple.of(1, Arbitraries.strings().withChars("\ud83d\ude42\u0430\u200b\u202e").ofMaxLength(8)),
                Tuple.of(1, Arbitraries.integers().between(255, 5000).map("n"::repeat)));
    }

    /** Mostly valid-looking names, from the characters the Kubernetes rules care about. */
    public static Arbitrary<String> nearNames() {
        return Arbitraries.strings().withCharRange('a', 'z').numeric().withChars("-._/A").ofMinLength(1).ofMaxLength(70);
    }

    /** Valid DNS-1123 labels, for the parts of a grant that must stay valid. */
    public static Arbitrary<String> labels() {
        return Arbitraries.strings().withCharRange('a', 'z').numeric().ofMinLength(1).ofMaxLength(20)
                .map(s -> Character.isLetterOrDigit(s.charAt(0)) ? s : "a" + s);
    }

    /**
     * Mount paths: absolute and relative, canonical and not, built from system paths, traversal pieces ({@code ..},
     * {@code .}, empty segments), percent-encoded and look-alike separators, control characters and look-alike
     * letters.
     */
    public static Arbitrary<String> mountPaths() {
        Arbitrary<String> segment = Arbitraries.frequencyOf(
                Tuple.of(6, Arbitraries.of("etc", "var", "run", "lib", "secrets", "kubernetes.io", "serviceaccount",
                        "home", "jovyan", ".docker", "secret", "proc", "sys", "usr", "dev", "tmp", "root", "opt", "mnt",
                        "boot", "bin", "sbin", "srv", "media", "lib64", "ssl", "token", "data", "config")),
                Tuple.of(3, Arbitraries.of("..", ".", "", "...", "%2e%2e", "%2e", "%2F", "..%2f", "\u2215", "\uff0f",
                        "\u2024\u2024", "\uff0e\uff0e", "\u0435tc", "ETC", "Var", "\u0000", "\n", "\u007f", "\u200b",
                        "\u202e", "\\..", " ", "~", "$HOME", "*")),
                Tuple.of(2, Arbitraries.strings().withCharRange('a', 'z').withChars("-._").ofMinLength(1).ofMaxLength(8)));
        Arbitrary<String> joined = segment.list().ofMinSize(0).ofMaxSize(6).map(s -> String.join("/", s));
        Arbitrary<String> prefix = Arbitraries.frequencyOf(Tuple.of(8, Arbitraries.just("/")), Tuple.of(1, Arbitraries.just("")),
                Tuple.of(1, Arbitraries.just("//")), Tuple.of(1, Arbitraries.just("./")), Tuple.of(1, Arbitraries.just("/var/run/")));
        Arbitrary<String> suffix = Arbitraries.frequencyOf(Tuple.of(8, Arbitraries.just("")), Tuple.of(1, Arbitraries.just("/")),
                Tuple.of(1, Arbitraries.just("/.")), Tuple.of(1, Arbitraries.just("/..")));
        Arbitrary<String> built = net.jqwik.api.Combinators.combine(prefix, joined, suffix).as((p, j, s) -> p + j + s);
        return Arbitraries.frequencyOf(
                Tuple.of(10, built),
                Tuple.of(2, Arbitraries.of("/var/run/secrets/kubernetes.io/serviceaccount", "/var/run/secrets/kubernetes.io",
                        "/var/run/secrets/kubernetes.io/serviceaccount/token", "/run/secrets/kubernetes.io/serviceaccount",
                        "/var/run/secrets", "/var/run/secrets/other", "/var/lib/kubelet", "/etc/ssl/certs", "/proc/self/environ",
                        "/home/jovyan", "/home/jovyan/.docker", "/home/jovyan/../../etc", "/secret/x/../../etc/passwd",
                        "/secret/%2e%2e/%2e%2e/etc", "/secret/\u2215etc", "/\u0435tc/ssl", "/etcetera", "/etc2", "/proc2",
                        "/usr2/x", "/tmp", "/tmp/x", "/", "", "relative/path")),
                Tuple.of(1, Arbitraries.integers().between(1000, 1100).map(n -> "/" + "a".repeat(n))));
    }

    /** Numbers that are wrong as generations or timestamps, or that stress a parser. */
    public static Arbitrary<JsonNode> numbers() {
        return Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.longs().map(N::numberNode)),
                Tuple.of(2, Arbitraries.of(0L, -1L, 1L, Long.MAX_VALUE, Long.MIN_VALUE).map(N::numberNode)),
                Tuple.of(1, Arbitraries.of(new BigDecimal("1e1000000000"), new BigDecimal("-1e1000000000"),
                        new BigDecimal("1.5"), new BigDecimal("1e-400"), new BigDecimal("9.99999999999999999999e18"),
                        new BigDecimal("1e20")).map(N::numberNode)),
                Tuple.of(1, Arbitraries.just(N.numberNode(new BigInteger("9".repeat(900))))),
                Tuple.of(1, Arbitraries.doubles().map(N::numberNode)));
    }

    /** Random JSON values up to {@code depth} levels of containers, with nasty strings and numbers at the leaves. */
    public static Arbitrary<JsonNode> json(int depth) {
        Arbitrary<JsonNode> leaf = Arbitraries.frequencyOf(
                Tuple.of(3, strings().map(N::textNode)),
                Tuple.of(2, numbers()),
                Tuple.of(1, Arbitraries.of(true, false).map(N::booleanNode)),
                Tuple.of(1, Arbitraries.just(N.nullNode())));
        if (depth <= 0) {
            return leaf;
        }
        Arbitrary<JsonNode> inner = json(depth - 1);
        Arbitrary<JsonNode> array = inner.list().ofMaxSize(4).map(BadInput::array);
        Arbitrary<JsonNode> object = Arbitraries.maps(strings(), inner).ofMaxSize(4).map(BadInput::object);
        return Arbitraries.frequencyOf(Tuple.of(4, leaf), Tuple.of(1, array), Tuple.of(1, object));
    }

    /** Values to put where a structure was expected: any JSON, deep nesting, a huge array, or a 1 MiB string. */
    public static Arbitrary<JsonNode> wrongValues() {
        return Arbitraries.frequencyOf(
                Tuple.of(12, json(2)),
                Tuple.of(1, Arbitraries.integers().between(1, 980).map(BadInput::nested)),
                Tuple.of(1, Arbitraries.integers().between(1000, 20_000).map(BadInput::hugeArray)),
                Tuple.of(1, Arbitraries.just(N.textNode("m".repeat(MIB)))));
    }

    /**
     * {@code [[[...]]]}, {@code depth} levels. As a tree it stays below Jackson's nesting limit (1000), which also
     * applies to writing; deeper documents are made as text ({@link ByteDamage.Kind#DEEP}).
     */
    public static JsonNode nested(int depth) {
        JsonNode node = N.arrayNode();
        for (int i = 1; i < depth; i++) {
            node = N.arrayNode().add(node);
        }
        return node;
    }

    private static JsonNode hugeArray(int size) {
        ArrayNode array = N.arrayNode(size);
        for (int i = 0; i < size; i++) {
            array.add(i);
        }
        return array;
    }

    public static ArrayNode array(List<JsonNode> items) {
        ArrayNode array = N.arrayNode(items.size());
        items.forEach(array::add);
        return array;
    }

    public static ObjectNode object(Map<String, JsonNode> members) {
        ObjectNode object = N.objectNode();
        members.forEach(object::set);
        return object;
    }

    /** The text, shortened for a counterexample's description. */
    public static String preview(String text, int max) {
        StringBuilder sb = new StringBuilder();
        text.codePoints().limit(max).forEach(cp -> {
            if (Character.isISOControl(cp)) {
                sb.append(String.format("\\u%04x", cp));
            } else {
                sb.appendCodePoint(cp);
            }
        });
        int length = text.codePointCount(0, text.length());
        return length > max ? sb + "...(" + length + " code points)" : sb.toString();
    }
}
