package dev.grantflow.model.poddefault;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import dev.grantflow.model.fixtures.Fixtures;
import dev.grantflow.model.fixtures.JsonTrees;
import dev.grantflow.model.json.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The checked-in CRD ({@code k8s/crd/poddefaults.kubeflow.org.yaml}) is what the generator makes of {@link PodDefault},
 * and it agrees with the Java type and with Kubeflow's CRD (docs/poddefault-spec.md section 1).
 *
 * <p>To refresh the file after changing the PodDefault classes or the fabric8 version:
 * {@code mvn -B -q -pl model test -Dtest=PodDefaultCrdTest -Dgrantflow.crd.refresh=true}, then review the diff.
 */
class PodDefaultCrdTest {

    private static JsonNode crd;
    private static JsonNode version;
    private static JsonNode specSchema;

    @BeforeAll
    static void readCheckedInCrd() throws IOException {
        if (Boolean.getBoolean("grantflow.crd.refresh")) {
            Files.createDirectories(PodDefaultCrdGenerator.CHECKED_IN.getParent());
            Files.writeString(PodDefaultCrdGenerator.CHECKED_IN, PodDefaultCrdGenerator.generate(), StandardCharsets.UTF_8);
        }
        crd = Fixtures.yamlTree(Files.readString(PodDefaultCrdGenerator.CHECKED_IN, StandardCharsets.UTF_8));
        version = crd.path("spec").path("versions").path(0);
        specSchema = version.path("schema").path("openAPIV3Schema").path("properties").path("spec");
    }

    @Test
    void checkedInCrdIsWhatTheGeneratorMakesOfPodDefault() {
        JsonNode generated = Fixtures.yamlTree(PodDefaultCrdGenerator.generate());

        JsonTrees.assertSameTree(generated, crd, PodDefaultCrdGenerator.CHECKED_IN + " is stale; refresh it with"
                + " mvn -B -q -pl model test -Dtest=PodDefaultCrdTest -Dgrantflow.crd.refresh=true");
    }

    @Test
    void crdHasKubeflowsNamesScopeAndSingleVersion() {
        assertThat(crd.path("apiVersion").asText()).isEqualTo("apiextensions.k8s.io/v1");
        assertThat(crd.path("kind").asText()).isEqualTo("CustomResourceDefinition");
        assertThat(crd.path("metadata").path("name").asText()).isEqualTo("poddefaults.kubeflow.org");
        JsonNode spec = crd.path("spec");
        assertThat(spec.path("group").asText()).isEqualTo("kubeflow.org");
        assertThat(spec.path("scope").asText()).isEqualTo("Namespaced");
        JsonNode names = spec.path("names");
        assertThat(names.path("kind").asText()).isEqualTo("PodDefault");
        assertThat(names.path("listKind").asText()).isEqualTo("PodDefaultList");
        assertThat(names.path("plural").asText()).isEqualTo("poddefaults");
        assertThat(names.path("singular").asText()).isEqualTo("poddefault");
        assertThat(spec.path("versions").size()).isEqualTo(1);
        assertThat(version.path("name").asText()).isEqualTo("v1alpha1");
        assertThat(version.path("served").asBoolean()).isTrue();
        assertThat(version.path("storage").asBoolean()).isTrue();
        assertThat(version.path("schema").path("openAPIV3Schema").path("type").asText()).isEqualTo("object");
        // as in kubeflow/manifests 1.9 / 1.10: no status subresource (nothing writes PodDefault status)
        assertThat(version.path("subresources").has("status")).isFalse();
    }

    @Test
    void specPropertiesAreExactlyTheJacksonPropertiesOfPodDefaultSpec() {
        BeanDescription bean = Json.mapper().getSerializationConfig()
                .introspect(Json.mapper().constructType(PodDefaultSpec.class));
        Set<String> javaProperties = new TreeSet<>();
        for (BeanPropertyDefinition property : bean.findProperties()) {
            javaProperties.add(property.getName());
        }
        Set<String> crdProperties = new TreeSet<>();
        specSchema.path("properties").fieldNames().forEachRemaining(crdProperties::add);

        assertThat(crdProperties).isEqualTo(javaProperties);
        // and both are exactly Kubeflow's field list (docs/poddefault-spec.md section 1)
        assertThat(javaProperties).containsExactlyInAnyOrder("selector", "desc", "env", "envFrom", "volumes",
                "volumeMounts", "serviceAccountName", "automountServiceAccountToken", "annotations", "labels",
                "tolerations", "imagePullSecrets", "command", "args", "initContainers", "sidecars");
    }

