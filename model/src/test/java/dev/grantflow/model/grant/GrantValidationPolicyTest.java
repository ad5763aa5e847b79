package dev.grantflow.model.grant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.grantflow.model.fixtures.Fixtures;
import dev.grantflow.model.json.Json;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every validation rule, as tables of single changes to a valid grant: each invalid change yields exactly the one
 * expected violation, each valid change none.
 */
class GrantValidationPolicyTest {

    private static final String SECRET_REF = "grant/v1-secret-ref.json";
    private static final String SEALED = "grant/v1-sealed-data.json";
    private static final Object REMOVE = new Object();

    static Stream<Arguments> invalidChanges() {
        return Stream.of(
                // apiVersion and kind
                invalid(SECRET_REF, "/apiVersion", "grantflow.dev/v2", "apiVersion", ViolationReason.UNSUPPORTED),
                invalid(SECRET_REF, "/apiVersion", REMOVE, "apiVersion", ViolationReason.REQUIRED),
                invalid(SECRET_REF, "/kind", "Secret", "kind", ViolationReason.UNSUPPORTED),
                invalid(SECRET_REF, "/kind", "", "kind", ViolationReason.REQUIRED),
                // metadata
                invalid(SECRET_REF, "/metadata", REMOVE, "metadata", ViolationReason.REQUIRED),
                invalid(SECRET_REF, "/metadata/tenant", "Alice", "metadata.tenant", ViolationReason.INVALID_FORMAT),
                invalid(SECRET_REF, "/metadata/tenant", "team.alice", "metadata.tenant", ViolationReason.INVALID_FORMAT),
                invalid(SECRET_REF, "/metadata/tenant", "a".repeat(64), "metadata.tenant", ViolationReason.TOO_LONG),
                invalid(SECRET_REF, "/metadata/tenant", "", "metadata.tenant", ViolationReason.REQUIRED),
                invalid(SECRET_REF, "/metadata/tenant", null, "metadata.tenant", ViolationReason.REQUIRED),
                invalid(SECRET_REF, "/metadata/name", "Test_Secret", "metadata.name", ViolationReason.INVALID_FORMAT),
                invalid(SECRET_REF, "/metadata/name", "a".repeat(64), "metadata.name", ViolationReason.TOO_LONG),
                invalid(SECRET_REF, "/metadata/name", REMOVE, "metadata.name", ViolationReason.REQUIRED),
                invalid(SECRET_REF, "/metadata/generation", 0, "metadata.generation", ViolationReason.OUT_OF_RANGE),
                invalid(SECRET_REF, "/metadata/generation", -3, "metadata.generation", ViolationReason.OUT_OF_RANGE),
                invalid(SECRET_REF, "/metadata/generation", REMOVE, "metadata.generation", ViolationReason.OUT_OF_RANGE),
                invalid(SECRET_REF, "/metadata/issuedAt", REMOVE, "metadata.issuedAt", ViolationReason.REQUIRED),
                invalid(SECRET_REF, "/metadata/issuer", "x".repeat(257), "metadata.issuer", ViolationReason.TOO_LONG),
                // spec and secret
                invalid(SECRET_REF, "/spec", REMOVE, "spec", ViolationReason.REQUIRED),
                invalid(SECRET_REF, "/spec/secret", REMOVE, "spec.secret", ViolationReason.REQUIRED),
                invalid(SECRET_REF, "/spec/secret/name", "-test-secret", "spec.secret.name", ViolationReason.INVALID_FORMAT),
                invalid(SECRET_REF, "/spec/secret/name", "a".repeat(254), "spec.secret.name", ViolationReason.TOO_LONG),
                invalid(SECRET_REF, "/spec/secret/name", REMOVE, "spec.secret.name", ViolationReason.REQUIRED),
                invalid(SECRET_REF, "/spec/secret/type", "kubernetes.io/service-account-token", "spec.secret.type", ViolationReason.UNSUPPORTED),
                invalid(SECRET_REF, "/spec/secret/type", "opaque", "spec.secret.type", ViolationReason.UNSUPPORTED),
                invalid(SECRET_REF, "/spec/secret/type", REMOVE, "spec.secret.type", ViolationReason.REQUIRED),
                invalid(SECRET_REF, "/spec/secret/source", REMOVE, "spec.secret.source", ViolationReason.REQUIRED),
                invalid(SECRET_REF, "/spec/secret/source", Map.of(), "spec.secret.source", ViolationReason.REQUIRED),
                invalid(SECRET_REF, "/spec/secret/source/sealedData", Map.of("a", jwe()), "spec.secret.source", ViolationReason.AMBIGUOUS),
                invalid(SECRET_REF, "/spec/secret/source/secretRef/namespace", "Grantflow_Sources",
                        "spec.secret.source.secretRef.namespace", ViolationReason.INVALID_FORMAT),
                invalid(SECRET_REF, "/spec/secret/source/secretRef/namespace", "a".repeat(64),
                        "spec.secret.source.secretRef.namespace", ViolationReason.TOO_LONG),
                invalid(SECRET_REF, "/spec/secret/source/secretRef/name", "", "spec.secret.source.secretRef.name", ViolationReason.REQUIRED),
                invalid(SECRET_REF, "/spec/secret/source/secretRef/name", "Test", "spec.secret.source.secretRef.name", ViolationReason.INVALID_FORMAT),
                // sealed data
                invalid(SECRET_REF, "/spec/secret/source", Map.of("sealedData", Map.of()), "spec.secret.source.sealedData", ViolationReason.REQUIRED),
                invalid(SEALED, "/spec/secret/source/sealedData", manyKeys(65), "spec.secret.source.sealedData", ViolationReason.TOO_MANY),
                invalid(SEALED, "/spec/secret/source/sealedData/bad key", jwe(), "spec.secret.source.sealedData['bad key']", ViolationReason.INVALID_FORMAT),
                invalid(SEALED, "/spec/secret/source/sealedData/..", jwe(), "spec.secret.source.sealedData['..']", ViolationReason.INVALID_FORMAT),
                invalid(SEALED, "/spec/secret/source/sealedData/" + "k".repeat(254), jwe(),
                        "spec.secret.source.sealedData['" + "k".repeat(64) + "...']", ViolationReason.TOO_LONG),
                invalid(SEALED, "/spec/secret/source/sealedData/endpoint", "plain-text-value", "spec.secret.source.sealedData['endpoint']", ViolationReason.INVALID_FORMAT),
                invalid(SEALED, "/spec/secret/source/sealedData/endpoint", "a.b.c.d", "spec.secret.source.sealedData['endpoint']", ViolationReason.INVALID_FORMAT),
                invalid(SEALED, "/spec/secret/source/sealedData/endpoint", jwe().replaceFirst("\\.", "!."), "spec.secret.source.sealedData['endpoint']", ViolationReason.INVALID_FORMAT),
                invalid(SEALED, "/spec/secret/source/sealedData/endpoint", jwe() + "=", "spec.secret.source.sealedData['endpoint']", ViolationReason.INVALID_FORMAT),
                invalid(SEALED, "/spec/secret/source/sealedData/endpoint", jwe().substring(0, jwe().lastIndexOf('.') + 1),
                        "spec.secret.source.sealedData['endpoint']", ViolationReason.INVALID_FORMAT),
                invalid(SEALED, "/spec/secret/source/sealedData/endpoint", b64("not json") + jwe().substring(jwe().indexOf('.')),
                        "spec.secret.source.sealedData['endpoint']", ViolationReason.INVALID_FORMAT),
                invalid(SEALED, "/spec/secret/source/sealedData/endpoint", b64("[1]") + jwe().substring(jwe().indexOf('.')),
                        "spec.secret.source.sealedData['endpoint']", ViolationReason.INVALID_FORMAT),
                invalid(SEALED, "/spec/secret/source/sealedData/endpoint", jwe("RSA1_5", "A256GCM"), "spec.secret.source.sealedData['endpoint']", ViolationReason.UNSUPPORTED),
                invalid(SEALED, "/spec/secret/source/sealedData/endpoint", jwe("RSA-OAEP-256", "A128CBC-HS256"), "spec.secret.source.sealedData['endpoint']", ViolationReason.UNSUPPORTED),
                invalid(SEALED, "/spec/secret/source/sealedData/endpoint", jwe("dir", "A256GCM"), "spec.secret.source.sealedData['endpoint']", ViolationReason.UNSUPPORTED),
                invalid(SEALED, "/spec/secret/source/sealedData/endpoint", "", "spec.secret.source.sealedData['endpoint']", ViolationReason.REQUIRED),
                invalid(SEALED, "/spec/secret/source/sealedData/endpoint", null, "spec.secret.source.sealedData['endpoint']", ViolationReason.REQUIRED),
                invalid(SEALED, "/spec/secret/source/sealedData/big", jwe(1_048_576), "spec.secret.source.sealedData", ViolationReason.TOO_LARGE),
                invalid(SEALED, "/spec/secret/type", "kubernetes.io/dockerconfigjson", "spec.secret.source.sealedData", ViolationReason.MISSING_KEY),
                invalid(SEALED, "/spec/secret/type", "kubernetes.io/tls", "spec.secret.source.sealedData", ViolationReason.MISSING_KEY),
                invalid(SEALED, "/spec/secret/type", "kubernetes.io/basic-auth", "spec.secret.source.sealedData", ViolationReason.MISSING_KEY),
                invalid(SEALED, "/spec/secret/type", "kubernetes.io/ssh-auth", "spec.secret.source.sealedData", ViolationReason.MISSING_KEY),
                invalid(SEALED, "/spec/podDefault/env", List.of(Map.of("name", "X", "key", "other")), "spec.podDefault.env[0].key", ViolationReason.MISSING_KEY),
                invalid(SEALED, "/spec/podDefault/items", List.of(Map.of("key", "other", "path", "x")), "spec.podDefault.items[0].key", ViolationReason.MISSING_KEY),
                // podDefault
                invalid(SECRET_REF, "/spec/podDefault", REMOVE, "spec.podDefault", ViolationReason.REQUIRED),
                invalid(SECRET_REF, "/spec/podDefault/name", "Test-Secret", "spec.podDefault.name", ViolationReason.INVALID_FORMAT),
                invalid(SECRET_REF, "/spec/podDefault/name", REMOVE, "spec.podDefault.name", ViolationReason.REQUIRED),
                invalid(SECRET_REF, "/spec/podDefault/desc", "d".repeat(1025), "spec.podDefault.desc", ViolationReason.TOO_LONG),
                invalid(SECRET_REF, "/spec/podDefault/selectorLabel", "-test-secret", "spec.podDefault.selectorLabel", ViolationReason.INVALID_FORMAT),
                invalid(SECRET_REF, "/spec/podDefault/selectorLabel", "grantflow.dev/", "spec.podDefault.selectorLabel", ViolationReason.INVALID_FORMAT),
                invalid(SECRET_REF, "/spec/podDefault/selectorLabel", "Grantflow.dev/x", "spec.podDefault.selectorLabel", ViolationReason.INVALID_FORMAT),
                invalid(SECRET_REF, "/spec/podDefault/selectorLabel", "test secret", "spec.podDefault.selectorLabel", ViolationReason.INVALID_FORMAT),
                invalid(SECRET_REF, "/spec/podDefault/selectorLabel", "l".repeat(64), "spec.podDefault.selectorLabel", ViolationReason.TOO_LONG),
                invalid(SECRET_REF, "/spec/podDefault/selectorLabel", REMOVE, "spec.podDefault.selectorLabel", ViolationReason.REQUIRED),
                invalid(SECRET_REF, "/spec/podDefault/mountPath", "secret/test-secret", "spec.podDefault.mountPath", ViolationReason.INVALID_FORMAT),
                invalid(SECRET_REF, "/spec/podDefault/mountPath", "/secret/../etc", "spec.podDefault.mountPath", ViolationReason.INVALID_FORMAT),
                invalid(SECRET_REF, "/spec/podDefault/mountPath", "/secret//x", "spec.podDefault.mountPath", ViolationReason.INVALID_FORMAT),
                invalid(SECRET_REF, "/spec/podDefault/mountPath", "/var/run/secrets/kubernetes.io/serviceaccount", "spec.podDefault.mountPath", ViolationReason.FORBIDDEN_PATH),
                invalid(SECRET_REF, "/spec/podDefault/mountPath", "/", "spec.podDefault.mountPath", ViolationReason.FORBIDDEN_PATH),
                invalid(SECRET_REF, "/spec/podDefault/mountPath", "/etc/ssl", "spec.podDefault.mountPath", ViolationReason.FORBIDDEN_PATH),
                invalid(SECRET_REF, "/spec/podDefault/mountPath", REMOVE, "spec.podDefault.mountPath", ViolationReason.REQUIRED),
                // items
                invalid(SECRET_REF, "/spec/podDefault/items", List.of(Map.of("key", "bad key", "path", "x")), "spec.podDefault.items[0].key", ViolationReason.INVALID_FORMAT),
                invalid(SECRET_REF, "/spec/podDefault/items", List.of(Map.of("path", "x")), "spec.podDefault.items[0].key", ViolationReason.REQUIRED),
                invalid(SECRET_REF, "/spec/podDefault/items", List.of(Map.of("key", "a")), "spec.podDefault.items[0].path", ViolationReason.REQUIRED),
                invalid(SECRET_REF, "/spec/podDefault/items", List.of(Map.of("key", "a", "path", "/etc/passwd")), "spec.podDefault.items[0].path", ViolationReason.INVALID_FORMAT),
                invalid(SECRET_REF, "/spec/podDefault/items", List.of(Map.of("key", "a", "path", "../x")), "spec.podDefault.items[0].path", ViolationReason.INVALID_FORMAT),
                invalid(SECRET_REF, "/spec/podDefault/items", List.of(Map.of("key", "a", "path", "..x")), "spec.podDefault.items[0].path", ViolationReason.INVALID_FORMAT),
                invalid(SECRET_REF, "/spec/podDefault/items", List.of(Map.of("key", "a", "path", "sub/../../x")), "spec.podDefault.items[0].path", ViolationReason.INVALID_FORMAT),
                invalid(SECRET_REF, "/spec/podDefault/items", List.of(Map.of("key", "a", "path", "sub//x")), "spec.podDefault.items[0].path", ViolationReason.INVALID_FORMAT),
                invalid(SECRET_REF, "/spec/podDefault/items", List.of(Map.of("key", "a", "path", "sub/")), "spec.podDefault.items[0].path", ViolationReason.INVALID_FORMAT),
                invalid(SECRET_REF, "/spec/podDefault/items", List.of(Map.of("key", "a", "path", ".")), "spec.podDefault.items[0].path", ViolationReason.INVALID_FORMAT),
                invalid(SECRET_REF, "/spec/podDefault/items", List.of(Map.of("key", "a", "path", "./.")), "spec.podDefault.items[0].path", ViolationReason.INVALID_FORMAT),
                invalid(SECRET_REF, "/spec/podDefault/items", List.of(Map.of("key", "a", "path", "x"), Map.of("key", "b", "path", "x")),
                        "spec.podDefault.items[1].path", ViolationReason.DUPLICATE),
                invalid(SECRET_REF, "/spec/podDefault/items", nullList(), "spec.podDefault.items[0]", ViolationReason.REQUIRED),
                invalid(SECRET_REF, "/spec/podDefault/items", items(65), "spec.podDefault.items", ViolationReason.TOO_MANY),
                // env
                invalid(SECRET_REF, "/spec/podDefault/env", List.of(Map.of("name", "1TOKEN", "key", "a")), "spec.podDefault.env[0].name", ViolationReason.INVALID_FORMAT),
                invalid(SECRET_REF, "/spec/podDefault/env", List.of(Map.of("name", "MY TOKEN", "key", "a")), "spec.podDefault.env[0].name", ViolationReason.INVALID_FORMAT),
                invalid(SECRET_REF, "/spec/podDefault/env", List.of(Map.of("name", "..", "key", "a")), "spec.podDefault.env[0].name", ViolationReason.INVALID_FORMAT),
                invalid(SECRET_REF, "/spec/podDefault/env", List.of(Map.of("key", "a")), "spec.podDefault.env[0].name", ViolationReason.REQUIRED),
                invalid(SECRET_REF, "/spec/podDefault/env", List.of(Map.of("name", "A", "key", "a"), Map.of("name", "A", "key", "b")),
                        "spec.podDefault.env[1].name", ViolationReason.DUPLICATE),
                invalid(SECRET_REF, "/spec/podDefault/env", List.of(Map.of("name", "A", "key", "a/b")), "spec.podDefault.env[0].key", ViolationReason.INVALID_FORMAT),
                invalid(SECRET_REF, "/spec/podDefault/env", List.of(Map.of("name", "A")), "spec.podDefault.env[0].key", ViolationReason.REQUIRED),
                invalid(SECRET_REF, "/spec/podDefault/env", env(65), "spec.podDefault.env", ViolationReason.TOO_MANY),
                // expiry
                invalid(SECRET_REF, "/spec/expiresAt", "2026-11-26T09:59:59Z", "spec.expiresAt", ViolationReason.OUT_OF_RANGE),
                invalid(SECRET_REF, "/spec/expiresAt", "2026-11-26T10:00:00Z", "spec.expiresAt", ViolationReason.OUT_OF_RANGE));
    }

