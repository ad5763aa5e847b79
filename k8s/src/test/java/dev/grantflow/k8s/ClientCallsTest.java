package dev.grantflow.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaAccess;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A tripwire between the services' code and {@link CodeNeeds#RBAC_TABLE}, derived from the real call sites: ArchUnit
 * reads each service's compiled classes (the services are test dependencies of this module, built before it) and
 * collects the fabric8 client calls, which must be the ones the table was written for. A new call (a patch, an
 * informer on another kind, a ConfigMap lock...) fails here with a pointer to the table and the Role/ClusterRole to
 * change. Collected:
 * <ul>
 *   <li>accessors: every method called on the client itself ({@code KubernetesClient}); every way to the API server
 *       starts there ({@code secrets()}, {@code resources(..)}, {@code leaderElector()}, {@code newClient(..)},
 *       {@code getHttpClient()}...);</li>
 *   <li>operations: every method called on the client's DSL ({@code io.fabric8.kubernetes.client.dsl..}):
 *       {@code inAnyNamespace}, {@code withLabel}, {@code runnableInformer}, {@code create}, {@code patch}...;</li>
 *   <li>locks: leader-election lock classes constructed ({@code LeaseLock}, {@code ConfigMapLock}...);</li>
 *   <li>HTTP methods: a class that sends requests itself through the client's {@code HttpClient} (grant-service's
 *       KubeWriter, ADR 5) hides the method in a string, which bytecode calls do not show. For such a class only, the
 *       quoted HTTP method names in its source file ({@code send("POST", ...)}) are read, as text.</li>
 * </ul>
 * Arguments are not seen: which kind {@code resources(..)} or KubeWriter's requests address is in the table's comments.
 * The verbs the calls imply are also compared with the verbs the table grants the service.
 */
class ClientCallsTest {

    static final String CLIENT = "io.fabric8.kubernetes.client";
    static final Set<String> CLIENT_TYPES = Set.of(CLIENT + ".KubernetesClient", CLIENT + ".NamespacedKubernetesClient",
            CLIENT + ".Client");
    static final String DSL = CLIENT + ".dsl";
    static final String LOCKS = CLIENT + ".extended.leaderelection.resourcelock";
    static final String HTTP_CLIENT = CLIENT + ".http.HttpClient";

    /** Quoted HTTP method names, in the source of a class that sends requests itself. */
    private static final Pattern HTTP_METHOD = Pattern.compile("\"(GET|POST|PUT|PATCH|DELETE)\"");
    private static final Map<String, String> VERB_OF_METHOD = Map.of("POST", "create", "PUT", "update",
            "DELETE", "delete", "GET", "get", "PATCH", "patch");

