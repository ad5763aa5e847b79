package dev.grantflow.stack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.grantflow.model.event.Topics;
import dev.grantflow.model.json.Json;
import dev.grantflow.model.poddefault.PodDefault;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import io.fabric8.zjsonpatch.JsonPatch;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * The seed tutorial ("Manage Secrets" with {@code test-secret}, plus Docker credentials) played against a running
 * {@link Platform}, step by step, with progress lines. Every step waits for its observable effect and records it in
 * the {@link Result}; the end-to-end test asserts on it. Secret values are random canaries and are never printed.
 */
final class SeedScenario {

    static final String TENANT = "alice";
    static final String DOCKER_MOUNT = "/home/jovyan/.docker";

    /** What the scenario observed. */
    record Result(long materializedMillis, String secretMountPath, String dockerConfigPath, String tokenMountPath,
            String rotatedHashBefore, String rotatedHashAfter, boolean revokedPodUnmounted, List<String> canaries,
            List<GrantctlRun.Outcome> grantctl) {
    }

    private final Platform platform;
    private final KubernetesClient kube;
    private final HttpClient https;
    private final String canary = "canary-" + UUID.randomUUID();
    private final String rotatedCanary = "canary-rotated-" + UUID.randomUUID();
    private final String tokenCanary = "canary-token-" + UUID.randomUUID();
    private final String dockerCanary = "canary-docker-" + UUID.randomUUID();
    private final GrantctlRun grantctl;

    SeedScenario(Path root, Platform platform) {
        this.platform = platform;
        this.grantctl = new GrantctlRun(root, platform);
        this.kube = platform.kube.client();
        this.https = HttpClient.newBuilder().sslContext(platform.tls.clientContext())
                .connectTimeout(Duration.ofSeconds(2)).build();
    }