    @ParameterizedTest(name = "[{index}] {1} = {2} -> {3} {4}")
    @MethodSource("invalidChanges")
    void invalidChangeYieldsExactlyItsViolation(String base, String pointer, String shown, String field, ViolationReason reason,
                                                 Object value) {
        Grant grant = change(base, pointer, value);

        GrantValidation validation = GrantValidationPolicy.validate(grant);

        assertThat(validation.isValid()).isFalse();
        assertThat(validation.violations()).extracting(Violation::field, Violation::reason).containsExactly(tuple(field, reason));
        assertThat(validation.violations().get(0).message()).isNotBlank();
    }

    static Stream<Arguments> validChanges() {
        return Stream.of(
                valid(SECRET_REF, "/metadata/tenant", "a".repeat(63)),
                valid(SECRET_REF, "/metadata/tenant", "0-team"),
                valid(SECRET_REF, "/metadata/name", "a.b-c"),
                valid(SECRET_REF, "/metadata/name", "g".repeat(63)),
                valid(SECRET_REF, "/metadata/generation", Long.MAX_VALUE),
                valid(SECRET_REF, "/metadata/issuer", REMOVE),
                valid(SECRET_REF, "/spec/secret/name", subdomain253()),
                valid(SECRET_REF, "/spec/secret/type", "kubernetes.io/tls"),
                valid(SECRET_REF, "/spec/secret/type", "kubernetes.io/ssh-auth"),
                valid(SECRET_REF, "/spec/secret/source/secretRef/name", "a.b"),
                valid(SECRET_REF, "/spec/podDefault/name", subdomain253()),
                valid(SECRET_REF, "/spec/podDefault/desc", "d".repeat(1024)),
                valid(SECRET_REF, "/spec/podDefault/desc", REMOVE),
                valid(SECRET_REF, "/spec/podDefault/selectorLabel", "grantflow.dev/test-secret"),
                valid(SECRET_REF, "/spec/podDefault/selectorLabel", "Test_Secret.v1"),
                valid(SECRET_REF, "/spec/podDefault/mountPath", "/home/jovyan/.docker"),
                valid(SECRET_REF, "/spec/podDefault/mountPath", "/opt/credentials"),
                valid(SECRET_REF, "/spec/podDefault/items", List.of()),
                valid(SECRET_REF, "/spec/podDefault/items", List.of(Map.of("key", ".dockerconfigjson", "path", "config.json"))),
                valid(SECRET_REF, "/spec/podDefault/items", List.of(Map.of("key", "a", "path", "sub/dir/a.txt"), Map.of("key", "a", "path", "b.txt"))),
                valid(SECRET_REF, "/spec/podDefault/items", items(64)),
                valid(SECRET_REF, "/spec/podDefault/items", List.of(Map.of("key", "a", "path", "./a.txt"), Map.of("key", "a", "path", ".hidden"))),
                valid(SECRET_REF, "/spec/podDefault/env", List.of(Map.of("name", "MY_ENV.NAME", "key", "a"), Map.of("name", "my-env", "key", "a"))),
                valid(SECRET_REF, "/spec/podDefault/env", List.of(Map.of("name", "_X", "key", "tls.crt"))),
                valid(SECRET_REF, "/spec/podDefault/env", REMOVE),
                valid(SECRET_REF, "/spec/podDefault/env", env(64)),
                valid(SECRET_REF, "/spec/expiresAt", "2026-11-26T10:00:01Z"),
                valid(SEALED, "/spec/secret/source/sealedData", manyKeys(64)),
                valid(SEALED, "/spec/podDefault/env", List.of()),
                valid(SEALED, "/spec/secret/source/sealedData/empty", jwe(0)),
                valid(SEALED, "/spec/secret/source/sealedData/big", jwe(700_000)),
                valid(SEALED, "/spec/secret/source/sealedData/password", jwe()),
                valid(SEALED, "/spec/podDefault/items", List.of(Map.of("key", "endpoint", "path", "conf/endpoint"))));
    }

