package dev.grantflow.model.poddefault;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.grantflow.model.fixtures.Fixtures;
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
 * The shipped CRD ({@code k8s/crd/poddefaults.kubeflow.org.yaml}, Kubeflow's own, which the k8s module's check
 * kubeflow-crd-schema keeps identical to the vendored Kubeflow copy) agrees with the Java model: its spec fields are
 * exactly {@link PodDefaultSpec}'s, and every field it keeps, at any depth, is a field of the model's types.
 */
class PodDefaultCrdTest {

    private static JsonNode crd;
    private static JsonNode version;
    private static JsonNode specSchema;

    @BeforeAll
    static void readCheckedInCrd() throws IOException {
        crd = Fixtures.yamlTree(Files.readString(PodDefaultCrdGenerator.CHECKED_IN, StandardCharsets.UTF_8));
        version = crd.path("spec").path("versions").path(0);
        specSchema = version.path("schema").path("openAPIV3Schema").path("properties").path("spec");
    }

    /**
     * A PodDefault read from the API server loses nothing in the model: each property of the CRD's spec schema, at
     * any depth, is a property of the schema fabric8 generates from {@link PodDefault}, of the same type. (The
     * model's fabric8 types also know newer Kubernetes fields, e.g. {@code lifecycle.postStart.sleep}; the CRD, like
     * Kubeflow's, prunes them, so nothing can write them.)
     */
    @Test
    void everyFieldTheCrdKeepsIsAFieldOfTheModel() {
        JsonNode generated = Fixtures.yamlTree(PodDefaultCrdGenerator.generate()).path("spec").path("versions").path(0)
                .path("schema").path("openAPIV3Schema").path("properties").path("spec");
        List<String> problems = new ArrayList<>();

        fieldsCarried("spec", specSchema, generated, problems);

        assertThat(problems).isEmpty();
    }

    /** The model fails the check above when it lacks a field the CRD keeps (so the check is not vacuous). */
    @Test
    void aFieldTheModelLacksIsReported() {
        JsonNode generated = Fixtures.yamlTree(PodDefaultCrdGenerator.generate()).path("spec").path("versions").path(0)
                .path("schema").path("openAPIV3Schema").path("properties").path("spec").deepCopy();
        ((ObjectNode) at(generated, "volumes.items.vsphereVolume").path("properties"))
                .remove("volumePath");
        ((ObjectNode) at(generated, "sidecars.items.ports.items.protocol"))
                .put("type", "integer");
        List<String> problems = new ArrayList<>();

        fieldsCarried("spec", specSchema, generated, problems);

        assertThat(problems).containsExactlyInAnyOrder(
                "spec.volumes[].vsphereVolume.volumePath: in the CRD, not in the model",
                "spec.sidecars[].ports[].protocol: string in the CRD, integer in the model");
    }

    private static void fieldsCarried(String path, JsonNode crdSchema, JsonNode modelSchema, List<String> out) {
        if (crdSchema.path("x-kubernetes-int-or-string").asBoolean()) {
            if (!modelSchema.path("x-kubernetes-int-or-string").asBoolean()) {
                out.add(path + ": integer or string in the CRD, not in the model");
            }
            return;
        }
        String type = crdSchema.path("type").asText();
        if (!type.equals(modelSchema.path("type").asText())) {
            out.add(path + ": " + type + " in the CRD, " + modelSchema.path("type").asText("untyped") + " in the model");
            return;
        }
        if (crdSchema.has("items")) {
            fieldsCarried(path + "[]", crdSchema.path("items"), modelSchema.path("items"), out);
        }
        if (crdSchema.path("additionalProperties").isObject()) {
            fieldsCarried(path + "{}", crdSchema.path("additionalProperties"), modelSchema.path("additionalProperties"),
                    out);
        }
        crdSchema.path("properties").fields().forEachRemaining(field -> {
            JsonNode model = modelSchema.path("properties").path(field.getKey());
            if (model.isMissingNode()) {
                out.add(path + "." + field.getKey() + ": in the CRD, not in the model");
            } else {
                fieldsCarried(path + "." + field.getKey(), field.getValue(), model, out);
            }
        });
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
                Arguments.of("env.items.valueFrom.secretKeyRef", List.of("key")),
                Arguments.of("volumes.items.vsphereVolume", List.of("volumePath")),
                Arguments.of("volumes.items.scaleIO", List.of("gateway", "secretRef", "system")),
                Arguments.of("sidecars.items.ports.items", List.of("containerPort")));
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
