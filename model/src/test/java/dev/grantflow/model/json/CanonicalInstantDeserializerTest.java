package dev.grantflow.model.json;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * Instants read by the canonical fast path are exactly what JavaTimeModule reads, and anything else is read (or
 * refused) by JavaTimeModule as before.
 */
class CanonicalInstantDeserializerTest {

    /** JavaTimeModule alone: the reference. */
    private static final ObjectMapper REFERENCE = JsonMapper.builder().addModule(new JavaTimeModule()).build();
    private static final long YEAR_0 = Instant.parse("0000-01-01T00:00:00Z").getEpochSecond();
    private static final long YEAR_9999 = Instant.parse("9999-12-31T23:59:59Z").getEpochSecond();

    @Property(tries = 2000)
    void canonicalInstantsOfAnyPrecisionAreReadFastAndAsJavaTimeModuleReadsThem(
            @ForAll("instants") Instant instant,
            @ForAll @IntRange(min = 0, max = 9) int digits) throws Exception {
        String text = canonical(instant, digits);
        Instant expected = REFERENCE.readValue(quoted(text), Instant.class);

        assertThat(CanonicalInstantDeserializer.parse(text)).as(text).isEqualTo(expected);
        assertThat(Json.read(quoted(text), Instant.class)).as(text).isEqualTo(expected);
    }

    @Property(tries = 5000)
    void anyOtherTextIsReadOrRefusedAsJavaTimeModuleDoes(@ForAll("nearlyCanonical") String text) {
        Instant fast = CanonicalInstantDeserializer.parse(text);
        Instant reference = referenceOrNull(text);
        if (fast != null) {
            assertThat(reference).as("fast path took %s", text).isEqualTo(fast);
        }
        Parsed<Instant> read = Json.parse(quoted(text), Instant.class);
        if (reference == null) {
            assertThat(read).as(text).isInstanceOf(Parsed.Failed.class);
        } else {
            assertThat(read).as(text).isEqualTo(new Parsed.Ok<>(reference));
        }
    }

    @Example
    void shapesTheFastPathLeavesToJavaTimeModule() {
        for (String text : new String[] {"2026-11-26t10:00:00z", " 2026-11-26T10:00:00Z", "2026-11-26T10:00:00+00:00",
                "2026-11-26T24:00:00Z", "2026-02-30T10:00:00Z", "2026-11-26T10:00:60Z", "2026-11-26T10:00:00.Z",
                "+12026-11-26T10:00:00Z", "2026-11-26T10:00:00.1234567890Z", "2026-11-26T10:00Z", ""}) {
            assertThat(CanonicalInstantDeserializer.parse(text)).as(text).isNull();
            Instant reference = referenceOrNull(text);
            Parsed<Instant> read = Json.parse(quoted(text), Instant.class);
            assertThat(read instanceof Parsed.Ok<Instant> ok ? ok.value() : null).as(text).isEqualTo(reference);
        }
        assertThat(Json.read("1764151200", Instant.class)).isEqualTo(REFERENCE.convertValue(1764151200L, Instant.class));
    }

    @Provide
    Arbitrary<Instant> instants() {
        return Arbitraries.longs().between(YEAR_0, YEAR_9999).flatMap(seconds -> Arbitraries.integers()
                .between(0, 999_999_999).map(nanos -> Instant.ofEpochSecond(seconds, nanos)));
    }

    @Provide
    Arbitrary<String> nearlyCanonical() {
        Arbitrary<String> canonical = instants().flatMap(instant -> Arbitraries.integers().between(0, 9)
                .map(digits -> canonical(instant, digits)));
        // One to three characters replaced, inserted or removed, from those the shape is made of and a few others.
        Arbitrary<Character> chars = Arbitraries.of('0', '1', '2', '5', '9', '-', ':', '.', 'T', 't', 'Z', 'z', '+', ' ',
                'x');
        return canonical.flatMap(text -> Arbitraries.integers().between(1, 3).flatMap(edits -> Arbitraries
                .integers().between(0, text.length()).list().ofSize(edits).flatMap(positions -> chars.list()
                        .ofSize(edits).flatMap(replacements -> Arbitraries.integers().between(0, 2).list()
                                .ofSize(edits).map(kinds -> edit(text, positions, replacements, kinds))))));
    }

    private static String edit(String text, java.util.List<Integer> positions, java.util.List<Character> chars,
                               java.util.List<Integer> kinds) {
        StringBuilder result = new StringBuilder(text);
        for (int i = 0; i < positions.size(); i++) {
            int at = Math.min(positions.get(i), result.length());
            switch (kinds.get(i)) {
                case 0 -> result.insert(at, chars.get(i));
                case 1 -> {
                    if (at < result.length()) {
                        result.setCharAt(at, chars.get(i));
                    }
                }
                default -> {
                    if (at < result.length()) {
                        result.deleteCharAt(at);
                    }
                }
            }
        }
        return result.toString();
    }

    /** {@code yyyy-MM-ddTHH:mm:ss[.f...]Z} with exactly {@code digits} fraction digits (0: none). */
    private static String canonical(Instant instant, int digits) {
        String seconds = DateTimeFormatter.ISO_INSTANT.format(Instant.ofEpochSecond(instant.getEpochSecond()));
        if (digits == 0) {
            return seconds;
        }
        String nanos = String.format("%09d", instant.getNano()).substring(0, digits);
        return seconds.substring(0, seconds.length() - 1) + "." + nanos + "Z";
    }

    private static Instant referenceOrNull(String text) {
        try {
            return REFERENCE.readValue(quoted(text), Instant.class);
        } catch (Exception e) {
            return null;
        }
    }

    private static String quoted(String text) {
        return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