    @ParameterizedTest(name = "[{index}] {1} = {2}")
    @MethodSource("validChanges")
    void validChangeYieldsNoViolation(String base, String pointer, String shown, Object value) {
        Grant grant = change(base, pointer, value);

        assertThat(GrantValidationPolicy.violations(grant, null)).isEmpty();
        assertThat(GrantValidationPolicy.validate(grant)).isEqualTo(new GrantValidation.Valid(grant));
    }

    @Test
    void basicAuthNeedsOnlyOneOfUsernameAndPassword() {
        Grant grant = change(change(SEALED, "/spec/secret/type", "kubernetes.io/basic-auth"), "/spec/secret/source/sealedData/password", jwe());

        assertThat(GrantValidationPolicy.violations(grant, null)).isEmpty();
    }

    @Test
    void recordKeyMustMatchTenantAndName() {
        Grant grant = Fixtures.read(SECRET_REF, Grant.class);

        assertThat(GrantValidationPolicy.violations(grant, new GrantKey("alice", "test-secret"))).isEmpty();
        assertThat(GrantValidationPolicy.violations(grant, new GrantKey("bob", "test-secret")))
                .singleElement().satisfies(v -> {
                    assertThat(v.field()).isEqualTo("metadata");
                    assertThat(v.reason()).isEqualTo(ViolationReason.KEY_MISMATCH);
                    assertThat(v.message()).contains("'bob/test-secret'").contains("'alice/test-secret'");
                });
    }