    @Test
    void onlySelectorIsRequiredInSpec() {
        assertThat(texts(specSchema.path("required"))).containsExactly("selector");
    }

    static Stream<Arguments> nestedRequiredKeys() {
        return Stream.of(
                Arguments.of("env.items", List.of("name")),
                Arguments.of("volumes.items", List.of("name")),
                Arguments.of("volumeMounts.items", List.of("mountPath", "name")),
                Arguments.of("initContainers.items", List.of("name")),
                Arguments.of("sidecars.items", List.of("name")),
                Arguments.of("sidecars.items.env.items", List.of("name")),
                Arguments.of("sidecars.items.volumeMounts.items", List.of("mountPath", "name")),
                Arguments.of("selector.matchExpressions.items", List.of("key", "operator")),
                Arguments.of("volumes.items.secret.items.items", List.of("key", "path")),
                Arguments.of("volumes.items.projected.sources.items.serviceAccountToken", List.of("path")),
                Arguments.of("env.items.valueFrom.secretKeyRef", List.of("key")));
    }

    @ParameterizedTest(name = "{0} requires {1}")
    @MethodSource("nestedRequiredKeys")
    void nestedKubernetesTypesCarryTheirRequiredKeys(String path, List<String> required) {
        assertThat(texts(at(specSchema, path).path("required"))).containsExactlyElementsOf(required);
    }

    static Stream<Arguments> nestedSchemas() {
        return Stream.of(
                Arguments.of("volumes.items", List.of("name", "secret", "configMap", "projected", "emptyDir", "persistentVolumeClaim")),
                Arguments.of("volumes.items.secret", List.of("secretName", "items", "defaultMode", "optional")),
                Arguments.of("volumeMounts.items", List.of("name", "mountPath", "subPath", "readOnly")),
                Arguments.of("env.items", List.of("name", "value", "valueFrom")),
                Arguments.of("envFrom.items", List.of("configMapRef", "secretRef", "prefix")),
                Arguments.of("tolerations.items", List.of("key", "operator", "value", "effect", "tolerationSeconds")),
                Arguments.of("imagePullSecrets.items", List.of("name")),
                Arguments.of("sidecars.items", List.of("name", "image", "command", "args", "env", "ports", "resources", "volumeMounts")),
                Arguments.of("selector", List.of("matchLabels", "matchExpressions")));
    }

    @ParameterizedTest(name = "{0} has {1}")
    @MethodSource("nestedSchemas")
    void nestedKubernetesTypesCarryTheirSchema(String path, List<String> properties) {
        JsonNode schema = at(specSchema, path);
        assertThat(schema.path("type").asText()).isEqualTo("object");
        List<String> actual = new ArrayList<>();
        schema.path("properties").fieldNames().forEachRemaining(actual::add);
        assertThat(actual).containsAll(properties);
    }

    @Test
    void mapAndScalarTypesMatchKubeflow() {
        assertThat(at(specSchema, "labels").path("additionalProperties").path("type").asText()).isEqualTo("string");
        assertThat(at(specSchema, "annotations").path("additionalProperties").path("type").asText()).isEqualTo("string");
        assertThat(at(specSchema, "command").path("items").path("type").asText()).isEqualTo("string");
        assertThat(at(specSchema, "automountServiceAccountToken").path("type").asText()).isEqualTo("boolean");
        assertThat(at(specSchema, "desc").path("type").asText()).isEqualTo("string");
        assertThat(at(specSchema, "sidecars.items.ports.items.containerPort").path("type").asText()).isEqualTo("integer");
        assertThat(at(specSchema, "sidecars.items.resources.limits").path("additionalProperties")
                .path("x-kubernetes-int-or-string").asBoolean()).isTrue();
    }

    /** Follows {@code a.b.items.c}: each name is a property, except {@code items}, the array item schema. */
    static JsonNode at(JsonNode schema, String path) {
        JsonNode node = schema;
        for (String segment : path.split("\\.")) {
            node = segment.equals("items") && node.path("type").asText().equals("array")
                    ? node.path("items")
                    : node.path("properties").path(segment);
        }
        assertThat(node.isMissingNode()).as("schema path spec.%s exists", path).isFalse();
        return node;
    }

    private static List<String> texts(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(node -> values.add(node.asText()));
        return values;
    }
}
