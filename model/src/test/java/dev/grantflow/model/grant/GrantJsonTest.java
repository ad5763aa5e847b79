package dev.grantflow.model.grant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.grantflow.model.fixtures.Fixtures;
import dev.grantflow.model.fixtures.JsonTrees;
import dev.grantflow.model.json.Json;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Grant v1 JSON: the fixtures round-trip as JSON trees, and the records expose docs/design.md's shape. */
class GrantJsonTest {

    @ParameterizedTest
    @ValueSource(strings = {"grant/v1-secret-ref.json", "grant/v1-dockerconfigjson-items.json", "grant/v1-sealed-data.json",
            "grant/v1-env.json", "grant-invalid/many-problems.json", "grant-invalid/sealed-canary.json"})
    void grantRoundTripsAsTheSameJsonTree(String fixture) {
        Grant grant = Fixtures.read(fixture, Grant.class);

        JsonTrees.assertSameTree(Fixtures.tree(fixture), JsonTrees.written(grant), fixture);
        assertThat(Json.read(Json.writeBytes(grant), Grant.class)).isEqualTo(grant);
    }

    @ParameterizedTest
    @ValueSource(strings = {"grant/v1-secret-ref.json", "grant/v1-dockerconfigjson-items.json", "grant/v1-sealed-data.json",
            "grant/v1-env.json"})
    void validFixturesPassValidation(String fixture) {
        Grant grant = Fixtures.read(fixture, Grant.class);

        assertThat(GrantValidationPolicy.validate(grant, grant.grantKey()).violations()).isEmpty();
    }

    @Test
    void designExampleIsReadIntoTypedRecords() {
        Grant grant = Fixtures.read("grant/v1-secret-ref.json", Grant.class);

        assertThat(grant.apiVersion()).isEqualTo(Grant.API_VERSION);
        assertThat(grant.kind()).isEqualTo(Grant.KIND);
        assertThat(grant.metadata()).isEqualTo(new GrantMetadata("alice", "test-secret", 1,
                Instant.parse("2026-11-26T10:00:00Z"), "admin@example.com"));
        assertThat(grant.key()).isEqualTo("alice/test-secret");
        assertThat(grant.grantKey()).isEqualTo(new GrantKey("alice", "test-secret"));
        GrantSecret secret = grant.spec().secret();
        assertThat(secret.secretType()).contains(SecretType.OPAQUE);
        assertThat(secret.source().kind()).isEqualTo(SecretSource.Kind.SECRET_REF);
        assertThat(secret.source().secretRef()).isEqualTo(new SecretRef("grantflow-sources", "test-secret"));
        GrantPodDefault podDefault = grant.spec().podDefault();
        assertThat(podDefault.mountPath()).isEqualTo("/secret/test-secret");
        assertThat(podDefault.items()).isNull();
        assertThat(podDefault.env()).isEmpty();
        assertThat(grant.spec().expiresAt()).isNull();
    }

    @Test
    void dockerConfigGrantProjectsConfigJsonUnderTheDockerDirectory() {
        Grant grant = Fixtures.read("grant/v1-dockerconfigjson-items.json", Grant.class);

        assertThat(grant.spec().secret().secretType()).contains(SecretType.DOCKER_CONFIG_JSON);
        assertThat(grant.spec().podDefault().mountPath()).isEqualTo("/home/jovyan/.docker");
        assertThat(grant.spec().podDefault().items())
                .containsExactly(new SecretItem(SecretType.DOCKER_CONFIG_JSON_KEY, "config.json"));
    }

    @Test
    void sealedGrantKeepsKeyOrderAndEnv() {
        Grant grant = Fixtures.read("grant/v1-sealed-data.json", Grant.class);

        SecretSource source = grant.spec().secret().source();
        assertThat(source.kind()).isEqualTo(SecretSource.Kind.SEALED_DATA);
        assertThat(source.sealedData().keySet()).containsExactly("token", "endpoint");
        assertThat(grant.spec().podDefault().env()).containsExactly(new SecretEnvVar("REGISTRY_TOKEN", "token"));
        assertThat(grant.isExpiredAt(Instant.parse("2027-01-30T23:59:59Z"))).isFalse();
        assertThat(grant.isExpiredAt(Instant.parse("2027-01-31T00:00:00Z"))).isTrue();
    }