    @Test
    void nullGrantIsAViolationNotAnException() {
        assertThat(GrantValidationPolicy.violations(null, null))
                .extracting(Violation::field, Violation::reason).containsExactly(tuple("$", ViolationReason.REQUIRED));
    }

    @Test
    void grantWithManyProblemsReportsAllOfThemInDocumentOrder() {
        Grant grant = Fixtures.read("grant-invalid/many-problems.json", Grant.class);

        GrantValidation validation = GrantValidationPolicy.validate(grant, new GrantKey("alice", "test-secret"));

        assertThat(validation).isInstanceOf(GrantValidation.Invalid.class);
        assertThat(validation.violations()).extracting(Violation::field, Violation::reason).containsExactly(
                tuple("apiVersion", ViolationReason.UNSUPPORTED),
                tuple("metadata.tenant", ViolationReason.INVALID_FORMAT),
                tuple("metadata.name", ViolationReason.INVALID_FORMAT),
                tuple("metadata.generation", ViolationReason.OUT_OF_RANGE),
                tuple("metadata", ViolationReason.KEY_MISMATCH),
                tuple("spec.secret.name", ViolationReason.INVALID_FORMAT),
                tuple("spec.secret.type", ViolationReason.UNSUPPORTED),
                tuple("spec.secret.source", ViolationReason.AMBIGUOUS),
                tuple("spec.secret.source.secretRef.namespace", ViolationReason.INVALID_FORMAT),
                tuple("spec.podDefault.selectorLabel", ViolationReason.INVALID_FORMAT),
                tuple("spec.podDefault.mountPath", ViolationReason.FORBIDDEN_PATH),
                tuple("spec.podDefault.items[0].path", ViolationReason.INVALID_FORMAT),
                tuple("spec.podDefault.items[1].key", ViolationReason.INVALID_FORMAT),
                tuple("spec.podDefault.env[0].name", ViolationReason.INVALID_FORMAT),
                tuple("spec.podDefault.env[2].name", ViolationReason.DUPLICATE),
                tuple("spec.podDefault.env[2].key", ViolationReason.MISSING_KEY),
                tuple("spec.expiresAt", ViolationReason.OUT_OF_RANGE));
        String summary = ((GrantValidation.Invalid) validation).message();
        assertThat(summary).startsWith("17 problems: apiVersion: ").contains("; spec.expiresAt: expiresAt must be after");
    }

