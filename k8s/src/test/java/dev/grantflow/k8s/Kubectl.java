package dev.grantflow.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Renders a kustomization with the real kustomize, {@code kubectl kustomize <dir>}, the way {@code kubectl apply -k}
 * reads it. kubectl is required: CI installs it ({@code .ci/run}); without it every rendering test fails (never
 * skips) with a message that says so. kubectl before 1.21 bundles kustomize v2.0.3, which cannot list directories
 * under {@code resources} as base/ does; the failure message then shows the client version.
 */
final class Kubectl {

    static final String KUBECTL = "kubectl";
    private static final long TIMEOUT_SECONDS = 60;
    private static final YAMLMapper YAML = new YAMLMapper();

    private Kubectl() {
    }

    /** The objects {@code kubectl kustomize dir} prints, in its order; a refusal is a {@link KustomizeFailed}. */
    static List<ObjectNode> kustomize(Path dir) {
        return kustomize(KUBECTL, dir);
    }

    /** As {@link #kustomize(Path)}, with another kubectl executable (a test runs one that does not exist). */
    static List<ObjectNode> kustomize(String kubectl, Path dir) {
        Result result = run(List.of(kubectl, "kustomize", dir.toString()));
        if (result.exitCode() != 0) {
            throw new KustomizeFailed(kubectl + " kustomize " + dir + " failed (exit " + result.exitCode() + "): "
                    + result.stderr().strip() + "\n" + clientVersion(kubectl));
        }
        return parse(result.stdout());
    }

    /** Every non-empty YAML document of kubectl's output; each must be a mapping (a Kubernetes object). */
    static List<ObjectNode> parse(String yaml) {
        List<ObjectNode> out = new ArrayList<>();
        try (MappingIterator<JsonNode> docs = YAML.readerFor(JsonNode.class).readValues(yaml)) {
            while (docs.hasNextValue()) {
                JsonNode doc = docs.nextValue();
                if (doc == null || doc.isNull() || doc.isMissingNode()) {
                    continue;
                }
                if (!(doc instanceof ObjectNode object)) {
                    throw new IllegalStateException("kubectl kustomize printed a document that is not a mapping: "
                            + doc);
                }
                out.add(object);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot parse the output of kubectl kustomize", e);
        }
        return out;
    }

    private static String clientVersion(String kubectl) {
        Result version = run(List.of(kubectl, "version", "--client"));
        return "(" + kubectl + " version --client: " + (version.stdout() + version.stderr()).strip() + ")";
    }

    private record Result(int exitCode, String stdout, String stderr) {
    }

    private static Result run(List<String> command) {
        Path stderr = null;
        try {
            // stderr goes to a file so that neither pipe can fill up while the other is read.
            stderr = Files.createTempFile("kubectl", ".err");
            Process process;
            try {
                process = new ProcessBuilder(command).redirectError(stderr.toFile()).start();
            } catch (IOException e) {
                throw new KubectlMissing("cannot run " + command.get(0) + " (" + e.getMessage() + "): the k8s tests render "
                        + "the manifests with `kubectl kustomize`. Install kubectl 1.21 or later (CI's .ci/run does).");
            }
            process.getOutputStream().close();
            byte[] out = process.getInputStream().readAllBytes();
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new KustomizeFailed(String.join(" ", command) + " did not finish in " + TIMEOUT_SECONDS + " s");
            }
            return new Result(process.exitValue(), new String(out, StandardCharsets.UTF_8), Files.readString(stderr));
        } catch (IOException e) {
            throw new UncheckedIOException("running " + String.join(" ", command), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + String.join(" ", command), e);
        } finally {
            if (stderr != null) {
                try {
                    Files.deleteIfExists(stderr);
                } catch (IOException ignored) {
                    // a temporary file left behind is harmless
                }
            }
        }
    }

    /** kubectl is not installed (or not on the PATH). */
    static final class KubectlMissing extends RuntimeException {
        KubectlMissing(String message) {
            super(message);
        }
    }

    /** kubectl ran and refused the kustomization (or did not finish); the message carries its error output. */
    static final class KustomizeFailed extends RuntimeException {
        KustomizeFailed(String message) {
            super(message);
        }
    }
}