    Result run() {
        try (TopicReader statuses = new TopicReader(platform.broker.bootstrapServers(), Topics.GRANT_STATUS, false)) {
            Progress.step("1. An administrator grants three credentials to alice, who has never logged in: test-secret "
                    + "(a copy of a source Secret), an API token (a sealed literal) and Docker credentials (a sealed "
                    + "config file), each signed, with grantctl");
            createSource("test-secret", "Opaque", Map.of("foo", canary));
            Path dockerConfig = writeDockerConfig();
            grantctl.run(List.of("grant", "--tenant", TENANT, "--name", "test-secret", "--from-secret",
                    Platform.SOURCE_NAMESPACE + "/test-secret", "--mount", "/secret/test-secret"),
                    "grant --tenant alice --name test-secret --from-secret grantflow-sources/test-secret "
                            + "--mount /secret/test-secret");
            grantctl.run(List.of("grant", "--tenant", TENANT, "--name", "api-token", "--from-literal",
                    "token=" + tokenCanary, "--mount", "/secret/api-token", "--env", "API_TOKEN=token"),
                    "grant --tenant alice --name api-token --from-literal token=<value> --mount /secret/api-token "
                            + "--env API_TOKEN=token");
            grantctl.run(List.of("grant", "--tenant", TENANT, "--name", "docker-config", "--docker-config",
                    dockerConfig.toString(), "--mount", DOCKER_MOUNT),
                    "grant --tenant alice --name docker-config --docker-config <config.json> --mount " + DOCKER_MOUNT);
            Files.delete(dockerConfig);
            for (String key : List.of("alice/test-secret", "alice/api-token", "alice/docker-config")) {
                Progress.until("status of " + key + " is Pending (TenantAbsent)", Duration.ofSeconds(60),
                        () -> phase(statuses, key).equals("Pending"));
            }

            Progress.step("2. alice logs in: her profile namespace appears");
            Instant login = Instant.now();
            kube.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(TENANT)
                    .addToLabels("app.kubernetes.io/part-of", "kubeflow-profile")
                    .addToAnnotations("owner", "alice@example.com").endMetadata()
                    .withNewStatus().withPhase("Active").endStatus().build())
                    .createOr(NonDeletingOperation::update);
            Progress.until("Secrets and PodDefaults test-secret, api-token and docker-config in namespace alice",
                    Duration.ofSeconds(60), () -> List.of("test-secret", "api-token", "docker-config").stream()
                            .allMatch(name -> exists(Secret.class, name) && exists(PodDefault.class, name)));
            long materialized = Duration.between(login, Instant.now()).toMillis();
            Progress.info("namespace created -> credentials materialized in " + materialized + " ms");
            for (String key : List.of("alice/test-secret", "alice/api-token", "alice/docker-config")) {
                Progress.until("status of " + key + " is Applied", Duration.ofSeconds(30),
                        () -> phase(statuses, key).equals("Applied"));
            }
            grantctl.run(List.of("status", "--tenant", TENANT), "status --tenant alice");

            Progress.step("3. alice starts a notebook with the three configurations ticked; the webhook patches it");
            JsonNode pod = notebookPod();
            JsonNode patched = Progress.waitFor("admission-service patches the notebook pod", () ->
                    eventually(Duration.ofSeconds(30), () -> {
                        JsonNode result = admit(pod);
                        return mountPath(result, "test-secret") != null && mountPath(result, "docker-config") != null
                                && mountPath(result, "api-token") != null ? result : null;
                    }));
            String secretMount = mountPath(patched, "test-secret");
            String dockerPath = mountPath(patched, "docker-config") + "/" + itemPath(patched, "docker-config");
            String tokenMount = mountPath(patched, "api-token");
            Progress.info("cat " + secretMount + "/foo works in the notebook (volume from Secret test-secret)");
            Progress.info("Docker config at " + dockerPath + " (volume from Secret docker-config)");
            Progress.info("API token at " + tokenMount + "/token (volume from Secret api-token, opened from its sealed "
                    + "value by grant-service)");

            Progress.step("4. Rotation: the administrator rotates the source Secret test-secret");
            String before = hash("test-secret");
            createSource("test-secret", "Opaque", Map.of("foo", rotatedCanary));
            Progress.until("alice's copy carries the new value", Duration.ofSeconds(60),
                    () -> base64(rotatedCanary).equals(tenantValue("test-secret", "foo")));
            String after = hash("test-secret");
            Progress.info("content hash " + shortHash(before) + " -> " + shortHash(after) + " (values never printed)");

            Progress.step("5. Revocation: the administrator revokes test-secret (a signed revocation, with grantctl)");
            grantctl.run(List.of("revoke", "--tenant", TENANT, "--name", "test-secret"),
                    "revoke --tenant alice --name test-secret");
            Progress.until("status of alice/test-secret is Revoked", Duration.ofSeconds(60),
                    () -> phase(statuses, "alice/test-secret").equals("Revoked"));
            Progress.waitFor("Secret and PodDefault test-secret deleted", () -> eventually(
                    Duration.ofSeconds(30), () -> !exists(Secret.class, "test-secret")
                            && !exists(PodDefault.class, "test-secret") ? Boolean.TRUE : null));
            JsonNode afterRevoke = Progress.waitFor("a new notebook pod no longer gets test-secret", () ->
                    eventually(Duration.ofSeconds(30), () -> {
                        JsonNode result = admit(pod);
                        return mountPath(result, "test-secret") == null ? result : null;
                    }));
            boolean unmounted = mountPath(afterRevoke, "test-secret") == null
                    && mountPath(afterRevoke, "docker-config") != null;
            Progress.info("docker-config is still mounted at " + mountPath(afterRevoke, "docker-config"));
            Progress.step("6. Audit: who granted what to alice, signatures verified again");
            grantctl.run(List.of("audit", "--tenant", TENANT), "audit --tenant alice");
            return new Result(materialized, secretMount, dockerPath, tokenMount, before, after, unmounted,
                    List.of(canary, base64(canary), rotatedCanary, base64(rotatedCanary), tokenCanary,
                            base64(tokenCanary), dockerCanary, base64("alice:" + dockerCanary)),
                    grantctl.outcomes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A Docker config file as {@code docker login} writes it, in a file only its owner reads; deleted once posted. */
    private Path writeDockerConfig() throws IOException {
        Path file = Files.createTempFile("docker-config", ".json",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(file, "{\"auths\":{\"registry.example.com\":{\"auth\":\"" + base64("alice:" + dockerCanary)
                + "\"}}}");
        return file;
    }

    // ---- the administrator's side ---------------------------------------------------------------------------------

    private void createSource(String name, String type, Map<String, String> plain) {
        Map<String, String> data = new java.util.HashMap<>();
        plain.forEach((k, v) -> data.put(k, base64(v)));
        kube.secrets().inNamespace(Platform.SOURCE_NAMESPACE).resource(new SecretBuilder().withNewMetadata()
                .withName(name).withNamespace(Platform.SOURCE_NAMESPACE).endMetadata().withType(type).withData(data)
                .build()).createOr(NonDeletingOperation::update);
    }

    // ---- what the API server and the tenant see -------------------------------------------------------------------

    /** Sends the pod as the API server would and returns the pod with the response's JSON Patch applied. */
    JsonNode admit(JsonNode pod) {
        ObjectNode review = Json.mapper().createObjectNode();
        review.put("apiVersion", "admission.k8s.io/v1").put("kind", "AdmissionReview");
        ObjectNode request = review.putObject("request");
        request.put("uid", UUID.randomUUID().toString());
        request.putObject("kind").put("group", "").put("version", "v1").put("kind", "Pod");
        request.putObject("resource").put("group", "").put("version", "v1").put("resource", "pods");
        request.put("namespace", TENANT).put("operation", "CREATE");
        request.putObject("userInfo").put("username", "system:serviceaccount:kubeflow:notebook-controller-service-account");
        request.set("object", pod);
        try {
            HttpResponse<String> response = https.send(HttpRequest.newBuilder(URI.create(platform.webhookUrl))
                    .header("Content-Type", "application/json").timeout(Duration.ofSeconds(10))
                    .POST(HttpRequest.BodyPublishers.ofString(review.toString())).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("webhook answered HTTP " + response.statusCode());
            }
            JsonNode answer = Json.readTree(response.body()).get("response");
            if (!answer.get("allowed").asBoolean()) {
                throw new IllegalStateException("webhook denied the pod: " + answer.path("status").path("message"));
            }
            if (!answer.has("patch")) {
                return pod;
            }
            JsonNode patch = Json.readTree(Base64.getDecoder().decode(answer.get("patch").asText()));
            return JsonPatch.apply(patch, pod);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The mountPath, in the notebook container, of the volume that projects Secret {@code secretName}. */
    static String mountPath(JsonNode pod, String secretName) {
        String volume = volumeOf(pod, secretName);
        if (volume == null) {
            return null;
        }
        for (JsonNode mount : pod.path("spec").path("containers").path(0).path("volumeMounts")) {
            if (volume.equals(mount.path("name").asText())) {
                return mount.path("mountPath").asText();
            }
        }
        return null;
    }

    static String itemPath(JsonNode pod, String secretName) {
        for (JsonNode volume : pod.path("spec").path("volumes")) {
            if (secretName.equals(volume.path("secret").path("secretName").asText())) {
                return volume.path("secret").path("items").path(0).path("path").asText();
            }
        }
        return null;
    }

    private static String volumeOf(JsonNode pod, String secretName) {
        for (JsonNode volume : pod.path("spec").path("volumes")) {
            if (secretName.equals(volume.path("secret").path("secretName").asText())) {
                return volume.path("name").asText();
            }
        }
        return null;
    }

    static JsonNode notebookPod() {
        try (InputStream in = SeedScenario.class.getResourceAsStream("/scenario/notebook-pod.json")) {
            return Json.readTree(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private <T extends io.fabric8.kubernetes.api.model.HasMetadata> boolean exists(Class<T> type, String name) {
        return kube.resources(type).inNamespace(TENANT).withName(name).get() != null;
    }

    private String tenantValue(String secret, String key) {
        Secret copy = kube.secrets().inNamespace(TENANT).withName(secret).get();
        return copy == null || copy.getData() == null ? null : copy.getData().get(key);
    }

    private String hash(String secret) {
        Secret copy = kube.secrets().inNamespace(TENANT).withName(secret).get();
        return copy.getMetadata().getAnnotations().get("grantflow.dev/content-hash");
    }

    private static String shortHash(String hash) {
        return hash == null ? "none" : hash.substring(0, Math.min(hash.length(), 19)) + "...";
    }

    private static String phase(TopicReader statuses, String key) {
        String latest = statuses.latest(key);
        return latest == null ? "" : Json.readTree(latest).path("phase").asText();
    }

    private static <T> T eventually(Duration timeout, Supplier<T> attempt) {
        Instant deadline = Instant.now().plus(timeout);
        RuntimeException last = null;
        while (Instant.now().isBefore(deadline)) {
            try {
                T value = attempt.get();
                if (value != null) {
                    return value;
                }
            } catch (RuntimeException e) {
                last = e;
            }
            Progress.pause(Duration.ofMillis(100));
        }
        throw new IllegalStateException("not within " + timeout.toSeconds() + " s"
                + (last == null ? "" : " (last error: " + last.getMessage() + ")"));
    }

    static String base64(String plain) {
        return Base64.getEncoder().encodeToString(plain.getBytes(StandardCharsets.UTF_8));
    }
}