    @Test
    void noViolationEchoesSealedData() {
        Grant grant = Fixtures.read("grant-invalid/sealed-canary.json", Grant.class);

        GrantValidation validation = GrantValidationPolicy.validate(grant);

        assertThat(validation.violations()).extracting(Violation::field).contains(
                "spec.secret.source.sealedData['tls.crt']",
                "spec.secret.source.sealedData['bad key']",
                "spec.secret.source.sealedData['weak']",
                "spec.secret.source.sealedData['short']",
                "spec.secret.source.sealedData",
                "spec.podDefault.env[0].key");
        List<String> texts = new ArrayList<>();
        validation.violations().forEach(v -> {
            texts.add(v.field());
            texts.add(v.message());
            texts.add(v.toString());
        });
        texts.add(((GrantValidation.Invalid) validation).message());
        texts.add(grant.toString());
        assertThat(Fixtures.text("grant-invalid/sealed-canary.json")).contains("CANARY");
        assertThat(texts).noneSatisfy(text -> assertThat(text).containsIgnoringCase("canary"));
    }

    @Test
    void messagesShortenLongNames() {
        Grant grant = change(SECRET_REF, "/spec/podDefault/selectorLabel", "-" + "x".repeat(70) + "/name");

        Violation violation = GrantValidationPolicy.violations(grant, null).get(0);

        assertThat(violation.message()).contains("'-" + "x".repeat(63) + "...'").doesNotContain("x".repeat(64));
    }

