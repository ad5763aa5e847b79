package dev.grantflow.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The part of {@code kustomize build} (= {@code kubectl kustomize}) that k8s/ uses, and nothing more.
 *
 * <p>Supported: a kustomization file ({@code kustomization.yaml}, {@code kustomization.yml} or {@code Kustomization})
 * whose only fields are {@code apiVersion}, {@code kind} and {@code resources}; each resource is a YAML file below the
 * kustomization's directory (multi-document files allowed, empty documents skipped) or a directory holding its own
 * kustomization, anywhere (that is how overlays reach {@code ../../base}). Like kustomize it refuses files outside the
 * kustomization root (its default load restrictor), cycles, and two objects with the same group, kind, namespace and
 * name.
 *
 * <p>Not supported, and refused with a message rather than ignored: every other kustomization field (namespace,
 * labels, patches, images, generators, components, ...), remote resources, {@code List} objects. Objects come out in
 * the order they were read (kustomize's {@code sortOptions: fifo}); kustomize's default output order sorts by kind,
 * which does not change the set of objects. {@code KubectlParityTest} renders the same directories with the real
 * kustomize when {@code kubectl} is installed and compares the objects.
 */
final class Kustomize {

    static final List<String> KUSTOMIZATION_FILE_NAMES = List.of("kustomization.yaml", "kustomization.yml",
            "Kustomization");
    static final Set<String> SUPPORTED_FIELDS = Set.of("apiVersion", "kind", "resources");
    static final String API_VERSION = "kustomize.config.k8s.io/v1beta1";

    private static final YAMLMapper YAML = new YAMLMapper();

    private Kustomize() {
    }

    /** Renders the kustomization in {@code dir}; throws {@link KustomizeException} on anything it does not support. */
    static List<ObjectNode> build(Path dir) {
        List<ObjectNode> out = new ArrayList<>();
        build(realPath(dir), new ArrayDeque<>(), out);
        Map<String, Path> seen = new HashMap<>();
        for (ObjectNode object : out) {
            String id = id(object);
            if (seen.putIfAbsent(id, dir) != null) {
                throw new KustomizeException("may not add resource with an already registered id: " + id);
            }
        }
        return out;
    }

    /** Group, kind, namespace and name: what kustomize (and the API server) consider the same object. */
    static String id(JsonNode object) {
        String apiVersion = object.path("apiVersion").asText();
        String group = apiVersion.contains("/") ? apiVersion.substring(0, apiVersion.indexOf('/')) : "";
        String namespace = object.path("metadata").path("namespace").asText("");
        return group + "/" + object.path("kind").asText() + "|" + namespace + "|"
                + object.path("metadata").path("name").asText();
    }

    private static void build(Path dir, Deque<Path> stack, List<ObjectNode> out) {
        if (stack.contains(dir)) {
            throw new KustomizeException("cycle detected: " + dir + " includes itself via " + stack);
        }
        stack.push(dir);
        Path file = kustomizationFile(dir);
        JsonNode kustomization = readSingle(file);
        if (!kustomization.isObject()) {
            throw new KustomizeException(file + ": a kustomization must be a YAML mapping");
        }
        for (Iterator<String> names = kustomization.fieldNames(); names.hasNext();) {
            String field = names.next();
            if (!SUPPORTED_FIELDS.contains(field)) {
                throw new KustomizeException(file + ": field '" + field + "' is not supported by this renderer "
                        + "(supported: " + SUPPORTED_FIELDS + "); extend Kustomize or keep the manifests simple");
            }
        }
        expectText(kustomization, "kind", "Kustomization", file);
        expectText(kustomization, "apiVersion", API_VERSION, file);
        JsonNode resources = kustomization.path("resources");
        if (!resources.isMissingNode() && !resources.isNull() && !resources.isArray()) {
            throw new KustomizeException(file + ": 'resources' must be a list");
        }
        for (JsonNode entry : resources) {
            if (!entry.isTextual() || entry.asText().isBlank()) {
                throw new KustomizeException(file + ": resource entries must be non-empty strings, got " + entry);
            }
            String ref = entry.asText();
            if (ref.contains("://") || ref.startsWith("git@") || ref.startsWith("github.com/")) {
                throw new KustomizeException(file + ": remote resource '" + ref + "' is not supported");
            }
            Path target = dir.resolve(ref).normalize();
            if (Files.isDirectory(target)) {
                build(realPath(target), stack, out);
            } else if (Files.isRegularFile(target)) {
                Path real = realPath(target);
                if (!real.startsWith(dir)) {
                    throw new KustomizeException(file + ": security; file '" + ref + "' is not in or below '" + dir
                            + "' (kustomize's load restrictor refuses it too; include its directory instead)");
                }
                out.addAll(readObjects(real));
            } else {
                throw new KustomizeException(file + ": resource '" + ref + "' does not exist");
            }
        }
        stack.pop();
    }

    private static Path kustomizationFile(Path dir) {
        List<Path> found = KUSTOMIZATION_FILE_NAMES.stream().map(dir::resolve).filter(Files::isRegularFile).toList();
        if (found.isEmpty()) {
            throw new KustomizeException("no kustomization file (" + KUSTOMIZATION_FILE_NAMES + ") in " + dir);
        }
        if (found.size() > 1) {
            throw new KustomizeException("more than one kustomization file in " + dir + ": " + found);
        }
        return found.get(0);
    }

    private static void expectText(JsonNode node, String field, String expected, Path file) {
        JsonNode value = node.path(field);
        if (!value.isMissingNode() && !expected.equals(value.asText())) {
            throw new KustomizeException(file + ": " + field + " must be " + expected + ", got " + value);
        }
    }

    private static JsonNode readSingle(Path file) {
        try {
            JsonNode node = YAML.readTree(file.toFile());
            if (node == null || node.isMissingNode()) {
                throw new KustomizeException(file + " is empty");
            }
            return node;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /** Every non-empty document of a YAML file, each a Kubernetes object with apiVersion, kind and metadata.name. */
    static List<ObjectNode> readObjects(Path file) {
        List<ObjectNode> objects = new ArrayList<>();
        try (MappingIterator<JsonNode> docs = YAML.readerFor(JsonNode.class).readValues(file.toFile())) {
            int index = 0;
            while (docs.hasNextValue()) {
                JsonNode doc = docs.nextValue();
                index++;
                if (doc == null || doc.isNull() || doc.isMissingNode()) {
                    continue;
                }
                String where = file + " document " + index;
                if (!doc.isObject()) {
                    throw new KustomizeException(where + ": not a YAML mapping");
                }
                for (String field : List.of("apiVersion", "kind")) {
                    if (!doc.path(field).isTextual() || doc.path(field).asText().isBlank()) {
                        throw new KustomizeException(where + ": missing " + field);
                    }
                }
                if (doc.path("kind").asText().endsWith("List")) {
                    throw new KustomizeException(where + ": List objects are not supported");
                }
                if (!doc.path("metadata").path("name").isTextual()) {
                    throw new KustomizeException(where + ": missing metadata.name");
                }
                objects.add((ObjectNode) doc);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        return objects;
    }

    private static Path realPath(Path path) {
        try {
            return path.toRealPath();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot resolve " + path, e);
        }
    }

    /** The renderer met something kustomize would refuse, or something this renderer does not implement. */
    static final class KustomizeException extends RuntimeException {
        KustomizeException(String message) {
            super(message);
        }
    }
}