    @Test
    void absentItemsAndExpiryAreWrittenAsNullLikeTheContract() {
        Grant grant = Grant.of(new GrantMetadata("alice", "g", 1, Instant.EPOCH, null),
                new GrantSpec(new GrantSecret("g", "Opaque", SecretSource.ofSecretRef("src", "g")),
                        new GrantPodDefault("g", null, "g", "/secret/g", null, null), null));

        JsonNode tree = JsonTrees.written(grant);

        assertThat(tree.path("spec").has("expiresAt")).isTrue();
        assertThat(tree.path("spec").path("expiresAt").isNull()).isTrue();
        assertThat(tree.path("spec").path("podDefault").has("items")).isTrue();
        assertThat(tree.path("spec").path("podDefault").path("items").isNull()).isTrue();
        assertThat(tree.path("spec").path("podDefault").path("env").isArray()).isTrue();
        assertThat(tree.path("spec").path("podDefault").has("desc")).isFalse();
        assertThat(tree.path("metadata").has("issuer")).isFalse();
        assertThat(tree.path("spec").path("secret").path("source").has("sealedData")).isFalse();
    }

    @Test
    void nullListElementsReachValidationInsteadOfFailingTheParser() {
        String json = Fixtures.text("grant/v1-secret-ref.json").replace("\"env\": []", "\"env\": [null]");

        Grant grant = Json.read(json, Grant.class);

        assertThat(grant.spec().podDefault().env()).containsExactly((SecretEnvVar) null);
        assertThat(GrantValidationPolicy.validate(grant).violations())
                .containsExactly(new Violation("spec.podDefault.env[0]", ViolationReason.REQUIRED, "env[0] is required"));
    }

    @Test
    void sealedDataNeverAppearsInToString() {
        Grant grant = Fixtures.read("grant/v1-sealed-data.json", Grant.class);
        String jwe = grant.spec().secret().source().sealedData().get("token");

        assertThat(grant.toString()).contains("token").doesNotContain(jwe).doesNotContain(jwe.substring(0, 20));
    }

    @Test
    void collectionsAreImmutableCopies() {
        var env = new java.util.ArrayList<>(List.of(new SecretEnvVar("A", "a")));
        var sealed = new java.util.LinkedHashMap<>(Map.of("a", "x"));
        GrantPodDefault podDefault = new GrantPodDefault("n", null, "l", "/m", null, env);
        SecretSource source = SecretSource.ofSealedData(sealed);
        env.clear();
        sealed.clear();

        assertThat(podDefault.env()).hasSize(1);
        assertThat(source.sealedData()).hasSize(1);
        assertThatThrownBy(() -> podDefault.env().add(null)).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void keyOfAGrantWithoutMetadataIsAnError() {
        Grant grant = new Grant(Grant.API_VERSION, Grant.KIND, null, null);

        assertThat(grant.optionalKey()).isEmpty();
        assertThat(grant.generation()).isZero();
        assertThatThrownBy(grant::key).isInstanceOf(IllegalStateException.class);
    }

    @ParameterizedTest
    @CsvSource({"alice/test-secret, alice, test-secret", "team-vision/a.b, team-vision, a.b"})
    void grantKeyParsesAndFormats(String key, String tenant, String name) {
        assertThat(GrantKey.parse(key)).contains(new GrantKey(tenant, name));
        assertThat(new GrantKey(tenant, name).format()).isEqualTo(key);
        assertThat(new GrantKey(tenant, name)).hasToString(key);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "alice", "/test-secret", "alice/", "alice/a/b", "/"})
    void grantKeyRejectsMalformedKeys(String key) {
        assertThat(GrantKey.parse(key)).isEmpty();
    }

    @Test
    void grantKeyOfNullIsEmpty() {
        assertThat(GrantKey.parse(null)).isEmpty();
    }

    @Test
    void secretTypesKnowTheirRequiredKeys() {
        assertThat(SecretType.fromValue("kubernetes.io/tls")).contains(SecretType.TLS);
        assertThat(SecretType.fromValue("kubernetes.io/service-account-token")).isEmpty();
        assertThat(SecretType.TLS.missingKeys(List.of("tls.crt"))).containsExactly("tls.key");
        assertThat(SecretType.BASIC_AUTH.missingKeys(List.of("password"))).isEmpty();
        assertThat(SecretType.BASIC_AUTH.missingKeys(List.of("token"))).containsExactly("username", "password");
        assertThat(SecretType.DOCKER_CONFIG_JSON.missingKeys(List.of("config.json"))).containsExactly(".dockerconfigjson");
        assertThat(SecretType.OPAQUE.missingKeys(List.of())).isEmpty();
        assertThat(SecretType.SSH_AUTH.missingKeys(List.of("ssh-privatekey"))).isEmpty();
    }
}