    // --- helpers --------------------------------------------------------------------------------------------------

    private static Arguments invalid(String base, String pointer, Object value, String field, ViolationReason reason) {
        return Arguments.of(base, pointer, shown(value), field, reason, value);
    }

    private static Arguments valid(String base, String pointer, Object value) {
        return Arguments.of(base, pointer, shown(value), value);
    }

    private static String shown(Object value) {
        if (value == REMOVE) {
            return "<removed>";
        }
        String text = String.valueOf(value);
        return text.length() > 40 ? text.substring(0, 37) + "..." : text;
    }

    private static Grant change(String base, String pointer, Object value) {
        return change(Fixtures.read(base, Grant.class), pointer, value);
    }

    /** The grant with the value at {@code pointer} replaced (or removed), going through JSON like a Kafka record. */
    private static Grant change(Grant grant, String pointer, Object value) {
        ObjectNode tree = (ObjectNode) Json.toTree(grant).deepCopy();
        JsonPointer path = JsonPointer.compile(pointer.replace("~", "~0"));
        ObjectNode parent = (ObjectNode) tree.at(path.head());
        String name = path.last().getMatchingProperty();
        if (value == REMOVE) {
            parent.remove(name);
        } else {
            JsonNode node = value == null ? NullNode.getInstance() : Json.mapper().valueToTree(value);
            parent.set(name, node);
        }
        return Json.read(Json.write(tree), Grant.class);
    }