    /** The API verbs each DSL operation or lock needs; operations absent here only choose a scope or an object. */
    private static final Map<String, Set<String>> VERBS = Map.ofEntries(
            Map.entry("get", Set.of("get")),
            Map.entry("list", Set.of("list")),
            Map.entry("watch", Set.of("watch")),
            Map.entry("inform", Set.of("list", "watch")),
            Map.entry("runnableInformer", Set.of("list", "watch")),
            Map.entry("informOnCondition", Set.of("list", "watch")),
            Map.entry("waitUntilCondition", Set.of("get", "list", "watch")),
            Map.entry("create", Set.of("create")),
            Map.entry("update", Set.of("update")),
            Map.entry("replace", Set.of("update")),
            Map.entry("patch", Set.of("patch")),
            Map.entry("edit", Set.of("get", "patch")),
            Map.entry("serverSideApply", Set.of("patch")),
            Map.entry("delete", Set.of("delete")),
            Map.entry("updateStatus", Set.of("update")),
            Map.entry("patchStatus", Set.of("patch")),
            Map.entry("editStatus", Set.of("get", "patch")),
            // fabric8 7.x ResourceLock: GET the Lease, CREATE it when absent, take/renew/release by merge PATCH.
            Map.entry("LeaseLock", Set.of("get", "create", "patch")));

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            namespace-watcher | dev.grantflow.watcher   | namespaces leaderElector | runnableInformer | LeaseLock |
            admission-service | dev.grantflow.admission | resources | inAnyNamespace runnableInformer withLimit | |
            grant-service     | dev.grantflow.grant     | namespaces getNamespace secrets resources getConfiguration getKubernetesSerialization newClient getHttpClient | inAnyNamespace inNamespace withLabel runnableInformer | | POST PUT DELETE GET
            """)
    void clientCallsAreTheOnesTheRbacTableCovers(String service, String rootPackage, String accessors,
            String operations, String locks, String httpMethods) throws IOException {
        JavaClasses classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages(rootPackage);
        assertThat(classes).as("%s's classes on the test classpath", service).isNotEmpty();

        Set<String> foundAccessors = new TreeSet<>();
        Set<String> foundOperations = new TreeSet<>();
        Set<String> foundLocks = new TreeSet<>();
        Set<String> foundHttpMethods = new TreeSet<>();
        for (JavaClass javaClass : classes) {
            boolean sendsRequests = false;
            for (JavaAccess<?> call : calls(javaClass)) {
                JavaClass owner = call.getTargetOwner();
                String name = call.getTarget().getName();
                if (CLIENT_TYPES.contains(owner.getName())) {
                    foundAccessors.add(name);
                } else if (owner.getPackageName().startsWith(DSL)) {
                    foundOperations.add(name);
                } else if (owner.getPackageName().equals(LOCKS) && "<init>".equals(name)) {
                    foundLocks.add(owner.getSimpleName());
                } else if (owner.getName().equals(HTTP_CLIENT)
                        && (name.startsWith("send") || name.startsWith("consume"))) {
                    sendsRequests = true;
                }
            }
            if (sendsRequests) {
                Matcher method = HTTP_METHOD.matcher(Files.readString(sourceFile(service, javaClass)));
                while (method.find()) {
                    foundHttpMethods.add(method.group(1));
                }
            }
        }

        String advice = service + "'s Kubernetes client calls changed: update CodeNeeds.RBAC_TABLE, "
                + "k8s/base/" + service + "/rbac.yaml and this expectation together";
        assertThat(foundAccessors).as(advice).isEqualTo(words(accessors));
        assertThat(foundOperations).as(advice).isEqualTo(words(operations));
        assertThat(foundLocks).as(advice).isEqualTo(words(locks));
        assertThat(foundHttpMethods).as(advice).isEqualTo(words(httpMethods));

        Set<String> implied = new TreeSet<>();
        Stream.concat(foundOperations.stream(), foundLocks.stream())
                .forEach(op -> implied.addAll(VERBS.getOrDefault(op, Set.of())));
        foundHttpMethods.forEach(m -> implied.add(VERB_OF_METHOD.get(m)));
        Set<String> granted = new TreeSet<>();
        CodeNeeds.permissions(service, CodeNeeds.NAMESPACE).forEach(p -> granted.add(p.verb()));
        assertThat(implied).as("the verbs %s's calls need, against the verbs CodeNeeds.RBAC_TABLE grants it; %s",
                service, advice).isEqualTo(granted);
    }

    /** Method and constructor calls and references, lambdas and nested classes included (they are classes too). */
    private static List<JavaAccess<?>> calls(JavaClass javaClass) {
        List<JavaAccess<?>> calls = new ArrayList<>();
        calls.addAll(javaClass.getMethodCallsFromSelf());
        calls.addAll(javaClass.getConstructorCallsFromSelf());
        calls.addAll(javaClass.getMethodReferencesFromSelf());
        calls.addAll(javaClass.getConstructorReferencesFromSelf());
        return calls;
    }

    private static Path sourceFile(String service, JavaClass javaClass) {
        String fileName = javaClass.getSource().flatMap(s -> s.getFileName())
                .orElseThrow(() -> new AssertionError(javaClass.getName() + " has no source file attribute"));
        Path file = Manifests.ROOT.getParent().resolve(service).resolve("src/main/java")
                .resolve(javaClass.getPackageName().replace('.', '/')).resolve(fileName);
        assertThat(file).as("the source of %s", javaClass.getName()).isRegularFile();
        return file;
    }

    private static Set<String> words(String text) {
        return text == null || text.isBlank() ? Set.of() : new TreeSet<>(List.of(text.trim().split("\\s+")));
    }
}
