package dev.grantflow.admission.domain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.grantflow.model.poddefault.PodDefault;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** Loads the admission fixture table ({@code src/test/resources/fixtures/admission/*.json}) and builds reviews from it. */
public final class Fixtures {

    public static final ObjectMapper JSON = new ObjectMapper();
    public static final String DEFAULT_NAMESPACE = "alice";

    private Fixtures() {
    }

    public record Fixture(String name, JsonNode json) {
        @Override
        public String toString() {
            return name;
        }

        public JsonNode expect() {
            return json.get("expect");
        }

        public boolean isValidation() {
            return "validate".equals(json.path("webhook").asText());
        }

        public boolean hasRawBody() {
            return json.has("rawBody");
        }

        /** The request body of a {@link #hasRawBody()} case, sent as it is (not an AdmissionReview). */
        public byte[] rawBody() {
            return json.get("rawBody").asText().getBytes(StandardCharsets.UTF_8);
        }

        public boolean skipInvalidSelectors() {
            return json.path("skipInvalidSelectors").asBoolean(true);
        }

        /** The AdmissionReview the API server would send for this case. */
        public ObjectNode review() {
            ObjectNode review = JSON.createObjectNode();
            review.put("apiVersion", json.path("reviewApiVersion").asText(AdmissionReviewMapper.V1));
            review.put("kind", "AdmissionReview");
            ObjectNode request = review.putObject("request");
            request.put("uid", "uid-" + name);
            String namespace = json.path("namespace").asText(DEFAULT_NAMESPACE);
            if (isValidation()) {
                request.set("kind", JSON.createObjectNode().put("group", "kubeflow.org").put("version", "v1alpha1").put("kind", "PodDefault"));
                request.set("resource", JSON.createObjectNode().put("group", "kubeflow.org").put("version", "v1alpha1").put("resource", "poddefaults"));
                request.set("object", json.get("podDefault").deepCopy());
                request.put("name", json.path("podDefault").path("metadata").path("name").asText());
            } else {
                request.set("kind", JSON.createObjectNode().put("group", "").put("version", "v1").put("kind", "Pod"));
                request.set("resource", json.has("resource") ? json.get("resource").deepCopy()
                        : JSON.createObjectNode().put("group", "").put("version", "v1").put("resource", "pods"));
                request.set("object", json.get("pod").deepCopy());
            }
            request.put("namespace", namespace);
            request.put("operation", json.path("operation").asText("CREATE"));
            request.set("userInfo", JSON.createObjectNode().put("username", "system:serviceaccount:kubeflow:notebook-controller-service-account"));
            request.put("dryRun", false);
            return review;
        }

        /**
         * The fixture's PodDefaults as the cache would hold them: prepared (equal parts shared, as in the cache), per
         * namespace, sorted by name.
         */
        public PodDefaultLookup lookup() {
            PodDefaultMapper.Sharing sharing = new PodDefaultMapper.Sharing();
            Map<String, List<PreparedPodDefault>> byNamespace = new HashMap<>();
            for (JsonNode node : json.path("podDefaults")) {
                PodDefault pd = podDefault(node);
                byNamespace.computeIfAbsent(pd.getMetadata().getNamespace(), k -> new ArrayList<>()).add(PodDefaultMapper.prepare(pd, sharing));
            }
            Map<String, PodDefaultSnapshot> snapshots = new HashMap<>();
            byNamespace.forEach((ns, list) -> snapshots.put(ns, PodDefaultSnapshot.of(list)));
            return ns -> snapshots.getOrDefault(ns, PodDefaultSnapshot.EMPTY);
        }
    }

    public static PodDefault podDefault(JsonNode node) {
        try {
            return PodDefaultJson.read(node);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Path directory() {
        try {
            return Path.of(Fixtures.class.getResource("/fixtures/admission").toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    public static Stream<Fixture> all() {
        try (Stream<Path> files = Files.list(directory())) {
            return files.filter(p -> p.toString().endsWith(".json")).sorted().map(Fixtures::load).toList().stream();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Fixture load(String name) {
        return load(directory().resolve(name + ".json"));
    }

    private static Fixture load(Path file) {
        try {
            String name = file.getFileName().toString().replaceFirst("\\.json$", "");
            return new Fixture(name, JSON.readTree(file.toFile()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
