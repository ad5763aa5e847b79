package dev.grantflow.k8s;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the services' code needs from the cluster: the facts the manifests must agree with, each with the place in the
 * code (or configuration) it comes from. When the code changes, change this table first and let the tests show
 * which manifest has to follow.
 */
final class CodeNeeds {

    static final String NAMESPACE = "grantflow";
    static final String LIVE = "/q/health/live";
    static final String READY = "/q/health/ready";

    /** A Deployment: its container's ports and the port its probes (smallrye-health) answer on. */
    record Workload(String name, int minReplicas, Set<Integer> containerPorts, int healthPort) {
    }

    static final Workload NAMESPACE_WATCHER = new Workload("namespace-watcher", 2, Set.of(8080), 8080);
    /** Webhooks on HTTPS 8443 (quarkus.http.ssl-port); health and metrics on management port 9000. */
    static final Workload ADMISSION_SERVICE = new Workload("admission-service", 2, Set.of(8443, 9000), 9000);
    static final Workload GRANT_SERVICE = new Workload("grant-service", 1, Set.of(8080), 8080);
    static final List<Workload> WORKLOADS = List.of(NAMESPACE_WATCHER, ADMISSION_SERVICE, GRANT_SERVICE);

    /**
     * The webhook port of admission-service application.properties (quarkus.http.ssl-port), unless the Deployment sets
     * {@link #SSL_PORT_ENV}; the Service must reach whichever applies.
     */
    static final int WEBHOOK_CONTAINER_PORT = 8443;
    /** Quarkus' environment form of quarkus.http.ssl-port. */
    static final String SSL_PORT_ENV = "QUARKUS_HTTP_SSL_PORT";
    /** Quarkus' environment form of quarkus.shutdown.timeout: how long in-flight requests may take after SIGTERM. */
    static final String SHUTDOWN_TIMEOUT_ENV = "QUARKUS_SHUTDOWN_TIMEOUT";

    /**
     * Sizing rule of k8s/README.md: memory limit >= -Xmx + {@link #NON_HEAP_MIB} (metaspace, code cache, thread stacks,
     * Netty and Kafka direct buffers, GC structures), memory request = limit, and -Xmx >= {@link #HEAP_HEADROOM} x the
     * live heap measured in docs/benchmarks.md.
     */
    static final int NON_HEAP_MIB = 256;
    static final int HEAP_HEADROOM = 2;
    /**
     * docs/benchmarks.md: grant-service heap after full GC with 100,020 grants (111-123 MiB in the restart runs with
     * verification receipts, 2026-12-01; the largest is taken); admission-service
     * live heap after full GC with 10,000 PodDefaults (16 MiB, issue 14's runs). namespace-watcher has no benchmark (0:
     * only the non-heap rule applies).
     */
    static final Map<String, Integer> MEASURED_LIVE_HEAP_MIB = Map.of(
            "grant-service", 123, "admission-service", 16, "namespace-watcher", 0);

    /** Kubeflow 1.9 / 1.10's PodDefault webhook (applications/admission-webhook, prefix admission-webhook-). */
    static final String KUBEFLOW_NAMESPACE = "kubeflow";
    static final String KUBEFLOW_WEBHOOK_CONFIGURATION = "admission-webhook-mutating-webhook-configuration";
    static final String KUBEFLOW_WEBHOOK_DEPLOYMENT = "admission-webhook-deployment";
    /** Kubeflow's aggregated roles for PodDefaults: profile users' rights; they must survive the replacement. */
    static final List<String> KUBEFLOW_POD_DEFAULT_ROLES = List.of("admission-webhook-kubeflow-poddefaults-admin",
            "admission-webhook-kubeflow-poddefaults-edit", "admission-webhook-kubeflow-poddefaults-view");
    /** What the validating webhook must match when the rendering has no CRD (Kubeflow's: one served version). */
    static final java.util.Set<String> POD_DEFAULT_WRITES = java.util.Set.of(
            "CREATE 'kubeflow.org'/v1alpha1/poddefaults", "UPDATE 'kubeflow.org'/v1alpha1/poddefaults");

    /** The project version (the parent pom's first {@code <version>}): every image tag and version label. */
    static final String PROJECT_VERSION = projectVersion();

