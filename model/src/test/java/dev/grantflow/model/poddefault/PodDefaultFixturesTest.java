package dev.grantflow.model.poddefault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.grantflow.model.fixtures.Fixtures;
import dev.grantflow.model.fixtures.JsonTrees;
import dev.grantflow.model.json.Json;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Kubeflow's PodDefaults (and Grantflow's) deserialize losslessly and are accepted by the shipped CRD. */
class PodDefaultFixturesTest {

    private static JsonNode rootSchema;

    @BeforeAll
    static void readCrd() throws IOException {
        JsonNode crd = Fixtures.yamlTree(Files.readString(PodDefaultCrdGenerator.CHECKED_IN, StandardCharsets.UTF_8));
        rootSchema = crd.path("spec").path("versions").path(0).path("schema").path("openAPIV3Schema");
    }

    @ParameterizedTest
    @ValueSource(strings = {"kubeflow-add-gcp-secret", "kubeflow-access-ml-pipeline", "all-fields", "grantflow-test-secret",
            "grantflow-docker-config"})
    void podDefaultRoundTripsWithoutLoss(String fixture) {
        String path = "poddefault/" + fixture + ".yaml";

        PodDefault podDefault = Fixtures.read(path, PodDefault.class);

        JsonTrees.assertSameTree(Fixtures.tree(path), JsonTrees.written(podDefault), path);
        assertThat(Json.read(Json.write(podDefault), PodDefault.class)).isEqualTo(podDefault);
    }

    @ParameterizedTest
    @ValueSource(strings = {"kubeflow-add-gcp-secret", "kubeflow-access-ml-pipeline", "all-fields", "grantflow-test-secret",
            "grantflow-docker-config"})
    void podDefaultIsAcceptedByTheCrdWithoutPruning(String fixture) {
        JsonNode podDefault = Fixtures.tree("poddefault/" + fixture + ".yaml");

        assertThat(CrdSchemaCheck.problems(rootSchema.path("properties").path("spec"), podDefault.path("spec"), "spec"))
                .isEmpty();
    }

    @Test
    void kubeflowGcpExampleIsTyped() {
        PodDefault podDefault = Fixtures.read("poddefault/kubeflow-add-gcp-secret.yaml", PodDefault.class);

        assertThat(podDefault.getApiVersion()).isEqualTo(PodDefault.API_VERSION);
        assertThat(podDefault.getKind()).isEqualTo(PodDefault.KIND);
        assertThat(podDefault.getMetadata().getNamespace()).isEqualTo("kubeflow-user-example-com");
        PodDefaultSpec spec = podDefault.getSpec();
        assertThat(spec.getSelector().getMatchLabels()).containsEntry("add-gcp-secret", "true");
        assertThat(spec.getDesc()).isEqualTo("add gcp credential");
        Volume volume = spec.getVolumes().get(0);
        assertThat(volume.getSecret().getSecretName()).isEqualTo("user-gcp-sa");
        assertThat(volume.getAdditionalProperties()).isEmpty();
        assertThat(spec.getVolumeMounts().get(0).getMountPath()).isEqualTo("/secret/gcp");
        EnvVar env = spec.getEnv().get(0);
        assertThat(env.getName()).isEqualTo("GOOGLE_APPLICATION_CREDENTIALS");
        assertThat(env.getValue()).isEqualTo("/secret/gcp/user-gcp-sa.json");
    }

    @Test
    void kubeflowPipelinesExampleKeepsTheProjectedServiceAccountToken() {
        PodDefault podDefault = Fixtures.read("poddefault/kubeflow-access-ml-pipeline.yaml", PodDefault.class);

        var token = podDefault.getSpec().getVolumes().get(0).getProjected().getSources().get(0).getServiceAccountToken();
        assertThat(token.getPath()).isEqualTo("token");
        assertThat(token.getExpirationSeconds()).isEqualTo(7200L);
        assertThat(token.getAudience()).isEqualTo("pipelines.kubeflow.org");
        assertThat(podDefault.getSpec().getVolumeMounts().get(0).getReadOnly()).isTrue();
    }

