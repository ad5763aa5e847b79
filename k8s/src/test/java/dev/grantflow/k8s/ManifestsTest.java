package dev.grantflow.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grantflow.k8s.CodeNeeds.Permission;
import dev.grantflow.k8s.CodeNeeds.Workload;
import dev.grantflow.model.event.Topics;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The real manifests (base and every overlay, plus base with the port component) render with kubectl and pass every
 * cross-reference check of {@link ManifestChecks}; the CRD renders on its own.
 */
class ManifestsTest {

    static final Manifests BASE = Manifests.base();
    static final Manifests STRIMZI = Manifests.strimzi();
    static final Manifests CRD = Manifests.render(Manifests.CRD);
    static final Manifests KUBEFLOW = Manifests.render(Manifests.KUBEFLOW);
    static final Manifests PROMETHEUS = Manifests.render(Manifests.PROMETHEUS);
    static final Manifests WEBHOOK_PORT_10250 = Manifests.render(Manifests.WEBHOOK_PORT_10250);
    static final Manifests KUBEFLOW_WITH_GRANTFLOW = Manifests.render(Manifests.KUBEFLOW_WITH_GRANTFLOW);

    static final Map<String, Manifests> RENDERINGS = renderings();

    private static Map<String, Manifests> renderings() {
        Map<String, Manifests> r = new LinkedHashMap<>();
        r.put("base", BASE);
        r.put("overlays/kubeflow", KUBEFLOW);
        r.put("overlays/strimzi", STRIMZI);
        r.put("overlays/prometheus", PROMETHEUS);
        r.put("base + components/webhook-port-10250", WEBHOOK_PORT_10250);
        return r;
    }

