package dev.grantflow.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grantflow.k8s.CodeNeeds.Workload;
import dev.grantflow.model.event.Topics;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * docker-compose.yml cannot run here (no Docker engine; CI runs {@code docker-compose config -q}, which checks the
 * schema only). These checks keep what it says consistent with the code: the topics, the images' build contexts,
 * the health ports, the start order. SnakeYAML reads it because the file uses a YAML merge key.
 */
class ComposeFileTest {

    static final Path COMPOSE = Manifests.ROOT.getParent().resolve("docker-compose.yml");
    static Map<String, Object> services;

    @BeforeAll
    @SuppressWarnings("unchecked")
    static void load() throws IOException {
        try (Reader reader = Files.newBufferedReader(COMPOSE)) {
            Map<String, Object> compose = new Yaml().load(reader);
            services = (Map<String, Object>) compose.get("services");
        }
    }

    @Test
    void createsTheModelsTopicsWithTheirPartitionsCleanupPoliciesAndRetention() {
        String script = String.join("\n", strings(service("kafka-topics").get("command")));

        for (Topics.Definition topic : Topics.ALL) {
            String retention = topic.config().containsKey("retention.ms") ? " " + topic.config().get("retention.ms") : "";
            assertThat(script).contains("topic " + topic.name() + " " + topic.partitions() + " "
                    + topic.config().get("cleanup.policy") + retention + "\n");
        }
        assertThat(script.lines().filter(l -> l.startsWith("topic "))).hasSize(Topics.ALL.size());
        assertThat(service("kafka")).containsEntry("image", "apache/kafka:4.1.2");
        assertThat(service("kafka-topics")).containsEntry("image", "apache/kafka:4.1.2");
        assertThat(env("kafka")).containsEntry("KAFKA_AUTO_CREATE_TOPICS_ENABLE", "false");
    }

    @Test
    void servicesAreBuiltFromTheirModulesDockerfile() {
        for (Workload w : CodeNeeds.WORKLOADS) {
            Map<String, Object> build = map(service(w.name()).get("build"));
            Path context = COMPOSE.getParent().resolve((String) build.get("context")).normalize();

            assertThat(context).isEqualTo(COMPOSE.getParent().resolve(w.name()));
            assertThat(context.resolve((String) build.get("dockerfile"))).isRegularFile();
            assertThat(service(w.name())).containsEntry("image", "grantflow/" + w.name() + ":jvm");
        }
    }

    @Test
    void healthChecksAskTheReadinessEndpointOnTheHealthPort() {
        for (Workload w : CodeNeeds.WORKLOADS) {
            String test = String.join(" ", strings(map(service(w.name()).get("healthcheck")).get("test")));

            assertThat(test).as(w.name()).contains("/dev/tcp/127.0.0.1/" + w.healthPort() + " ")
                    .contains("GET " + CodeNeeds.READY + " ");
        }
    }

    @Test
    void servicesStartAfterTheirDependenciesAreReady() {
        assertThat(dependsOn("namespace-watcher")).containsOnly(
                Map.entry("kafka-topics", "service_completed_successfully"),
                Map.entry("k8s-init", "service_completed_successfully"));
        assertThat(dependsOn("grant-service")).containsOnly(
                Map.entry("kafka-topics", "service_completed_successfully"),
                Map.entry("k8s-init", "service_completed_successfully"),
                Map.entry("trust-keys", "service_completed_successfully"));
        assertThat(dependsOn("admission-service")).containsOnly(
                Map.entry("k8s-init", "service_completed_successfully"),
                Map.entry("webhook-certs", "service_completed_successfully"));
        assertThat(dependsOn("kafka-topics")).containsOnly(Map.entry("kafka", "service_healthy"));
        assertThat(dependsOn("k8s-init")).containsOnly(Map.entry("k3s", "service_healthy"));
    }