    static String b64(String text) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    static String jwe() {
        return jwe(24);
    }

    static String jwe(int ciphertextBytes) {
        return jwe("RSA-OAEP-256", "A256GCM", ciphertextBytes);
    }

    static String jwe(String alg, String enc) {
        return jwe(alg, enc, 24);
    }

    /** The shape of a JWE compact serialization: header.encryptedKey.iv.ciphertext.tag (content is filler). */
    static String jwe(String alg, String enc, int ciphertextBytes) {
        Base64.Encoder encoder = Base64.getUrlEncoder().withoutPadding();
        return b64("{\"alg\":\"" + alg + "\",\"enc\":\"" + enc + "\"}") + "." + encoder.encodeToString(new byte[256]) + "."
                + encoder.encodeToString(new byte[12]) + "." + encoder.encodeToString(new byte[ciphertextBytes]) + "."
                + encoder.encodeToString(new byte[16]);
    }

    private static Map<String, String> manyKeys(int count) {
        Map<String, String> sealed = new LinkedHashMap<>();
        sealed.put("token", jwe());
        sealed.put("endpoint", jwe());
        IntStream.range(sealed.size(), count).forEach(i -> sealed.put("key-" + i, jwe()));
        return sealed;
    }

    private static List<Map<String, String>> items(int count) {
        return IntStream.range(0, count).mapToObj(i -> Map.of("key", "k" + i, "path", "p" + i)).toList();
    }