    private static String projectVersion() {
        try {
            String pom = java.nio.file.Files.readString(Manifests.ROOT.resolve("..").resolve("pom.xml"));
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("<version>([^<$]+)</version>").matcher(pom);
            if (!m.find()) {
                throw new IllegalStateException("no <version> in the parent pom");
            }
            return m.group(1).trim();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
    static final String APPLY_PATH = "/apply-poddefault";
    static final String VALIDATE_PATH = "/validate-poddefault";
    /** prod profile: quarkus.tls.webhook.key-store.pem.0.cert / .key default to tls.crt / tls.key here. */
    static final String CERT_DIR = "/etc/webhook/certs";
    /** docs/design.md: Kubeflow profile namespaces carry this label (also the watcher's default tenant selector). */
    static final Map<String, String> PROFILE_LABEL = Map.of("app.kubernetes.io/part-of", "kubeflow-profile");
    /** Kubeflow's opt-out (an annotation, checked by PodDefaultPolicy); as a label it skips the webhook call. */
    static final String EXCLUDE_LABEL = "poddefault.admission.kubeflow.org/exclude";
    /** Istio's injector configurations, which must sort after ours (docs/poddefault-spec.md section 10). */
    static final List<String> ISTIO_INJECTORS = List.of("istio-revision-tag-default", "istio-sidecar-injector");
    /** WatcherConfig.LeaderElection#leaseName default. */
    static final String LEASE_NAME = "grantflow-namespace-watcher";
    /** GrantServiceConfig#sourceNamespace default. */
    static final String SOURCE_NAMESPACE = "grantflow-sources";

    /**
     * Every Kubernetes API permission each service's ServiceAccount needs, and no other. Columns: service, scope
     * ({@code cluster}, or {@code own} = the Deployment's namespace), API group ({@code core} = ""), resource, verbs,
     * resource name ({@code *} = any). The calls behind each row:
     * <ul>
     *   <li>namespace-watcher NamespaceWatch: {@code client.namespaces().runnableInformer(..)}, cluster-wide, no
     *       server-side selector (ADR 0002);</li>
     *   <li>namespace-watcher LeaderElection: fabric8 7.5 {@code LeaseLock} in POD_NAMESPACE; ResourceLock GETs the
     *       Lease, CREATEs it when absent and renews, takes and releases it by JSON merge PATCH (no PUT). CREATE is
     *       authorized before the name is known, so it cannot carry a resource name;</li>
     *   <li>admission-service PodDefaultWatch: {@code resources(PodDefault.class).inAnyNamespace().withLimit(500)} informer (LIST in pages);</li>
     *   <li>grant-service ManagedObjectsWatch: Secret and PodDefault informers in all namespaces (label
     *       app.kubernetes.io/managed-by=grantflow, which RBAC cannot express) and a Secret informer on
     *       grantflow-sources (covered by the cluster-wide rule); KubeWriter: create, update (with resourceVersion),
     *       delete (with uid and resourceVersion preconditions), and get after a write conflict (409), in any tenant
     *       namespace, sent as plain HTTP through the client's own HTTP client (ADR 5);</li>
     *   <li>grant-service TenantNamespacesWatch: {@code client.namespaces().runnableInformer(..)}, cluster-wide, no
     *       server-side selector (the tenant selector is evaluated in memory, as namespace-watcher does); the tenants
     *       topic alone does not make a tenant. {@code getNamespace()} reads the client's configuration only.</li>
     * </ul>
     */
    static final List<String> RBAC_TABLE = List.of(
            "namespace-watcher  cluster  core                 namespaces   list,watch  *",
            "namespace-watcher  own      coordination.k8s.io  leases       create      *",
            "namespace-watcher  own      coordination.k8s.io  leases       get,patch   " + LEASE_NAME,
            "admission-service  cluster  kubeflow.org         poddefaults  list,watch  *",
            "grant-service      cluster  core                 namespaces   list,watch  *",
            "grant-service      cluster  core                 secrets      get,list,watch,create,update,delete  *",
            "grant-service      cluster  kubeflow.org         poddefaults  get,list,watch,create,update,delete  *");

    /** One permission: a verb on a resource (optionally one named object) in a namespace or cluster-wide. */
    record Permission(String scope, String apiGroup, String resource, String verb, String resourceName) {
        @Override
        public String toString() {
            return verb + " " + (apiGroup.isEmpty() ? "core" : apiGroup) + "/" + resource
                    + ("*".equals(resourceName) ? "" : "[" + resourceName + "]") + " in " + scope;
        }
    }

    /** The table's permissions of one service; {@code own} becomes the given namespace. */
    static Set<Permission> permissions(String service, String ownNamespace) {
        Set<Permission> out = new java.util.TreeSet<>(java.util.Comparator.comparing(Permission::toString));
        for (String row : RBAC_TABLE) {
            String[] c = row.trim().split("\\s+");
            if (c.length != 6) {
                throw new IllegalStateException("bad RBAC_TABLE row: " + row);
            }
            if (!c[0].equals(service)) {
                continue;
            }
            String scope = "own".equals(c[1]) ? ownNamespace : c[1];
            String group = "core".equals(c[2]) ? "" : c[2];
            Arrays.stream(c[4].split(",")).forEach(verb -> out.add(new Permission(scope, group, c[3], verb, c[5])));
        }
        return out;
    }

    private CodeNeeds() {
    }
}