    @Test
    void servicesGetKafkaTheKubeconfigAndTheirSettings() {
        assertThat(env("namespace-watcher")).containsEntry("KAFKA_BOOTSTRAP_SERVERS", "kafka:9092")
                .containsEntry("POD_NAMESPACE", CodeNeeds.NAMESPACE).doesNotContainKey("HOSTNAME");
        assertThat(env("grant-service")).containsEntry("KAFKA_BOOTSTRAP_SERVERS", "kafka:9092")
                .containsEntry("GRANTFLOW_GRANTS_SOURCE_NAMESPACE", CodeNeeds.SOURCE_NAMESPACE)
                .containsEntry("POD_NAMESPACE", CodeNeeds.NAMESPACE);
        assertThat(env("kafka").get("KAFKA_ADVERTISED_LISTENERS")).contains("PLAINTEXT://kafka:9092");
        for (Workload w : CodeNeeds.WORKLOADS) {
            assertThat(env(w.name())).containsEntry("KUBECONFIG", "/kube/kubeconfig-compose.yaml");
            assertThat(strings(service(w.name()).get("volumes"))).contains("kubeconfig:/kube:ro");
        }
        // k8s-init writes that kubeconfig, creates the namespaces the services need and applies the checked-in CRD.
        String init = String.join("\n", strings(service("k8s-init").get("command")));
        assertThat(init).contains("/output/kubeconfig-compose.yaml", "--server=https://k3s:6443",
                "grantflow grantflow-sources", "/crd/poddefaults.kubeflow.org.yaml");
        assertThat(strings(service("k8s-init").get("volumes"))).contains("./k8s/crd:/crd:ro");
        assertThat(COMPOSE.getParent().resolve("k8s/crd/poddefaults.kubeflow.org.yaml")).isRegularFile();
        assertThat(strings(service("k3s").get("command"))).contains("--tls-san=k3s");
    }

    @Test
    void admissionServiceFindsItsCertificateWhereItsProdProfileLooks() {
        assertThat(strings(service("admission-service").get("volumes")))
                .contains("webhook-certs:" + CodeNeeds.CERT_DIR + ":ro");
        String certs = String.join("\n", strings(service("webhook-certs").get("command")));
        assertThat(certs).contains("-keyout /certs/tls.key", "-out /certs/tls.crt", "chown 185:0");
        assertThat(strings(service("webhook-certs").get("volumes"))).contains("webhook-certs:/certs");
    }

    /**
     * grant-service runs in the production trust setting (ADR 11) with keys the trust-keys job makes with grantctl:
     * every key file it reads is made by that job in the volume it mounts, and the administrator's private signing
     * key is not in it.
     */
    @Test
    void grantServiceRequiresSignaturesWithKeysMadeByGrantctl() {
        Map<String, String> env = env("grant-service");
        assertThat(env).containsEntry("GRANTFLOW_TRUST_SIGNATURES", "required");
        assertThat(strings(service("grant-service").get("volumes"))).contains("trust-keys:/trust:ro");
        String job = String.join("\n", strings(service("trust-keys").get("command")));
        for (String setting : java.util.List.of("GRANTFLOW_TRUST_ADMIN_KEYS", "GRANTFLOW_TRUST_SEALING_KEYS",
                "GRANTFLOW_TRUST_DIGEST_KEY_FILE")) {
            assertThat(env.get(setting)).as(setting).startsWith("/trust/");
            assertThat(job).as(setting).contains(env.get(setting));
        }
        assertThat(job).contains("java -jar /grantctl/grantctl.jar keys create --signing",
                "--private-out /admin/admin-signing-key.jwks.json", "chown 185:0");
        assertThat(strings(service("trust-keys").get("volumes"))).contains(
                "./grantctl/target/grantctl.jar:/grantctl/grantctl.jar:ro", "trust-keys:/trust", "admin-key:/admin");
        assertThat(strings(service("grant-service").get("volumes"))).noneMatch(v -> v.startsWith("admin-key:"));
    }

    // ---- helpers ---------------------------------------------------------------------------------------------------

