package dev.grantflow.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A tripwire between the services' code and {@link CodeNeeds#RBAC_TABLE}: the fabric8 client calls found in each
 * service's main sources (statements that use the injected {@code client}) must be the ones the table was written
 * for. A new call (a patch, an informer on another kind, a ConfigMap lock...) fails here with a pointer to the table
 * and the Role/ClusterRole to change. It reads source text, so it knows what is called, not with which arguments:
 * the table's comments say which resources each call touches. Requests a service sends itself through the client's
 * HTTP client ({@code send("POST", ...)} in grant-service's KubeWriter, ADR 5) count as the verbs they are.
 */
class CodeScanTest {

    private static final Pattern ACCESSOR = Pattern.compile("\\bclient\\s*\\.\\s*(\\w+)\\s*\\(");
    private static final Pattern OPERATION = Pattern.compile("\\.\\s*(create|update|delete|patch|edit|replace"
            + "|serverSideApply|createOr\\w*|list|watch|inform|informOnCondition|runnableInformer|get|updateStatus|patchStatus"
            + "|editStatus|scale|evict|withResourceVersion|lockResourceVersion)\\s*\\(");
    private static final Pattern LOCK = Pattern.compile("new\\s+(\\w+Lock)\\s*\\(");
    /** Requests a service sends itself through the client's HTTP client (grant-service's KubeWriter, ADR 5). */
    private static final Pattern HTTP_METHOD = Pattern.compile("send\\(\\s*\"(POST|PUT|DELETE|GET|PATCH)\"");
    private static final java.util.Map<String, String> VERB_OF_METHOD = java.util.Map.of("POST", "create",
            "PUT", "update", "DELETE", "delete", "GET", "get", "PATCH", "patch");

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            namespace-watcher | namespaces leaderElector  | runnableInformer                          | LeaseLock
            admission-service | resources                 | runnableInformer                          |
            grant-service     | secrets resources getConfiguration getKubernetesSerialization newClient | runnableInformer create get update delete |
            """)
    void clientCallsAreTheOnesTheRbacTableCovers(String service, String accessors, String operations, String locks)
            throws IOException {
        Set<String> foundAccessors = new TreeSet<>();
        Set<String> foundOperations = new TreeSet<>();
        Set<String> foundLocks = new TreeSet<>();
        Path sources = Manifests.ROOT.getParent().resolve(service).resolve("src/main/java");
        assertThat(sources).isDirectory();
        try (Stream<Path> files = Files.walk(sources)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                String code = Files.readString(file);
                if (!code.contains("KubernetesClient")) {
                    continue;
                }
                Matcher method = HTTP_METHOD.matcher(code);
                while (method.find()) {
                    foundOperations.add(VERB_OF_METHOD.get(method.group(1)));
                }
                for (String statement : code.split(";")) {
                    if (!ACCESSOR.matcher(statement).find()) {
                        continue;
                    }
                    collect(ACCESSOR.matcher(statement), foundAccessors);
                    collect(OPERATION.matcher(statement), foundOperations);
                    collect(LOCK.matcher(statement), foundLocks);
                }
            }
        }

        String advice = service + "'s Kubernetes client calls changed: update CodeNeeds.RBAC_TABLE, "
                + "k8s/base/" + service + "/rbac.yaml and this expectation together";
        assertThat(foundAccessors).as(advice).isEqualTo(words(accessors));
        assertThat(foundOperations).as(advice).isEqualTo(words(operations));
        assertThat(foundLocks).as(advice).isEqualTo(words(locks));
    }

    private static void collect(Matcher matcher, Set<String> into) {
        while (matcher.find()) {
            into.add(matcher.group(1));
        }
    }

    private static Set<String> words(String text) {
        return text == null || text.isBlank() ? Set.of() : new TreeSet<>(List.of(text.trim().split("\\s+")));
    }
}
