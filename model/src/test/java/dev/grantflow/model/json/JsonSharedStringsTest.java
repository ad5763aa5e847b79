package dev.grantflow.model.json;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grantflow.model.fixtures.Fixtures;
import dev.grantflow.model.grant.Grant;
import dev.grantflow.model.grant.GrantStatus;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * {@link Json#parseShared}: the same value as {@link Json#parse} (or the same failure), with its short strings, values
 * and object keys alike, shared between every value read.
 */
class JsonSharedStringsTest {

    @Test
    void twoReadsOfAGrantShareTheirShortStringsAndKeepTheLongOnesApart() {
        byte[] bytes = Fixtures.bytes("grant/v1-sealed-data.json");
        Grant first = ((Parsed.Ok<Grant>) Json.parseShared(bytes, Grant.class)).value();
        Grant second = ((Parsed.Ok<Grant>) Json.parseShared(bytes.clone(), Grant.class)).value();

        assertThat(first).isEqualTo(((Parsed.Ok<Grant>) Json.parse(bytes, Grant.class)).value()).isEqualTo(second);
        assertThat(second.apiVersion()).isSameAs(first.apiVersion());
        assertThat(second.metadata().tenant()).isSameAs(first.metadata().tenant());
        assertThat(second.metadata().name()).isSameAs(first.metadata().name());
        assertThat(second.spec().secret().name()).isSameAs(first.spec().secret().name());
        assertThat(second.spec().podDefault().mountPath()).isSameAs(first.spec().podDefault().mountPath());

        Map<String, String> sealed = first.spec().secret().source().sealedData();
        Map<String, String> sealedAgain = second.spec().secret().source().sealedData();
        assertThat(sealed).isNotEmpty();
        sealed.forEach((key, value) -> {
            String keyAgain = sealedAgain.keySet().stream().filter(key::equals).findFirst().orElseThrow();
            assertThat(keyAgain).as("object keys are shared").isSameAs(key);
            assertThat(value.length()).as("a sealed value is long").isGreaterThan(SharedStrings.MAX_LENGTH);
            assertThat(sealedAgain.get(key)).as("long strings are not interned").isEqualTo(value).isNotSameAs(value);
        });
    }

    @Test
    void aStatusSharesItsStrings() {
        byte[] bytes = Fixtures.bytes("grant-status/rejected.json");
        GrantStatus first = ((Parsed.Ok<GrantStatus>) Json.parseShared(bytes, GrantStatus.class)).value();
        GrantStatus second = ((Parsed.Ok<GrantStatus>) Json.parseShared(bytes.clone(), GrantStatus.class)).value();
        assertThat(first).isEqualTo(((Parsed.Ok<GrantStatus>) Json.parse(bytes, GrantStatus.class)).value());
        assertThat(second.message()).isEqualTo(first.message()).isSameAs(first.message());
    }

    @ParameterizedTest
    @ValueSource(strings = {"grant/v1-secret-ref.json", "grant/v1-sealed-data.json", "grant/v1-env.json",
            "grant/v1-dockerconfigjson-items.json", "grant-invalid/duplicate-key.json", "grant-invalid/malformed.json",
            "grant-invalid/many-problems.json", "grant-invalid/sealed-canary.json", "grant-invalid/wrong-shape.json",
            "grant-status/applied.json", "grant-status/failed.json", "grant-status/pending.json",
            "grant-status/rejected.json", "grant-status/revoked.json"})
    void everyFixtureReadsAsParseReadsIt(String fixture) {
        byte[] bytes = Fixtures.bytes(fixture);
        Class<?> type = fixture.startsWith("grant-status/") ? GrantStatus.class : Grant.class;
        assertThat(describe(Json.parseShared(bytes, type))).isEqualTo(describe(Json.parse(bytes, type)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "null", "{", "{\"apiVersion\": 1}", "{\"kind\": [\"Grant\"]}",
            "{\"metadata\": {\"name\": \"a\"}} trailing", "{\"metadata\": {\"generation\": \"one\"}}", "[1, 2]",
            "{\"a\": 1, \"a\": 2}", "\"text\""})
    void badInputFailsAsParseFailsIt(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        assertThat(describe(Json.parseShared(bytes, Grant.class))).isEqualTo(describe(Json.parse(bytes, Grant.class)));
    }

    /** The value, or the failure's reason and message. */
    private static List<Object> describe(Parsed<?> parsed) {
        return parsed instanceof Parsed.Ok<?> ok ? List.of("ok", ok.value())
                : List.of("failed", ((Parsed.Failed<?>) parsed).failure().reason(),
                        ((Parsed.Failed<?>) parsed).failure().getMessage());
    }
}