    /** Every job's image carries what it runs: no package manager is called when a container starts. */
    @Test
    void noPackagesAreInstalledAtRunTime() {
        for (String name : services.keySet()) {
            Object command = service(name).get("command");
            String text = command == null ? "" : String.join("\n", strings(command));
            assertThat(text).as(name).doesNotContain("apk add").doesNotContain("apt-get").doesNotContain("yum ")
                    .doesNotContain("dnf ").doesNotContain("pip install").doesNotContain("npm install");
        }
        assertThat(map(service("webhook-certs").get("build")).get("context"))
                .isEqualTo("./local-stack/compose/webhook-certs");
        assertThat(COMPOSE.getParent().resolve("local-stack/compose/webhook-certs/Dockerfile")).isRegularFile();
    }

    /**
     * The webhook-register job registers admission-service with k3s with the same rules, selectors, failure policy
     * and timeout as k8s/base (only clientConfig differs: a URL on the compose network and the self-signed
     * certificate as CA bundle), once the service is healthy; the certificate names that host.
     */
    @Test
    @SuppressWarnings("unchecked")
    void theWebhookIsRegisteredWithK3sAsInTheKubernetesManifests() throws IOException {
        assertThat(dependsOn("webhook-register")).containsOnly(Map.entry("admission-service", "service_healthy"));
        String script = String.join("\n", strings(service("webhook-register").get("command")));
        String manifest = script.substring(script.indexOf("<<EOF\n") + 6, script.indexOf("\nEOF"));
        Map<String, Object> registered = new Yaml().load(manifest.replace("$${ca_bundle}", "CA"));
        Map<String, Object> webhook = map(((List<Object>) registered.get("webhooks")).get(0));
        assertThat(map(webhook.get("clientConfig")))
                .containsEntry("url", "https://admission-service:8443/apply-poddefault")
                .containsEntry("caBundle", "CA");

        Map<String, Object> base;
        try (Reader reader = Files.newBufferedReader(Manifests.ROOT.resolve("base/admission-service/webhooks.yaml"))) {
            base = map(new Yaml().loadAll(reader).iterator().next());
        }
        assertThat(registered.get("kind")).isEqualTo(base.get("kind"));
        Map<String, Object> expected = new java.util.HashMap<>(map(((List<Object>) base.get("webhooks")).get(0)));
        Map<String, Object> actual = new java.util.HashMap<>(webhook);
        expected.remove("clientConfig");
        actual.remove("clientConfig");
        assertThat(actual).isEqualTo(expected);
        assertThat(map(map(actual.get("namespaceSelector")).get("matchLabels"))).isEqualTo(CodeNeeds.PROFILE_LABEL);

        String certs = String.join("\n", strings(service("webhook-certs").get("command")));
        assertThat(certs).contains("subjectAltName=DNS:admission-service", "base64 -w0 /certs/tls.crt > "
                + "/certs/ca-bundle.b64");
        assertThat(strings(service("webhook-register").get("volumes"))).contains("webhook-certs:/certs:ro",
                "kubeconfig:/output:ro");
    }

    private static Map<String, Object> service(String name) {
        assertThat(services).containsKey(name);
        return map(services.get(name));
    }

    private static Map<String, String> env(String name) {
        Map<String, String> env = new java.util.HashMap<>();
        map(service(name).get("environment")).forEach((k, v) -> env.put(k, String.valueOf(v)));
        return env;
    }

    private static Map<String, String> dependsOn(String name) {
        Map<String, String> out = new java.util.HashMap<>();
        map(service(name).get("depends_on")).forEach((k, v) -> out.put(k, String.valueOf(map(v).get("condition"))));
        return out;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        assertThat(value).isInstanceOf(Map.class);
        return (Map<String, Object>) value;
    }

    private static List<String> strings(Object value) {
        assertThat(value).isInstanceOf(List.class);
        return ((List<?>) value).stream().map(String::valueOf).toList();
    }
}