    private static List<Map<String, String>> env(int count) {
        return IntStream.range(0, count).mapToObj(i -> Map.of("name", "E" + i, "key", "k" + i)).toList();
    }

    private static List<Object> nullList() {
        List<Object> list = new ArrayList<>();
        list.add(null);
        return list;
    }

    private static String subdomain253() {
        return "a".repeat(63) + "." + "b".repeat(63) + "." + "c".repeat(63) + "." + "d".repeat(61);
    }

    @org.junit.jupiter.api.Test
    void aRevocationFollowsTheGrantMetadataRulesAndItsKey() {
        GrantRevocation ok = GrantRevocation.of(new GrantMetadata("alice", "db", 2, java.time.Instant.EPOCH, "a@b"));
        org.assertj.core.api.Assertions.assertThat(GrantValidationPolicy.revocationViolations(ok,
                new GrantKey("alice", "db"))).isEmpty();
        org.assertj.core.api.Assertions.assertThat(GrantValidationPolicy.revocationViolations(ok,
                new GrantKey("bob", "db"))).extracting(Violation::reason).containsExactly(ViolationReason.KEY_MISMATCH);
        GrantRevocation bad = new GrantRevocation("grantflow.dev/v1", "Grant",
                new GrantMetadata("Alice", "db", 0, null, null));
        org.assertj.core.api.Assertions.assertThat(GrantValidationPolicy.revocationViolations(bad, null))
                .extracting(Violation::field)
                .containsExactly("kind", "metadata.tenant", "metadata.generation", "metadata.issuedAt");
    }
}