    @Test
    void everySpecFieldIsTypedNotSwallowed() {
        PodDefaultSpec spec = Fixtures.read("poddefault/all-fields.yaml", PodDefault.class).getSpec();

        assertThat(spec.getServiceAccountName()).isEqualTo("notebook-runner");
        assertThat(spec.getAutomountServiceAccountToken()).isFalse();
        assertThat(spec.getEnvFrom()).hasSize(2);
        assertThat(spec.getEnvFrom().get(1).getPrefix()).isEqualTo("DB_");
        assertThat(spec.getAnnotations()).containsEntry("sidecar.istio.io/inject", "false");
        assertThat(spec.getLabels()).containsEntry("injected-by", "poddefault");
        assertThat(spec.getTolerations()).extracting(t -> t.getKey()).containsExactly("nvidia.com/gpu", "dedicated");
        assertThat(spec.getTolerations().get(1).getTolerationSeconds()).isEqualTo(3600L);
        assertThat(spec.getImagePullSecrets().get(0).getName()).isEqualTo("registry-credentials");
        assertThat(spec.getCommand()).containsExactly("/bin/sh", "-c");
        assertThat(spec.getArgs()).hasSize(1);
        assertThat(spec.getInitContainers().get(0).getName()).isEqualTo("fetch-config");
        assertThat(spec.getSidecars().get(0).getResources().getRequests().get("cpu").toString()).isEqualTo("100m");
        assertThat(spec.getSidecars().get(0).getReadinessProbe().getHttpGet().getPort().getStrVal()).isEqualTo("http");
        assertThat(spec.getSelector().getMatchExpressions().get(0).getValues()).containsExactly("gpu", "cpu");
    }

    @Test
    void podDefaultListRoundTripsWithStatus() {
        String path = "poddefault/list.yaml";

        PodDefaultList list = Fixtures.read(path, PodDefaultList.class);

        assertThat(list.getItems()).hasSize(1);
        assertThat(list.getItems().get(0).getStatus()).isEqualTo(new PodDefaultStatus());
        JsonTrees.assertSameTree(Fixtures.tree(path), JsonTrees.written(list), path);
    }

    @Test
    void statusSerializesWithAnyObjectMapper() {
        PodDefault podDefault = new PodDefault(new ObjectMetaBuilder().withName("x").withNamespace("alice").build(),
                new PodDefaultSpec());
        podDefault.setStatus(new PodDefaultStatus());

        // a default mapper has FAIL_ON_EMPTY_BEANS on, as fabric8's and Quarkus' may
        assertThatCode(() -> new ObjectMapper().writeValueAsString(podDefault)).doesNotThrowAnyException();
    }

    @Test
    void unknownStatusFieldsSurviveARoundTrip() {
        ObjectNode json = (ObjectNode) Fixtures.tree("poddefault/kubeflow-add-gcp-secret.yaml");
        json.putObject("status").put("observedGeneration", 3);

        PodDefault podDefault = Json.read(Json.write(json), PodDefault.class);

        assertThat(podDefault.getStatus().getAdditionalProperties()).containsEntry("observedGeneration", 3);
        JsonTrees.assertSameTree(json, JsonTrees.written(podDefault), "status");
    }

    @Test
    void schemaCheckFlagsWhatTheApiServerWouldRejectOrPrune() {
        ObjectNode spec = (ObjectNode) Fixtures.tree("poddefault/kubeflow-add-gcp-secret.yaml").path("spec").deepCopy();
        spec.remove("selector");
        spec.put("nodeSelector", "not-a-poddefault-field");
        ((ObjectNode) spec.path("env").get(0)).remove("name");
        spec.put("desc", 42);

        List<String> problems = CrdSchemaCheck.problems(rootSchema.path("properties").path("spec"), spec, "spec");

        assertThat(problems).containsExactlyInAnyOrder(
                "spec.selector: required",
                "spec.nodeSelector: unknown field, the API server would prune it",
                "spec.env[0].name: required",
                "spec.desc: expected string");
    }
}