    static Stream<Arguments> checks() {
        return RENDERINGS.keySet().stream()
                .flatMap(rendering -> ManifestChecks.CHECKS.keySet().stream().map(c -> Arguments.of(rendering, c)));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("checks")
    void passes(String rendering, String check) {
        Manifests manifests = RENDERINGS.get(rendering);

        assertThat(ManifestChecks.CHECKS.get(check).apply(manifests)).as(rendering + " " + check).isEmpty();
    }

    static Stream<String> strimziChecks() {
        return ManifestChecks.STRIMZI_CHECKS.keySet().stream();
    }

    @ParameterizedTest(name = "overlays/strimzi: {0}")
    @MethodSource("strimziChecks")
    void strimziOverlayPasses(String check) {
        assertThat(ManifestChecks.STRIMZI_CHECKS.get(check).apply(STRIMZI)).as("overlays/strimzi " + check).isEmpty();
    }

    static Stream<String> crdChecks() {
        return ManifestChecks.CRD_CHECKS.keySet().stream();
    }

    /** k8s/crd is Kubeflow's PodDefault CRD: installing it over Kubeflow's, or Kubeflow's over it, changes nothing. */
    @ParameterizedTest(name = "k8s/crd: {0}")
    @MethodSource("crdChecks")
    void standaloneCrdPasses(String check) {
        assertThat(ManifestChecks.CRD_CHECKS.get(check).apply(CRD)).as("k8s/crd " + check).isEmpty();
    }

    /**
     * The vendored Kubeflow CRD below its header is byte for byte the file as read (size and SHA-256 recorded when it
     * was vendored): the reference of kubeflow-crd-schema cannot drift by an edit made to make a check pass.
     */
    @Test
    void vendoredKubeflowCrdIsTheFileAsRead() throws Exception {
        String text = Files.readString(ManifestChecks.KUBEFLOW_CRD, StandardCharsets.UTF_8);
        byte[] body = text.substring(text.indexOf("\n---\n") + 1).getBytes(StandardCharsets.UTF_8);

        assertThat(body).hasSize(KUBEFLOW_CRD_BYTES);
        assertThat(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body)))
                .isEqualTo(KUBEFLOW_CRD_SHA256);
    }

    static final int KUBEFLOW_CRD_BYTES = 82003;
    static final String KUBEFLOW_CRD_SHA256 = "9231b2cdbcc4e6d9a81bd53d35818e523b2fde1a152707595229b13355ea2503";

    /** The CRD is installed on its own: deleting the services (base or any overlay) never deletes it. */
    @Test
    void theCrdIsItsOwnKustomizationAndNoOtherHasIt() {
        assertThat(CRD.objects()).extracting(Manifests::id)
                .containsExactly("apiextensions.k8s.io/CustomResourceDefinition||poddefaults.kubeflow.org");
        RENDERINGS.forEach((name, manifests) -> assertThat(manifests.ofKind("CustomResourceDefinition"))
                .as(name + ": deleting it must never delete the CRD").isEmpty());
    }

    @Test
    void kubeflowOverlayLeavesKubeflowsObjectsAloneAndIsTheOnlyPodMutator() {
        assertThat(ManifestChecks.kubeflowOverlay(KUBEFLOW)).isEmpty();
        assertThat(KUBEFLOW.objects()).extracting(Manifests::id)
                .containsExactlyInAnyOrderElementsOf(BASE.objects().stream().map(Manifests::id).toList());
    }

    @Test
    void kubeflowWithTheComponentRunsOnlyOurWebhookAndKeepsKubeflowsCrdAndRoles() {
        assertThat(ManifestChecks.kubeflowReplaced(KUBEFLOW_WITH_GRANTFLOW)).isEmpty();
    }

    @Test
    void prometheusOverlayMonitorsEveryService() {
        assertThat(PROMETHEUS.ofKind("ServiceMonitor")).extracting(Manifests::name)
                .containsExactlyInAnyOrder("namespace-watcher", "admission-service", "grant-service");
    }

    @Test
    void prometheusOverlayAlertsOnAStaleAdmissionCache() {
        assertThat(PROMETHEUS.ofKind("PrometheusRule")).singleElement().satisfies(rule -> {
            assertThat(rule.at("/metadata/namespace").asText()).isEqualTo(CodeNeeds.NAMESPACE);
            assertThat(rule.at("/spec/groups/0/rules/0/alert").asText()).isEqualTo("GrantflowAdmissionCacheStale");
            // The gauge admission-service exports (AdmissionMetrics; ApiUnreachableTest reads it).
            assertThat(rule.at("/spec/groups/0/rules/0/expr").asText()).contains("grantflow_admission_cache_stale");
        });
    }

    @Test
    void portComponentMovesTheWebhookPortEverywhere() {
        ObjectNode d = WEBHOOK_PORT_10250.get("Deployment", CodeNeeds.NAMESPACE, "admission-service");
        assertThat(ManifestChecks.webhookPort(d.at("/spec/template/spec/containers/0"))).isEqualTo(10250);
        assertThat(d.at("/spec/template/spec/containers/0/ports/0/containerPort").asInt()).isEqualTo(10250);
    }

    @Test
    void baseRendersEveryManifestOnce() {
        // Directories under resources (one per service) are included: the namespace, the webhooks.
        assertThat(BASE.objects()).extracting(Manifests::id).doesNotHaveDuplicates()
                .contains("/Namespace||grantflow",
                        "admissionregistration.k8s.io/MutatingWebhookConfiguration||grantflow-poddefaults")
                .anyMatch(id -> id.startsWith("apps/Deployment|grantflow|"));
        assertThat(BASE.ofKind("Deployment")).extracting(Manifests::name)
                .containsExactlyInAnyOrder("namespace-watcher", "admission-service", "grant-service");
    }

    @Test
    void strimziOverlayCreatesTheModelsTopicsForTheConfiguredCluster() {
        assertThat(ManifestChecks.strimzi(STRIMZI)).isEmpty();
        assertThat(STRIMZI.ofKind("KafkaTopic")).hasSize(Topics.ALL.size());
    }

    @Test
    void overlayIsBasePlusTopicsAndUsers() {
        List<String> base = BASE.objects().stream().map(Manifests::id).toList();
        List<String> overlay = STRIMZI.objects().stream().map(Manifests::id).toList();

        assertThat(overlay).containsAll(base);
        assertThat(overlay.stream().filter(id -> !base.contains(id)))
                .allMatch(id -> id.startsWith("kafka.strimzi.io/KafkaTopic|")
                        || id.startsWith("kafka.strimzi.io/KafkaUser|"))
                .hasSize(Topics.ALL.size() + 3);
        assertThat(STRIMZI.ofKind("KafkaUser")).extracting(Manifests::name).containsExactlyInAnyOrder(
                "grantflow-namespace-watcher", "grantflow-grant-service", "grantflow-admin");
        assertThat(BASE.ofKind("KafkaTopic")).isEmpty();
        assertThat(BASE.ofKind("KafkaUser")).isEmpty();
    }

    /** The grant-service and administrator rules that matter most, spelled out (the checks compare with the table). */
    @Test
    void strimziUsersSpelledOut() {
        assertThat(KafkaAccess.rules(STRIMZI.get("KafkaUser", CodeNeeds.NAMESPACE, "grantflow-grant-service")))
                .containsExactlyInAnyOrder(
                        "grantflow-grant-service READ TOPIC grantflow.grants.v1",
                        "grantflow-grant-service DESCRIBE TOPIC grantflow.grants.v1",
                        "grantflow-grant-service READ TOPIC grantflow.tenants.v1",
                        "grantflow-grant-service DESCRIBE TOPIC grantflow.tenants.v1",
                        "grantflow-grant-service WRITE TOPIC grantflow.grant-status.v1",
                        "grantflow-grant-service READ TOPIC grantflow.grant-status.v1",
                        "grantflow-grant-service DESCRIBE TOPIC grantflow.grant-status.v1",
                        "grantflow-grant-service WRITE TOPIC grantflow.grants.v1.dlq",
                        "grantflow-grant-service DESCRIBE TOPIC grantflow.grants.v1.dlq",
                        "grantflow-grant-service WRITE TOPIC grantflow.audit.v1",
                        "grantflow-grant-service DESCRIBE TOPIC grantflow.audit.v1",
                        "grantflow-grant-service READ GROUP grantflow-grant-service*");
        assertThat(KafkaAccess.rules(STRIMZI.get("KafkaUser", CodeNeeds.NAMESPACE, "grantflow-admin")))
                .containsExactlyInAnyOrder(
                        "grantflow-admin WRITE TOPIC grantflow.grants.v1",
                        "grantflow-admin READ TOPIC grantflow.grants.v1",
                        "grantflow-admin DESCRIBE TOPIC grantflow.grants.v1",
                        "grantflow-admin READ TOPIC grantflow.grant-status.v1",
                        "grantflow-admin DESCRIBE TOPIC grantflow.grant-status.v1",
                        "grantflow-admin READ TOPIC grantflow.audit.v1",
                        "grantflow-admin DESCRIBE TOPIC grantflow.audit.v1");
        assertThat(KafkaAccess.rules(STRIMZI.get("KafkaUser", CodeNeeds.NAMESPACE, "grantflow-namespace-watcher")))
                .containsExactlyInAnyOrder(
                        "grantflow-namespace-watcher WRITE TOPIC grantflow.tenants.v1",
                        "grantflow-namespace-watcher READ TOPIC grantflow.tenants.v1",
                        "grantflow-namespace-watcher DESCRIBE TOPIC grantflow.tenants.v1");
        // What the code uses, read from application.properties (the kafka-users check holds the users to it).
        assertThat(KafkaAccess.use("grant-service").groups()).containsExactlyInAnyOrder("grantflow-grant-service",
                "grantflow-grant-service-tenants-${quarkus.uuid}");
        assertThat(KafkaAccess.use("namespace-watcher").groups()).isEmpty();
    }

    @Test
    void rbacIsExactlyTheTable() {
        // The table itself, spelled out, so that a reviewer sees every permission the cluster grants.
        for (Workload w : CodeNeeds.WORKLOADS) {
            List<String> problems = new ArrayList<>();
            Set<Permission> actual = ManifestChecks.permissions(BASE, CodeNeeds.NAMESPACE, w.name(), problems);
            assertThat(problems).isEmpty();
            assertThat(actual).as(w.name()).containsExactlyInAnyOrderElementsOf(
                    CodeNeeds.permissions(w.name(), CodeNeeds.NAMESPACE));
        }
        assertThat(ManifestChecks.permissions(BASE, CodeNeeds.NAMESPACE, "grant-service", new ArrayList<>()))
                .extracting(Permission::toString)
                .containsExactlyInAnyOrder(
                        "get core/secrets in cluster", "list core/secrets in cluster", "watch core/secrets in cluster",
                        "create core/secrets in cluster", "update core/secrets in cluster",
                        "delete core/secrets in cluster",
                        "get kubeflow.org/poddefaults in cluster", "list kubeflow.org/poddefaults in cluster",
                        "watch kubeflow.org/poddefaults in cluster", "create kubeflow.org/poddefaults in cluster",
                        "update kubeflow.org/poddefaults in cluster", "delete kubeflow.org/poddefaults in cluster",
                        "list core/namespaces in cluster", "watch core/namespaces in cluster");
        assertThat(ManifestChecks.permissions(BASE, CodeNeeds.NAMESPACE, "namespace-watcher", new ArrayList<>()))
                .extracting(Permission::toString)
                .containsExactlyInAnyOrder(
                        "list core/namespaces in cluster", "watch core/namespaces in cluster",
                        "create coordination.k8s.io/leases in grantflow",
                        "get coordination.k8s.io/leases[grantflow-namespace-watcher] in grantflow",
                        "patch coordination.k8s.io/leases[grantflow-namespace-watcher] in grantflow");
    }

    @Test
    void everyObjectIsLabelledPartOfGrantflow() {
        assertThat(BASE.objects())
                .filteredOn(o -> !"CustomResourceDefinition".equals(o.path("kind").asText()))
                .allSatisfy(o -> assertThat(o.path("metadata").path("labels").path("app.kubernetes.io/part-of")
                        .asText()).as(Manifests.describe(o)).isEqualTo("grantflow"));
    }

    /**
     * Every rendering runs grant-service in the production trust setting (ADR 11): signatures required, and each key
     * file it is told to read lies in a volume mounted from a Secret.
     */
    @Test
    void grantServiceRequiresSignaturesAndReadsItsKeysFromSecrets() {
        RENDERINGS.forEach((name, manifests) -> manifests.ofKind("Deployment").stream()
                .filter(d -> Manifests.name(d).equals("grant-service")).forEach(deployment -> {
                    com.fasterxml.jackson.databind.JsonNode pod = deployment.path("spec").path("template").path("spec");
                    com.fasterxml.jackson.databind.JsonNode container = pod.path("containers").path(0);
                    java.util.Map<String, String> env = new java.util.HashMap<>();
                    container.path("env").forEach(e -> env.put(e.path("name").asText(), e.path("value").asText(null)));
                    assertThat(env).as(name).containsEntry("GRANTFLOW_TRUST_SIGNATURES", "required");
                    for (String file : List.of("GRANTFLOW_TRUST_ADMIN_KEYS", "GRANTFLOW_TRUST_SEALING_KEYS",
                            "GRANTFLOW_TRUST_DIGEST_KEY_FILE")) {
                        String path = env.get(file);
                        assertThat(path).as(name + " " + file).isNotBlank();
                        com.fasterxml.jackson.databind.JsonNode mount = java.util.stream.StreamSupport.stream(
                                container.path("volumeMounts").spliterator(), false)
                                .filter(m -> path.startsWith(m.path("mountPath").asText() + "/")).findFirst()
                                .orElseThrow(() -> new AssertionError(name + ": no volume mounted for " + path));
                        assertThat(mount.path("readOnly").asBoolean()).as(name + " " + path + " read-only").isTrue();
                        assertThat(java.util.stream.StreamSupport.stream(pod.path("volumes").spliterator(), false)
                                .filter(v -> v.path("name").asText().equals(mount.path("name").asText()))
                                .map(v -> v.path("secret").path("secretName").asText()).findFirst())
                                .as(name + " " + path + " comes from a Secret").hasValueSatisfying(
                                        secret -> assertThat(secret).startsWith("grantflow-"));
                    }
                }));
    }
}
