package dev.grantflow.k8s;

import static dev.grantflow.k8s.Manifests.describe;
import static dev.grantflow.k8s.Manifests.name;
import static dev.grantflow.k8s.Manifests.namespace;
import static dev.grantflow.k8s.Manifests.selects;
import static dev.grantflow.k8s.Manifests.stringMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.grantflow.k8s.CodeNeeds.Permission;
import dev.grantflow.k8s.CodeNeeds.Workload;
import dev.grantflow.model.event.Topics;
import dev.grantflow.testing.GrantflowAcls;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;

/**
 * Cross-reference checks over a rendered kustomization. Each returns the problems it found, as sentences (empty =
 * fine), so that a test can assert both that the real manifests pass and that a deliberately broken copy does not
 * (ManifestChecksTest): a check that cannot fail would prove nothing.
 */
final class ManifestChecks {

    private ManifestChecks() {
    }

    /** Every check that applies to base (and so to every overlay), by name. */
    static final Map<String, Function<Manifests, List<String>>> CHECKS = checks();

    private static Map<String, Function<Manifests, List<String>>> checks() {
        Map<String, Function<Manifests, List<String>>> checks = new LinkedHashMap<>();
        checks.put("scopes", ManifestChecks::scopes);
        checks.put("workloads", ManifestChecks::workloads);
        checks.put("services", ManifestChecks::services);
        checks.put("webhooks", ManifestChecks::webhooks);
        checks.put("certificates", ManifestChecks::certificates);
        checks.put("disruption", ManifestChecks::disruption);
        checks.put("rbac", ManifestChecks::rbac);
        checks.put("shutdown", ManifestChecks::shutdown);
        checks.put("sizing", ManifestChecks::sizing);
        checks.put("metrics", ManifestChecks::metrics);
        checks.put("releases", ManifestChecks::releases);
        return Collections.unmodifiableMap(checks);
    }

    /** The checks of the Strimzi overlay (topics, users, the services' Kafka security), by name. */
    static final Map<String, Function<Manifests, List<String>>> STRIMZI_CHECKS = strimziChecks();

    private static Map<String, Function<Manifests, List<String>>> strimziChecks() {
        Map<String, Function<Manifests, List<String>>> checks = new LinkedHashMap<>();
        checks.put("topics", ManifestChecks::strimzi);
        checks.put("replication", ManifestChecks::replication);
        checks.put("audit-topic", ManifestChecks::auditTopic);
        checks.put("kafka-users", ManifestChecks::kafkaUsers);
        checks.put("kafka-acls", ManifestChecks::kafkaAcls);
        checks.put("grants-writers", ManifestChecks::grantsWriters);
        checks.put("kafka-client-security", ManifestChecks::kafkaClientSecurity);
        return Collections.unmodifiableMap(checks);
    }

    /** The checks of the standalone CRD (k8s/crd, rendered on its own), by name. */
    static final Map<String, Function<Manifests, List<String>>> CRD_CHECKS = Map.of(
            "kubeflow-crd-schema", ManifestChecks::kubeflowCrdSchema);

    // ---- namespaces ------------------------------------------------------------------------------------------------

    /** Cluster-scoped kinds carry no namespace; everything else of Grantflow's lives in namespace grantflow. */
    static List<String> scopes(Manifests m) {
        List<String> problems = new ArrayList<>();
        if (m.find("Namespace", null, CodeNeeds.NAMESPACE).isEmpty()) {
            problems.add("Namespace " + CodeNeeds.NAMESPACE + " is not created");
        }
        for (ObjectNode o : m.objects()) {
            String kind = o.path("kind").asText();
            String ns = namespace(o);
            if (Manifests.CLUSTER_SCOPED.contains(kind)) {
                if (ns != null) {
                    problems.add(describe(o) + " is cluster-scoped but names a namespace");
                }
            } else if (!"KafkaTopic".equals(kind) && !CodeNeeds.NAMESPACE.equals(ns)) {
                // KafkaTopics live in the Kafka cluster's namespace; KafkaUsers next to the Deployments (their Secrets).
                problems.add(describe(o) + " is not in namespace " + CodeNeeds.NAMESPACE);
            }
        }
        return problems;
    }

    // ---- Deployments -----------------------------------------------------------------------------------------------

    static List<String> workloads(Manifests m) {
        List<String> problems = new ArrayList<>();
        for (Workload w : CodeNeeds.WORKLOADS) {
            Optional<ObjectNode> found = m.find("Deployment", CodeNeeds.NAMESPACE, w.name());
            if (found.isEmpty()) {
                problems.add("no Deployment " + CodeNeeds.NAMESPACE + "/" + w.name());
                continue;
            }
            problems.addAll(workload(m, found.get(), w));
        }
        return problems;
    }

    private static List<String> workload(Manifests m, ObjectNode d, Workload w) {
        List<String> p = new ArrayList<>();
        String where = describe(d);
        JsonNode spec = d.path("spec");
        JsonNode pod = spec.path("template").path("spec");
        if (spec.path("replicas").asInt(1) < w.minReplicas()) {
            p.add(where + " runs fewer than " + w.minReplicas() + " replicas");
        }
        if (spec.path("selector").path("matchLabels").isEmpty()
                || !selects(spec.path("selector"), podLabels(d))) {
            p.add(where + ": selector does not select its own pod template");
        }
        String sa = pod.path("serviceAccountName").asText("");
        if (sa.isEmpty()) {
            p.add(where + " uses the namespace's default ServiceAccount");
        } else if (m.find("ServiceAccount", namespace(d), sa).isEmpty()) {
            p.add(where + " uses ServiceAccount " + sa + ", which does not exist");
        }
        if (pod.path("automountServiceAccountToken").isBoolean()
                && !pod.path("automountServiceAccountToken").asBoolean()) {
            p.add(where + " calls the API but does not mount its token");
        }
        // Pod-level restricted securityContext.
        JsonNode podSecurity = pod.path("securityContext");
        if (!podSecurity.path("runAsNonRoot").asBoolean(false)) {
            p.add(where + ": pod securityContext.runAsNonRoot is not true");
        }
        if (!"RuntimeDefault".equals(podSecurity.path("seccompProfile").path("type").asText())) {
            p.add(where + ": pod seccompProfile is not RuntimeDefault");
        }
        for (String host : List.of("hostNetwork", "hostPID", "hostIPC")) {
            if (pod.path(host).asBoolean(false)) {
                p.add(where + " uses " + host);
            }
        }
        for (JsonNode volume : pod.path("volumes")) {
            if (volume.has("hostPath")) {
                p.add(where + " mounts hostPath volume " + volume.path("name").asText());
            }
        }
        if (!pod.path("initContainers").isEmpty()) {
            p.add(where + " has init containers, which these checks do not cover");
        }
        if (pod.path("containers").size() != 1) {
            p.add(where + " must have exactly one container, has " + pod.path("containers").size());
            return p;
        }
        JsonNode c = pod.path("containers").get(0);
        String cw = where + " container " + c.path("name").asText();
        Set<Integer> declared = new TreeSet<>();
        c.path("ports").forEach(port -> declared.add(port.path("containerPort").asInt()));
        Set<Integer> listens = new TreeSet<>(w.containerPorts());
        if (w == CodeNeeds.ADMISSION_SERVICE && listens.remove(CodeNeeds.WEBHOOK_CONTAINER_PORT)) {
            listens.add(webhookPort(c));
        }
        if (!declared.equals(listens)) {
            p.add(cw + " declares ports " + declared + ", the service listens on " + listens);
        }
        // Probes: the real endpoints, on a declared port.
        probe(c, "livenessProbe", CodeNeeds.LIVE, w.healthPort(), cw, p);
        probe(c, "readinessProbe", CodeNeeds.READY, w.healthPort(), cw, p);
        // Container-level restricted securityContext and a read-only root with a writable /tmp.
        JsonNode sc = c.path("securityContext");
        if (!sc.path("allowPrivilegeEscalation").isBoolean() || sc.path("allowPrivilegeEscalation").asBoolean()) {
            p.add(cw + ": allowPrivilegeEscalation is not false");
        }
        if (sc.path("privileged").asBoolean(false)) {
            p.add(cw + " is privileged");
        }
        if (sc.path("runAsNonRoot").isBoolean() && !sc.path("runAsNonRoot").asBoolean()) {
            p.add(cw + " overrides runAsNonRoot with false");
        }
        if (sc.path("runAsUser").isInt() && sc.path("runAsUser").asInt() == 0) {
            p.add(cw + " runs as root (runAsUser 0)");
        }
        if (!textValues(sc.path("capabilities").path("drop")).contains("ALL")) {
            p.add(cw + " does not drop ALL capabilities");
        }
        if (!sc.path("capabilities").path("add").isEmpty()) {
            p.add(cw + " adds capabilities " + sc.path("capabilities").path("add"));
        }
        if (sc.has("seccompProfile") && !"RuntimeDefault".equals(sc.path("seccompProfile").path("type").asText())) {
            p.add(cw + " overrides the seccomp profile");
        }
        if (!sc.path("readOnlyRootFilesystem").asBoolean(false)) {
            p.add(cw + ": readOnlyRootFilesystem is not true");
        }
        Optional<String> tmp = mountedVolume(c, "/tmp");
        if (tmp.isEmpty() || volume(pod, tmp.get()).map(v -> !v.has("emptyDir")).orElse(true)) {
            p.add(cw + " has no emptyDir at /tmp (the JVM and Vert.x write there)");
        }
        for (String r : List.of("requests/cpu", "requests/memory", "limits/cpu", "limits/memory")) {
            if (c.path("resources").at("/" + r).asText("").isEmpty()) {
                p.add(cw + " sets no resources." + r.replace('/', '.'));
            }
        }
        // Environment.
        Map<String, JsonNode> env = env(c);
        if (env.containsKey("HOSTNAME")) {
            p.add(cw + " overrides HOSTNAME (the pod name, part of the Lease identity)");
        }
        for (JsonNode e : env.values()) {
            JsonNode ref = e.path("valueFrom").path("configMapKeyRef");
            if (!ref.isMissingNode()) {
                String cm = ref.path("name").asText();
                String key = ref.path("key").asText();
                Optional<ObjectNode> configMap = m.find("ConfigMap", namespace(d), cm);
                if (configMap.isEmpty() || !configMap.get().path("data").has(key)) {
                    p.add(cw + ": env " + e.path("name").asText() + " reads ConfigMap " + cm + " key " + key
                            + ", which does not exist");
                }
            }
        }
        if (w != CodeNeeds.ADMISSION_SERVICE && !env.containsKey("KAFKA_BOOTSTRAP_SERVERS")) {
            p.add(cw + " does not set KAFKA_BOOTSTRAP_SERVERS");
        }
        if (w == CodeNeeds.NAMESPACE_WATCHER || w == CodeNeeds.GRANT_SERVICE) {
            JsonNode podNamespace = env.get("POD_NAMESPACE");
            if (podNamespace == null || !"metadata.namespace".equals(
                    podNamespace.path("valueFrom").path("fieldRef").path("fieldPath").asText())) {
                p.add(cw + ": POD_NAMESPACE (" + (w == CodeNeeds.GRANT_SERVICE ? "the namespace it never writes into"
                        : "where the Lease lives") + ") does not come from the downward API (fieldRef "
                        + "metadata.namespace)");
            }
        }
        if (w == CodeNeeds.GRANT_SERVICE) {
            JsonNode source = env.get("GRANTFLOW_GRANTS_SOURCE_NAMESPACE");
            if (source == null || !CodeNeeds.SOURCE_NAMESPACE.equals(source.path("value").asText())) {
                p.add(cw + ": GRANTFLOW_GRANTS_SOURCE_NAMESPACE is not " + CodeNeeds.SOURCE_NAMESPACE);
            }
        }
        return p;
    }

    private static void probe(JsonNode container, String kind, String path, int port, String where,
            List<String> problems) {
        JsonNode get = container.path(kind).path("httpGet");
        if (get.isMissingNode()) {
            problems.add(where + " has no " + kind + " (httpGet)");
            return;
        }
        if (!path.equals(get.path("path").asText())) {
            problems.add(where + ": " + kind + " path is " + get.path("path").asText() + ", not " + path);
        }
        Optional<Integer> resolved = containerPort(container, get.path("port"));
        if (resolved.isEmpty()) {
            problems.add(where + ": " + kind + " port " + get.path("port").asText() + " is not a declared port");
        } else if (resolved.get() != port) {
            problems.add(where + ": " + kind + " goes to port " + resolved.get() + ", health is served on " + port);
        }
        if (!get.path("scheme").asText("HTTP").equals("HTTP")) {
            problems.add(where + ": " + kind + " scheme is " + get.path("scheme").asText() + "; health is plain HTTP");
        }
    }

    // ---- Services --------------------------------------------------------------------------------------------------

    /** Every Service selects the pods of exactly one Deployment and targets ports its container declares. */
    static List<String> services(Manifests m) {
        List<String> problems = new ArrayList<>();
        for (ObjectNode s : m.ofKind("Service")) {
            List<ObjectNode> targets = m.ofKind("Deployment").stream()
                    .filter(d -> namespace(d).equals(namespace(s)))
                    .filter(d -> serviceSelects(s, d))
                    .toList();
            if (targets.size() != 1) {
                problems.add(describe(s) + " selects the pods of " + targets.size() + " Deployments, not 1");
                continue;
            }
            JsonNode container = targets.get(0).path("spec").path("template").path("spec").path("containers").path(0);
            for (JsonNode port : s.path("spec").path("ports")) {
                JsonNode target = port.has("targetPort") ? port.path("targetPort") : port.path("port");
                if (containerPort(container, target).isEmpty()) {
                    problems.add(describe(s) + " port " + port.path("port").asText() + " targets "
                            + target.asText() + ", which " + describe(targets.get(0)) + " does not declare");
                }
            }
        }
        return problems;
    }

    // ---- webhooks --------------------------------------------------------------------------------------------------

    static List<String> webhooks(Manifests m) {
        List<String> p = new ArrayList<>();
        List<ObjectNode> mutating = m.ofKind("MutatingWebhookConfiguration");
        List<ObjectNode> validating = m.ofKind("ValidatingWebhookConfiguration");
        if (mutating.size() != 1 || mutating.get(0).path("webhooks").size() != 1) {
            p.add("expected one MutatingWebhookConfiguration with one webhook");
        }
        if (validating.size() != 1 || validating.get(0).path("webhooks").size() != 1) {
            p.add("expected one ValidatingWebhookConfiguration with one webhook");
        }
        if (!p.isEmpty()) {
            return p;
        }
        ObjectNode mwc = mutating.get(0);
        JsonNode apply = mwc.path("webhooks").get(0);
        JsonNode validate = validating.get(0).path("webhooks").get(0);
        // Mutating: Fail (a pod created without its PodDefaults would run without its credentials). Validating:
        // Ignore (Kubeflow has no such webhook; with Fail, profile creation would stall while it is down).
        common(m, mwc, apply, CodeNeeds.APPLY_PATH, "Fail", p);
        common(m, validating.get(0), validate, CodeNeeds.VALIDATE_PATH, "Ignore", p);
        if (!stringMap(validate.path("namespaceSelector").path("matchLabels")).equals(CodeNeeds.PROFILE_LABEL)
                || validate.path("namespaceSelector").has("matchExpressions")) {
            p.add(describe(validating.get(0)) + ": namespaceSelector is not exactly matchLabels "
                    + CodeNeeds.PROFILE_LABEL + " (PodDefaults outside tenant namespaces must not depend on it)");
        }

        String where = describe(mwc) + " webhook " + apply.path("name").asText();
        if (!rules(apply).equals(Set.of("CREATE ''/v1/pods"))) {
            p.add(where + " must match exactly CREATE of core/v1 pods, matches " + rules(apply));
        }
        if (!stringMap(apply.path("namespaceSelector").path("matchLabels")).equals(CodeNeeds.PROFILE_LABEL)
                || apply.path("namespaceSelector").has("matchExpressions")) {
            p.add(where + ": namespaceSelector is not exactly matchLabels " + CodeNeeds.PROFILE_LABEL);
        }
        JsonNode objectSelector = apply.path("objectSelector");
        if (objectSelector.isMissingNode() || !selects(objectSelector, Map.of())
                || !selects(objectSelector, Map.of("test-secret", "true"))
                || selects(objectSelector, Map.of(CodeNeeds.EXCLUDE_LABEL, "true"))) {
            p.add(where + ": objectSelector must skip exactly the pods labelled " + CodeNeeds.EXCLUDE_LABEL + "=true");
        }
        if (!apply.path("reinvocationPolicy").asText("Never").equals("Never")) {
            p.add(where + ": reinvocationPolicy must be Never (a second call after Istio would patch istio-proxy)");
        }
        for (String istio : CodeNeeds.ISTIO_INJECTORS) {
            if (name(mwc).compareTo(istio) >= 0) {
                p.add(describe(mwc) + " sorts after " + istio + ": PodDefaults would reach the istio-proxy sidecar");
            }
        }

        // The validating webhook must match the PodDefault CRD of the rendering, or Kubeflow's when there is none.
        Optional<ObjectNode> crd = m.find("CustomResourceDefinition", null, "poddefaults.kubeflow.org");
        Set<String> expected = new TreeSet<>(CodeNeeds.POD_DEFAULT_WRITES);
        if (crd.isPresent()) {
            expected.clear();
            String group = crd.get().path("spec").path("group").asText();
            String plural = crd.get().path("spec").path("names").path("plural").asText();
            for (JsonNode version : crd.get().path("spec").path("versions")) {
                if (version.path("served").asBoolean()) {
                    for (String op : List.of("CREATE", "UPDATE")) {
                        expected.add(op + " '" + group + "'/" + version.path("name").asText() + "/" + plural);
                    }
                }
            }
        }
        if (!rules(validate).equals(expected)) {
            p.add(describe(validating.get(0)) + " must match exactly " + expected + " (the CRD), matches "
                    + rules(validate));
        }
        return p;
    }

    private static void common(Manifests m, ObjectNode config, JsonNode hook, String path, String failurePolicy,
            List<String> p) {
        String where = describe(config) + " webhook " + hook.path("name").asText();
        if (hook.path("name").asText().split("\\.").length < 3) {
            p.add(where + ": a webhook name must be fully qualified (three segments or more)");
        }
        if (!textValues(hook.path("admissionReviewVersions")).equals(List.of("v1"))) {
            p.add(where + ": admissionReviewVersions must be exactly [v1] (D6), is "
                    + hook.path("admissionReviewVersions"));
        }
        if (!"None".equals(hook.path("sideEffects").asText())) {
            p.add(where + ": sideEffects must be None");
        }
        if (!failurePolicy.equals(hook.path("failurePolicy").asText())) {
            p.add(where + ": failurePolicy must be " + failurePolicy);
        }
        int timeout = hook.path("timeoutSeconds").asInt(0);
        if (timeout < 1 || timeout > 10) {
            p.add(where + ": timeoutSeconds must be set, 1..10 (is " + hook.path("timeoutSeconds") + ")");
        }
        if (!hook.path("clientConfig").path("caBundle").asText("").isEmpty()) {
            p.add(where + ": caBundle must be left to cert-manager's CA injector");
        }
        JsonNode ref = hook.path("clientConfig").path("service");
        if (ref.isMissingNode() || hook.path("clientConfig").has("url")) {
            p.add(where + " must call a Service, not a URL");
            return;
        }
        if (!path.equals(ref.path("path").asText())) {
            p.add(where + ": path is " + ref.path("path").asText() + ", the service serves " + path);
        }
        String ns = ref.path("namespace").asText();
        String svcName = ref.path("name").asText();
        Optional<ObjectNode> svc = m.find("Service", ns, svcName);
        if (svc.isEmpty()) {
            p.add(where + " calls Service " + ns + "/" + svcName + ", which does not exist");
            return;
        }
        int port = ref.path("port").asInt(443);
        Optional<JsonNode> servicePort = StreamSupport.stream(svc.get().path("spec").path("ports").spliterator(), false)
                .filter(sp -> sp.path("port").asInt() == port).findFirst();
        if (servicePort.isEmpty()) {
            p.add(where + " calls port " + port + " of " + describe(svc.get()) + ", which has no such port");
            return;
        }
        Optional<ObjectNode> deployment = m.find("Deployment", ns, CodeNeeds.ADMISSION_SERVICE.name());
        if (deployment.isEmpty() || !serviceSelects(svc.get(), deployment.get())) {
            p.add(where + ": " + describe(svc.get()) + " does not select the admission-service pods");
            return;
        }
        JsonNode container = deployment.get().path("spec").path("template").path("spec").path("containers").path(0);
        JsonNode target = servicePort.get().has("targetPort") ? servicePort.get().path("targetPort")
                : servicePort.get().path("port");
        Optional<Integer> containerPort = containerPort(container, target);
        int listens = webhookPort(container);
        if (containerPort.isEmpty() || containerPort.get() != listens) {
            p.add(where + ": " + describe(svc.get()) + " port " + port + " reaches container port "
                    + containerPort.map(String::valueOf).orElse("(undeclared " + target.asText() + ")")
                    + ", the webhooks listen on " + listens + " (" + CodeNeeds.SSL_PORT_ENV + ")");
        }
    }

    /** A webhook's rules as "OPERATION 'group'/version/resource" strings. */
    private static Set<String> rules(JsonNode hook) {
        Set<String> out = new TreeSet<>();
        for (JsonNode rule : hook.path("rules")) {
            for (String op : textValues(rule.path("operations"))) {
                for (String group : textValues(rule.path("apiGroups"))) {
                    for (String version : textValues(rule.path("apiVersions"))) {
                        for (String resource : textValues(rule.path("resources"))) {
                            out.add(op + " '" + group + "'/" + version + "/" + resource);
                        }
                    }
                }
            }
        }
        return out;
    }

    // ---- cert-manager ----------------------------------------------------------------------------------------------

    /**
     * The CA chain: the webhook configurations' inject-ca-from names a CA Certificate (isCA), the serving Certificate
     * (the Secret mounted read-only at the certificate directory) is issued by a CA Issuer signing with that CA's
     * Secret and covers the called Service names, and every Certificate's issuer is in the rendering. So leaf renewals
     * never change the injected bundle.
     */
    static List<String> certificates(Manifests m) {
        List<String> p = new ArrayList<>();
        List<ObjectNode> configs = new ArrayList<>(m.ofKind("MutatingWebhookConfiguration"));
        configs.addAll(m.ofKind("ValidatingWebhookConfiguration"));
        configs.removeIf(c -> !grantflows(c));
        Set<String> caSecrets = new TreeSet<>();
        Set<String> hosts = new TreeSet<>();
        for (ObjectNode config : configs) {
            String inject = config.path("metadata").path("annotations").path("cert-manager.io/inject-ca-from")
                    .asText("");
            String[] ref = inject.split("/");
            Optional<ObjectNode> ca = ref.length == 2 ? m.find("Certificate", ref[0], ref[1]) : Optional.empty();
            if (ca.isEmpty()) {
                p.add(describe(config) + ": cert-manager.io/inject-ca-from '" + inject
                        + "' does not name a Certificate (<namespace>/<name>)");
                continue;
            }
            if (!ca.get().path("spec").path("isCA").asBoolean(false)) {
                p.add(describe(config) + ": cert-manager.io/inject-ca-from names " + describe(ca.get())
                        + ", which is not a CA (isCA): every renewal of it would change the caBundle");
            }
            caSecrets.add(ca.get().path("spec").path("secretName").asText());
            for (JsonNode hook : config.path("webhooks")) {
                JsonNode svc = hook.path("clientConfig").path("service");
                hosts.add(svc.path("name").asText() + "." + svc.path("namespace").asText() + ".svc");
            }
        }
        for (ObjectNode cert : m.ofKind("Certificate")) {
            JsonNode issuerRef = cert.path("spec").path("issuerRef");
            String issuerKind = issuerRef.path("kind").asText("Issuer");
            Optional<ObjectNode> issuer = "ClusterIssuer".equals(issuerKind)
                    ? m.find("ClusterIssuer", null, issuerRef.path("name").asText())
                    : m.find("Issuer", namespace(cert), issuerRef.path("name").asText());
            if (issuer.isEmpty()) {
                p.add(describe(cert) + " is issued by " + issuerKind + " " + issuerRef.path("name").asText()
                        + ", which is not in the rendering");
            }
        }
        Optional<ObjectNode> deployment = m.find("Deployment", CodeNeeds.NAMESPACE, CodeNeeds.ADMISSION_SERVICE.name());
        if (deployment.isEmpty()) {
            p.add("no admission-service Deployment to serve the certificate");
            return p;
        }
        JsonNode pod = deployment.get().path("spec").path("template").path("spec");
        JsonNode container = pod.path("containers").path(0);
        Optional<String> served = StreamSupport.stream(container.path("volumeMounts").spliterator(), false)
                .filter(vm -> CodeNeeds.CERT_DIR.equals(vm.path("mountPath").asText()))
                .filter(vm -> vm.path("readOnly").asBoolean(false))
                .map(vm -> volume(pod, vm.path("name").asText()).map(v -> v.path("secret").path("secretName").asText())
                        .orElse(""))
                .findFirst();
        List<ObjectNode> leaves = m.ofKind("Certificate").stream()
                .filter(c -> namespace(c).equals(namespace(deployment.get())))
                .filter(c -> served.isPresent() && served.get().equals(c.path("spec").path("secretName").asText()))
                .toList();
        for (ObjectNode cert : m.ofKind("Certificate")) {
            if (!cert.path("spec").path("isCA").asBoolean(false) && !leaves.contains(cert)) {
                p.add(describe(cert) + " writes Secret " + cert.path("spec").path("secretName").asText()
                        + ", which admission-service does not mount read-only at " + CodeNeeds.CERT_DIR);
            }
        }
        if (leaves.size() != 1) {
            p.add(leaves.size() + " Certificates write the Secret admission-service mounts read-only at "
                    + CodeNeeds.CERT_DIR + ", expected 1");
            return p;
        }
        ObjectNode leaf = leaves.get(0);
        Set<String> dnsNames = new HashSet<>(textValues(leaf.path("spec").path("dnsNames")));
        for (String host : hosts) {
            for (String dns : List.of(host, host + ".cluster.local")) {
                if (!dnsNames.contains(dns)) {
                    p.add(describe(leaf) + " does not cover " + dns + " (called by the webhooks)");
                }
            }
        }
        if (leaf.path("spec").path("isCA").asBoolean(false)) {
            p.add(describe(leaf) + " serves the webhooks but is a CA");
        }
        JsonNode issuerRef = leaf.path("spec").path("issuerRef");
        Optional<ObjectNode> issuer = m.find("Issuer", namespace(leaf), issuerRef.path("name").asText());
        String signsWith = issuer.map(i -> i.path("spec").path("ca").path("secretName").asText("")).orElse("");
        if (!"Issuer".equals(issuerRef.path("kind").asText("Issuer")) || !caSecrets.contains(signsWith)) {
            p.add(describe(leaf) + " is not issued by a CA Issuer signing with the injected CA's Secret "
                    + caSecrets + " (issuer " + issuerRef.path("name").asText() + " signs with '" + signsWith + "')");
        }
        return p;
    }

    /** Grantflow's own objects (an operator's rendering may hold Kubeflow's as well). */
    static boolean grantflows(JsonNode object) {
        return "grantflow".equals(object.path("metadata").path("labels").path("app.kubernetes.io/part-of").asText());
    }

    // ---- availability ----------------------------------------------------------------------------------------------

    /** A PodDisruptionBudget and anti-affinity keep at least one webhook replica up. */
    static List<String> disruption(Manifests m) {
        List<String> p = new ArrayList<>();
        Optional<ObjectNode> found = m.find("Deployment", CodeNeeds.NAMESPACE, CodeNeeds.ADMISSION_SERVICE.name());
        if (found.isEmpty()) {
            return List.of("no admission-service Deployment");
        }
        ObjectNode admission = found.get();
        List<ObjectNode> budgets = m.ofKind("PodDisruptionBudget").stream()
                .filter(pdb -> namespace(pdb).equals(namespace(admission)))
                .filter(pdb -> selects(pdb.path("spec").path("selector"), podLabels(admission)))
                .toList();
        if (budgets.size() != 1) {
            p.add(budgets.size() + " PodDisruptionBudgets select the admission-service pods, expected 1");
        } else {
            ObjectNode pdb = budgets.get(0);
            if (pdb.path("spec").path("minAvailable").asInt(0) != 1) {
                p.add(describe(pdb) + ": minAvailable must be 1");
            }
            for (ObjectNode other : m.ofKind("Deployment")) {
                if (other != admission && selects(pdb.path("spec").path("selector"), podLabels(other))) {
                    p.add(describe(pdb) + " also selects the pods of " + describe(other));
                }
            }
        }
        JsonNode anti = admission.path("spec").path("template").path("spec").path("affinity").path("podAntiAffinity");
        List<JsonNode> terms = new ArrayList<>();
        anti.path("requiredDuringSchedulingIgnoredDuringExecution").forEach(terms::add);
        anti.path("preferredDuringSchedulingIgnoredDuringExecution").forEach(t -> terms.add(t.path("podAffinityTerm")));
        boolean spreads = terms.stream().anyMatch(t -> "kubernetes.io/hostname".equals(t.path("topologyKey").asText())
                && !t.path("labelSelector").isMissingNode() && selects(t.path("labelSelector"), podLabels(admission)));
        if (!spreads) {
            p.add(describe(admission) + " has no podAntiAffinity on kubernetes.io/hostname against its own pods");
        }
        JsonNode pod = admission.path("spec").path("template").path("spec");
        boolean zones = StreamSupport.stream(pod.path("topologySpreadConstraints").spliterator(), false)
                .anyMatch(t -> "topology.kubernetes.io/zone".equals(t.path("topologyKey").asText())
                        && selects(t.path("labelSelector"), podLabels(admission)));
        if (!zones) {
            p.add(describe(admission) + " has no topologySpreadConstraint on topology.kubernetes.io/zone against its "
                    + "own pods");
        }
        String priority = pod.path("priorityClassName").asText("");
        if (priority.isEmpty() || m.find("PriorityClass", null, priority).isEmpty()) {
            p.add(describe(admission) + " has no priorityClassName of a PriorityClass in the rendering ('" + priority
                    + "')");
        } else if (m.get("PriorityClass", null, priority).path("value").asLong(0) <= 0
                || m.get("PriorityClass", null, priority).path("globalDefault").asBoolean(false)) {
            p.add("PriorityClass " + priority + " must have a positive value and not be the global default");
        }
        return p;
    }

    // ---- shutdown --------------------------------------------------------------------------------------------------

    /**
     * Graceful shutdown: a preStop sleep (the pod leaves the Service's endpoints before the container sees SIGTERM),
     * then QUARKUS_SHUTDOWN_TIMEOUT for in-flight requests; terminationGracePeriodSeconds must cover both, or the
     * kubelet kills the JVM mid-request. The sleep is required only of Deployments that a Service other than a
     * metrics Service sends traffic to (namespace-watcher has none: a sleep would only delay its Lease hand-over).
     */
    static List<String> shutdown(Manifests m) {
        List<String> p = new ArrayList<>();
        for (ObjectNode d : m.ofKind("Deployment")) {
            if (!grantflows(d)) {
                continue;
            }
            JsonNode pod = d.path("spec").path("template").path("spec");
            JsonNode c = pod.path("containers").path(0);
            String where = describe(d);
            JsonNode preStop = c.path("lifecycle").path("preStop");
            boolean serves = m.ofKind("Service").stream()
                    .filter(svc -> !"true".equals(svc.path("metadata").path("labels").path("grantflow.dev/metrics")
                            .asText()))
                    .anyMatch(svc -> namespace(svc).equals(namespace(d)) && serviceSelects(svc, d));
            long sleep = serves ? -1 : 0;
            if (preStop.has("sleep")) {
                sleep = preStop.path("sleep").path("seconds").asLong(-1);
            } else {
                List<String> command = textValues(preStop.path("exec").path("command"));
                if (command.size() == 2 && "sleep".equals(command.get(0)) && command.get(1).matches("\\d+")) {
                    sleep = Long.parseLong(command.get(1));
                }
            }
            if (serves && sleep < 5) {
                p.add(where + " has no preStop sleep of 5 s or more (requests would reach a stopping pod)");
            }
            JsonNode timeout = env(c).get(CodeNeeds.SHUTDOWN_TIMEOUT_ENV);
            long drain = timeout == null ? -1 : seconds(timeout.path("value").asText(""));
            if (drain < 0) {
                p.add(where + " does not set " + CodeNeeds.SHUTDOWN_TIMEOUT_ENV + " (seconds, e.g. 20s)");
            }
            long grace = pod.path("terminationGracePeriodSeconds").asLong(30);
            if (sleep >= 0 && drain >= 0 && grace < sleep + drain + 5) {
                p.add(where + ": terminationGracePeriodSeconds " + grace + " < preStop " + sleep + " s + shutdown "
                        + drain + " s + 5 s margin");
            }
        }
        return p;
    }

    /** "20s", "20S", "PT20S", "1m" as seconds; -1 when unreadable. */
    static long seconds(String value) {
        java.util.regex.Matcher matcher = java.util.regex.Pattern.compile("(?i)(?:PT)?(\\d+)([sm]?)").matcher(value);
        if (!matcher.matches()) {
            return -1;
        }
        long n = Long.parseLong(matcher.group(1));
        return "m".equalsIgnoreCase(matcher.group(2)) ? n * 60 : n;
    }

    // ---- sizing ----------------------------------------------------------------------------------------------------

    /** A collector named on the JVM's command line. */
    private static final java.util.regex.Pattern COLLECTOR =
            java.util.regex.Pattern.compile("-XX:\\+Use(Serial|Parallel|G1|Z|Shenandoah)GC\\b");

    /** The sizing rule of k8s/README.md ("Sizing"), with the constants of {@link CodeNeeds}. */
    static List<String> sizing(Manifests m) {
        List<String> p = new ArrayList<>();
        for (Workload w : CodeNeeds.WORKLOADS) {
            Optional<ObjectNode> d = m.find("Deployment", CodeNeeds.NAMESPACE, w.name());
            if (d.isEmpty()) {
                continue;
            }
            JsonNode c = d.get().path("spec").path("template").path("spec").path("containers").path(0);
            String where = describe(d.get());
            JsonNode javaOpts = env(c).get("JAVA_OPTS");
            String opts = javaOpts == null ? "" : javaOpts.path("value").asText("");
            java.util.regex.Matcher xmx = java.util.regex.Pattern.compile("-Xmx(\\d+)([mMgG])").matcher(opts);
            if (!xmx.find()) {
                p.add(where + " sets no -Xmx in JAVA_OPTS (the heap would follow the image's RAM percentage)");
                continue;
            }
            if (!COLLECTOR.matcher(opts).find()) {
                p.add(where + " names no garbage collector in JAVA_OPTS (-XX:+Use...GC): below 1,792 MiB or 2 CPUs"
                        + " the JVM picks Serial, whatever the benchmarks ran");
            }
            long heap = Long.parseLong(xmx.group(1)) * ("g".equalsIgnoreCase(xmx.group(2)) ? 1024 : 1);
            long limit = mebibytes(c.path("resources").path("limits").path("memory").asText(""));
            long request = mebibytes(c.path("resources").path("requests").path("memory").asText(""));
            if (limit < heap + CodeNeeds.NON_HEAP_MIB) {
                p.add(where + ": memory limit " + limit + " MiB < -Xmx " + heap + " MiB + " + CodeNeeds.NON_HEAP_MIB
                        + " MiB non-heap");
            }
            if (request != limit) {
                p.add(where + ": memory request " + request + " MiB != limit " + limit
                        + " MiB (a JVM's heap is not given back: request what it will hold)");
            }
            long measured = CodeNeeds.MEASURED_LIVE_HEAP_MIB.getOrDefault(w.name(), 0);
            if (heap < (long) CodeNeeds.HEAP_HEADROOM * measured) {
                p.add(where + ": -Xmx " + heap + " MiB < " + CodeNeeds.HEAP_HEADROOM + " x the measured live heap "
                        + measured + " MiB (docs/benchmarks.md)");
            }
        }
        return p;
    }

    /** A Kubernetes memory quantity in MiB (Mi, Gi, M, G, plain bytes); -1 when unreadable. */
    static long mebibytes(String quantity) {
        java.util.regex.Matcher q = java.util.regex.Pattern.compile("(\\d+)(Ki|Mi|Gi|k|M|G)?").matcher(quantity);
        if (!q.matches()) {
            return -1;
        }
        long n = Long.parseLong(q.group(1));
        String unit = q.group(2) == null ? "" : q.group(2);
        return switch (unit) {
            case "Ki" -> n / 1024;
            case "Mi" -> n;
            case "Gi" -> n * 1024;
            case "k" -> n * 1000 / (1024 * 1024);
            case "M" -> n * 1000 * 1000 / (1024 * 1024);
            case "G" -> n * 1000 * 1000 * 1000 / (1024 * 1024);
            default -> n / (1024 * 1024);
        };
    }

    // ---- metrics ---------------------------------------------------------------------------------------------------

    /**
     * Every Deployment has a metrics Service (label grantflow.dev/metrics=true, port "metrics" on the container port
     * that serves /q/metrics, i.e. the health port); every ServiceMonitor selects exactly one Service in its own
     * namespace, which has the port its endpoints name.
     */
    static List<String> metrics(Manifests m) {
        List<String> p = new ArrayList<>();
        List<ObjectNode> metricsServices = m.ofKind("Service").stream()
                .filter(s -> "true".equals(s.path("metadata").path("labels").path("grantflow.dev/metrics").asText()))
                .toList();
        for (Workload w : CodeNeeds.WORKLOADS) {
            Optional<ObjectNode> d = m.find("Deployment", CodeNeeds.NAMESPACE, w.name());
            if (d.isEmpty()) {
                continue;
            }
            JsonNode c = d.get().path("spec").path("template").path("spec").path("containers").path(0);
            boolean found = metricsServices.stream().filter(s -> serviceSelects(s, d.get()))
                    .flatMap(s -> StreamSupport.stream(s.path("spec").path("ports").spliterator(), false))
                    .anyMatch(port -> "metrics".equals(port.path("name").asText())
                            && containerPort(c, port.has("targetPort") ? port.path("targetPort") : port.path("port"))
                                    .map(cp -> cp == w.healthPort()).orElse(false));
            if (!found) {
                p.add(describe(d.get()) + " has no metrics Service (grantflow.dev/metrics=true, port \"metrics\" -> "
                        + w.healthPort() + ")");
            }
        }
        for (ObjectNode monitor : m.ofKind("ServiceMonitor")) {
            if (monitor.path("spec").has("namespaceSelector")) {
                p.add(describe(monitor) + " has a namespaceSelector; these checks expect its own namespace");
            }
            List<ObjectNode> selected = m.ofKind("Service").stream()
                    .filter(s -> namespace(s).equals(namespace(monitor)))
                    .filter(s -> selects(monitor.path("spec").path("selector"),
                            stringMap(s.path("metadata").path("labels"))))
                    .toList();
            if (selected.size() != 1) {
                p.add(describe(monitor) + " selects " + selected.size() + " Services, not 1");
                continue;
            }
            Set<String> ports = new TreeSet<>();
            selected.get(0).path("spec").path("ports").forEach(port -> ports.add(port.path("name").asText()));
            for (JsonNode endpoint : monitor.path("spec").path("endpoints")) {
                if (!ports.contains(endpoint.path("port").asText())) {
                    p.add(describe(monitor) + " scrapes port '" + endpoint.path("port").asText() + "', which "
                            + describe(selected.get(0)) + " does not name " + ports);
                }
                if (!"/q/metrics".equals(endpoint.path("path").asText("/metrics"))) {
                    p.add(describe(monitor) + " scrapes " + endpoint.path("path").asText("/metrics")
                            + ", the services serve /q/metrics");
                }
            }
        }
        return p;
    }

    // ---- releases --------------------------------------------------------------------------------------------------

    /** Every image is tagged with the project version (no latest, no digestless mutable tag) and labelled with it. */
    static List<String> releases(Manifests m) {
        List<String> p = new ArrayList<>();
        String version = CodeNeeds.PROJECT_VERSION;
        for (ObjectNode d : m.ofKind("Deployment")) {
            if (!grantflows(d)) {
                continue;
            }
            for (JsonNode c : d.path("spec").path("template").path("spec").path("containers")) {
                String image = c.path("image").asText();
                String tag = image.contains("@") ? "" : image.substring(image.lastIndexOf(':') + 1);
                if (image.lastIndexOf(':') < image.lastIndexOf('/') || !version.equals(tag)) {
                    p.add(describe(d) + " runs image " + image + ", not tagged with the project version " + version);
                }
            }
            String podVersion = podLabels(d).get("app.kubernetes.io/version");
            if (!version.equals(podVersion)) {
                p.add(describe(d) + ": pod label app.kubernetes.io/version is " + podVersion + ", not " + version);
            }
            if (d.path("spec").path("selector").path("matchLabels").has("app.kubernetes.io/version")) {
                p.add(describe(d) + " selects by app.kubernetes.io/version: selectors are immutable, upgrades would fail");
            }
        }
        for (ObjectNode o : m.objects()) {
            if (grantflows(o) && !version.equals(o.path("metadata").path("labels")
                    .path("app.kubernetes.io/version").asText())) {
                p.add(describe(o) + " is not labelled app.kubernetes.io/version: " + version);
            }
        }
        return p;
    }

    // ---- Kubeflow --------------------------------------------------------------------------------------------------

    /** The Kubeflow overlay leaves Kubeflow's objects alone: no CRD, nothing in namespace kubeflow, no Kubeflow names. */
    static List<String> kubeflowOverlay(Manifests m) {
        List<String> p = new ArrayList<>();
        for (ObjectNode o : m.objects()) {
            if ("CustomResourceDefinition".equals(o.path("kind").asText())) {
                p.add(describe(o) + " is Kubeflow's; the overlay must not install (or, on delete -k, remove) it");
            }
            if (CodeNeeds.KUBEFLOW_NAMESPACE.equals(namespace(o)) || name(o).startsWith("admission-webhook-")) {
                p.add(describe(o) + " is one of Kubeflow's objects");
            }
        }
        p.addAll(podMutators(m));
        return p;
    }

    /**
     * Exactly one mutating webhook receives pod creations in a profile namespace, and it is Grantflow's: a second one
     * (Kubeflow's) would apply every PodDefault twice.
     */
    static List<String> podMutators(Manifests m) {
        Map<String, String> profileNamespace = new java.util.HashMap<>(CodeNeeds.PROFILE_LABEL);
        profileNamespace.put("kubernetes.io/metadata.name", "team-a");
        List<String> hooks = new ArrayList<>();
        for (ObjectNode config : m.ofKind("MutatingWebhookConfiguration")) {
            for (JsonNode hook : config.path("webhooks")) {
                boolean pods = rules(hook).stream().anyMatch(r -> r.startsWith("CREATE ''/v1/pods")
                        || r.startsWith("* ''/") || r.endsWith("/*"));
                boolean profiles = hook.path("namespaceSelector").isMissingNode()
                        || selects(hook.path("namespaceSelector"), profileNamespace);
                if (pods && profiles) {
                    hooks.add(name(config) + "/" + hook.path("name").asText() + " -> "
                            + hook.path("clientConfig").path("service").path("namespace").asText() + "/"
                            + hook.path("clientConfig").path("service").path("name").asText());
                }
            }
        }
        String ours = "grantflow-poddefaults/apply-poddefault.grantflow.dev -> " + CodeNeeds.NAMESPACE + "/"
                + CodeNeeds.ADMISSION_SERVICE.name();
        if (!hooks.equals(List.of(ours))) {
            return List.of("pods created in a profile namespace go to " + hooks + ", expected exactly [" + ours + "]");
        }
        return List.of();
    }

    /**
     * An operator's Kubeflow rendering with components/kubeflow-poddefault-webhook-off and the Kubeflow overlay:
     * Kubeflow's webhook configuration is gone, its Deployment runs 0 replicas, its CRD (one) and aggregated
     * PodDefault roles stay, and ours is the only pod mutator.
     */
    static List<String> kubeflowReplaced(Manifests m) {
        List<String> p = new ArrayList<>();
        if (m.find("MutatingWebhookConfiguration", null, CodeNeeds.KUBEFLOW_WEBHOOK_CONFIGURATION).isPresent()) {
            p.add("Kubeflow's " + CodeNeeds.KUBEFLOW_WEBHOOK_CONFIGURATION + " is still rendered");
        }
        Optional<ObjectNode> deployment = m.find("Deployment", CodeNeeds.KUBEFLOW_NAMESPACE,
                CodeNeeds.KUBEFLOW_WEBHOOK_DEPLOYMENT);
        if (deployment.isEmpty() || deployment.get().path("spec").path("replicas").asInt(1) != 0) {
            p.add("Deployment " + CodeNeeds.KUBEFLOW_NAMESPACE + "/" + CodeNeeds.KUBEFLOW_WEBHOOK_DEPLOYMENT
                    + " is not rendered with 0 replicas");
        }
        for (String role : CodeNeeds.KUBEFLOW_POD_DEFAULT_ROLES) {
            if (m.find("ClusterRole", null, role).isEmpty()) {
                p.add("Kubeflow's aggregated ClusterRole " + role + " is gone: profile users lose their PodDefault rights");
            }
        }
        if (m.ofKind("CustomResourceDefinition").stream().filter(c -> "poddefaults.kubeflow.org".equals(name(c)))
                .count() != 1) {
            p.add("the rendering must hold exactly one CRD poddefaults.kubeflow.org (Kubeflow's)");
        }
        p.addAll(podMutators(m));
        return p;
    }

    // ---- the standalone PodDefault CRD -------------------------------------------------------------------------------

    /** Kubeflow's PodDefault CRD as shipped by kubeflow/manifests, vendored unchanged (source in its header). */
    static final Path KUBEFLOW_CRD = Manifests.ROOT.resolve("src/test/resources/kubeflow/poddefaults-crd.yaml");

    /** At most this many differences are listed one by one (a wholly different schema would list thousands). */
    private static final int MAX_DIFFERENCES = 40;

    static ObjectNode kubeflowCrd() {
        try {
            List<ObjectNode> objects = Kubectl.parse(Files.readString(KUBEFLOW_CRD));
            if (objects.size() != 1) {
                throw new IllegalStateException(KUBEFLOW_CRD + " must hold exactly one object, holds " + objects.size());
            }
            return objects.get(0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The rendering's CRD poddefaults.kubeflow.org is Kubeflow's ({@link #KUBEFLOW_CRD}): the same apiVersion, kind,
     * name and the whole {@code spec} (group, names, scope, every version with its schema, served and storage flags,
     * subresources, printer columns), compared as parsed trees. Not compared, because they do not change what the API
     * server accepts or stores: {@code metadata.labels}, {@code metadata.annotations} (controller-gen's version,
     * kubectl's last-applied configuration) and the top-level {@code status} (owned by the API server; controller-gen
     * writes an empty placeholder).
     */
    static List<String> kubeflowCrdSchema(Manifests m) {
        return crdDifferences(kubeflowCrd(), m);
    }

    static List<String> crdDifferences(ObjectNode kubeflow, Manifests m) {
        List<ObjectNode> crds = m.ofKind("CustomResourceDefinition").stream()
                .filter(c -> name(kubeflow).equals(name(c))).toList();
        if (crds.size() != 1) {
            return List.of("the rendering holds " + crds.size() + " CustomResourceDefinition " + name(kubeflow)
                    + ", expected exactly one");
        }
        ObjectNode ours = crds.get(0);
        List<String> differences = new ArrayList<>();
        for (String field : List.of("apiVersion", "kind")) {
            treeDifferences(field, kubeflow.path(field), ours.path(field), differences);
        }
        ObjectNode kubeflowMetadata = kubeflow.path("metadata").deepCopy();
        ObjectNode ourMetadata = ours.path("metadata").deepCopy();
        for (String ignored : List.of("labels", "annotations")) {
            kubeflowMetadata.remove(ignored);
            ourMetadata.remove(ignored);
        }
        treeDifferences("metadata", kubeflowMetadata, ourMetadata, differences);
        treeDifferences("spec", kubeflow.path("spec"), ours.path("spec"), differences);
        if (differences.size() > MAX_DIFFERENCES) {
            int more = differences.size() - MAX_DIFFERENCES;
            differences = new ArrayList<>(differences.subList(0, MAX_DIFFERENCES));
            differences.add("... and " + more + " more differences from Kubeflow's CRD");
        }
        return differences;
    }

    /**
     * Where two trees differ, as {@code path: Kubeflow's X, ours Y} sentences; objects are compared key by key,
     * arrays of the same length element by element, everything else (and arrays of different lengths) whole.
     */
    static void treeDifferences(String path, JsonNode kubeflow, JsonNode ours, List<String> out) {
        if (kubeflow.equals(ours)) {
            return;
        }
        if (kubeflow.isObject() && ours.isObject()) {
            Set<String> keys = new TreeSet<>();
            kubeflow.fieldNames().forEachRemaining(keys::add);
            ours.fieldNames().forEachRemaining(keys::add);
            for (String key : keys) {
                String child = path + "." + key;
                if (!ours.has(key)) {
                    out.add(child + ": Kubeflow's CRD has " + brief(kubeflow.get(key)) + ", ours has none");
                } else if (!kubeflow.has(key)) {
                    out.add(child + ": ours has " + brief(ours.get(key)) + ", Kubeflow's CRD has none");
                } else {
                    treeDifferences(child, kubeflow.get(key), ours.get(key), out);
                }
            }
        } else if (kubeflow.isArray() && ours.isArray() && kubeflow.size() == ours.size()) {
            for (int i = 0; i < kubeflow.size(); i++) {
                treeDifferences(path + "[" + i + "]", kubeflow.get(i), ours.get(i), out);
            }
        } else {
            out.add(path + ": Kubeflow's CRD has " + brief(kubeflow) + ", ours " + brief(ours));
        }
    }

    private static String brief(JsonNode node) {
        String text = node.toString();
        return text.length() <= 100 ? text : text.substring(0, 97) + "...";
    }

    /** The port admission-service's webhooks listen on: QUARKUS_HTTP_SSL_PORT, else application.properties' 8443. */
    static int webhookPort(JsonNode container) {
        JsonNode e = env(container).get(CodeNeeds.SSL_PORT_ENV);
        if (e == null) {
            return CodeNeeds.WEBHOOK_CONTAINER_PORT;
        }
        try {
            return Integer.parseInt(e.path("value").asText());
        } catch (NumberFormatException notANumber) {
            return -1;
        }
    }

    // ---- RBAC ------------------------------------------------------------------------------------------------------

    /** Each service's ServiceAccount holds exactly the permissions of {@link CodeNeeds#RBAC_TABLE}. */
    static List<String> rbac(Manifests m) {
        List<String> p = new ArrayList<>();
        Set<String> serviceAccounts = m.ofKind("ServiceAccount").stream()
                .map(sa -> namespace(sa) + "/" + name(sa)).collect(Collectors.toSet());
        for (String kind : List.of("ClusterRoleBinding", "RoleBinding")) {
            for (ObjectNode binding : m.ofKind(kind)) {
                for (JsonNode subject : binding.path("subjects")) {
                    String id = subject.path("namespace").asText() + "/" + subject.path("name").asText();
                    if (!"ServiceAccount".equals(subject.path("kind").asText()) || !serviceAccounts.contains(id)) {
                        p.add(describe(binding) + " binds " + subject.path("kind").asText() + " " + id
                                + ", not one of the rendering's ServiceAccounts");
                    }
                }
            }
        }
        for (String kind : List.of("ClusterRole", "Role")) {
            for (ObjectNode role : m.ofKind(kind)) {
                if (role.has("aggregationRule")) {
                    p.add(describe(role) + " aggregates other roles");
                }
            }
        }
        for (Workload w : CodeNeeds.WORKLOADS) {
            Optional<ObjectNode> d = m.find("Deployment", CodeNeeds.NAMESPACE, w.name());
            if (d.isEmpty()) {
                continue; // reported by workloads()
            }
            String ns = namespace(d.get());
            String sa = d.get().path("spec").path("template").path("spec").path("serviceAccountName").asText("default");
            Set<Permission> actual = permissions(m, ns, sa, p);
            Set<Permission> expected = CodeNeeds.permissions(w.name(), ns);
            if (actual.isEmpty()) {
                p.add("ServiceAccount " + ns + "/" + sa + " of " + w.name() + " is not bound to any role");
            }
            Set<Permission> missing = sorted(expected);
            missing.removeAll(actual);
            Set<Permission> extra = sorted(actual);
            extra.removeAll(expected);
            if (!missing.isEmpty()) {
                p.add(w.name() + " lacks permissions its code uses: " + missing);
            }
            if (!extra.isEmpty()) {
                p.add(w.name() + " has permissions broader than its code needs: " + extra);
            }
        }
        return p;
    }

    /** Everything the bindings give ServiceAccount ns/sa, expanded to single permissions. */
    static Set<Permission> permissions(Manifests m, String ns, String sa, List<String> problems) {
        Set<Permission> out = sorted(Set.of());
        for (String kind : List.of("ClusterRoleBinding", "RoleBinding")) {
            for (ObjectNode binding : m.ofKind(kind)) {
                boolean bound = StreamSupport.stream(binding.path("subjects").spliterator(), false)
                        .anyMatch(s -> "ServiceAccount".equals(s.path("kind").asText())
                                && sa.equals(s.path("name").asText()) && ns.equals(s.path("namespace").asText()));
                if (!bound) {
                    continue;
                }
                JsonNode roleRef = binding.path("roleRef");
                String roleKind = roleRef.path("kind").asText();
                String scope = "ClusterRoleBinding".equals(kind) ? "cluster" : namespace(binding);
                Optional<ObjectNode> role = switch (roleKind) {
                    case "ClusterRole" -> m.find("ClusterRole", null, roleRef.path("name").asText());
                    case "Role" -> "RoleBinding".equals(kind)
                            ? m.find("Role", namespace(binding), roleRef.path("name").asText()) : Optional.empty();
                    default -> Optional.empty();
                };
                if (role.isEmpty()) {
                    problems.add(describe(binding) + " refers to " + roleKind + " " + roleRef.path("name").asText()
                            + ", which is not in the rendering");
                    continue;
                }
                for (JsonNode rule : role.get().path("rules")) {
                    if (rule.has("nonResourceURLs")) {
                        problems.add(describe(role.get()) + " grants nonResourceURLs");
                    }
                    List<String> names = textValues(rule.path("resourceNames"));
                    for (String group : textValues(rule.path("apiGroups"))) {
                        for (String resource : textValues(rule.path("resources"))) {
                            for (String verb : textValues(rule.path("verbs"))) {
                                if ("*".equals(group) || resource.contains("*") || "*".equals(verb)) {
                                    problems.add(describe(role.get()) + " uses a wildcard: " + verb + " "
                                            + group + "/" + resource);
                                }
                                for (String resourceName : names.isEmpty() ? List.of("*") : names) {
                                    out.add(new Permission(scope, group, resource, verb, resourceName));
                                }
                            }
                        }
                    }
                }
            }
        }
        return out;
    }

    // ---- Strimzi overlay -------------------------------------------------------------------------------------------

    /** The KafkaTopics are the model's topics, for the cluster the services' bootstrap address points at. */
    static List<String> strimzi(Manifests m) {
        List<String> p = new ArrayList<>();
        List<ObjectNode> topics = m.ofKind("KafkaTopic");
        Set<String> names = new TreeSet<>();
        Set<String> clusters = new TreeSet<>();
        Set<String> namespaces = new TreeSet<>();
        for (ObjectNode t : topics) {
            String name = t.path("spec").path("topicName").asText(name(t));
            names.add(name);
            clusters.add(t.path("metadata").path("labels").path("strimzi.io/cluster").asText(""));
            namespaces.add(String.valueOf(namespace(t)));
            if (!"kafka.strimzi.io/v1".equals(t.path("apiVersion").asText())) {
                p.add(describe(t) + " is not kafka.strimzi.io/v1 (Strimzi 0.49 and later; v1beta2 goes with Strimzi 1.0)");
            }
            Optional<Topics.Definition> def = Topics.ALL.stream().filter(d -> d.name().equals(name)).findFirst();
            if (def.isEmpty()) {
                p.add(describe(t) + " creates topic " + name + ", which is not in Topics.ALL");
                continue;
            }
            if (t.path("spec").path("partitions").asInt(-1) != def.get().partitions()) {
                p.add(describe(t) + " has " + t.path("spec").path("partitions") + " partitions, the model says "
                        + def.get().partitions());
            }
            Map<String, String> config = stringMap(t.path("spec").path("config"));
            def.get().config().forEach((key, value) -> {
                if (!value.equals(config.get(key))) {
                    p.add(describe(t) + ": " + key + " is " + config.get(key) + ", the model says " + value);
                }
            });
        }
        Set<String> expected = Topics.ALL.stream().map(Topics.Definition::name)
                .collect(Collectors.toCollection(TreeSet::new));
        if (!names.equals(expected)) {
            p.add("the overlay's topics " + names + " are not the model's " + expected);
        }
        if (clusters.size() != 1 || clusters.contains("") || namespaces.size() != 1 || namespaces.contains("null")) {
            p.add("all KafkaTopics must name one cluster (strimzi.io/cluster) and live in one namespace: " + clusters
                    + " " + namespaces);
            return p;
        }
        String bootstrap = clusters.iterator().next() + "-kafka-bootstrap." + namespaces.iterator().next() + ".svc";
        String configured = m.find("ConfigMap", CodeNeeds.NAMESPACE, "grantflow-kafka")
                .map(cm -> cm.path("data").path("bootstrap.servers").asText()).orElse("");
        if (!configured.startsWith(bootstrap + ":") && !configured.startsWith(bootstrap + ".cluster.local:")) {
            p.add("the services connect to '" + configured + "', not to the topics' cluster " + bootstrap);
        }
        return p;
    }

    /** Every KafkaTopic: three replicas and min.insync.replicas 2 (acks=all then means two copies, one broker may fail). */
    static List<String> replication(Manifests m) {
        List<String> p = new ArrayList<>();
        for (ObjectNode t : m.ofKind("KafkaTopic")) {
            if (t.path("spec").path("replicas").asInt(-1) != 3) {
                p.add(describe(t) + " has spec.replicas " + t.path("spec").path("replicas") + ", not 3");
            }
            if (!"2".equals(t.path("spec").path("config").path("min.insync.replicas").asText())) {
                p.add(describe(t) + " has min.insync.replicas " + t.path("spec").path("config")
                        .path("min.insync.replicas") + ", not 2");
            }
        }
        if (m.ofKind("KafkaTopic").isEmpty()) {
            p.add("no KafkaTopic in the rendering");
        }
        return p;
    }

    /** The audit topic is there: deleted by time, after the model's retention (400 days), never compacted. */
    static List<String> auditTopic(Manifests m) {
        List<ObjectNode> audit = m.ofKind("KafkaTopic").stream()
                .filter(t -> Topics.AUDIT.equals(t.path("spec").path("topicName").asText(name(t)))).toList();
        if (audit.size() != 1) {
            return List.of(audit.size() + " KafkaTopics create " + Topics.AUDIT + ", expected 1");
        }
        List<String> p = new ArrayList<>();
        JsonNode config = audit.get(0).path("spec").path("config");
        if (!"delete".equals(config.path("cleanup.policy").asText())) {
            p.add(describe(audit.get(0)) + ": cleanup.policy is " + config.path("cleanup.policy")
                    + ", the audit history is kept by time (delete)");
        }
        String retention = Long.toString(Topics.AUDIT_RETENTION.toMillis());
        if (!retention.equals(config.path("retention.ms").asText())) {
            p.add(describe(audit.get(0)) + ": retention.ms is " + config.path("retention.ms") + ", not " + retention
                    + " (" + Topics.AUDIT_RETENTION.toDays() + " days)");
        }
        return p;
    }

    /**
     * Every KafkaUser: for the topics' cluster, SCRAM-SHA-512, simple authorization; its ACLs name only topics the
     * overlay creates (by literal name) and consumer groups its service really uses (application.properties), with no
     * cluster, transactional-id or wildcard rule and no operation beyond Read, Write, Describe; a service's channels
     * are all covered (incoming: Read, outgoing and dead-letter: Write, groups: Read).
     */
    static List<String> kafkaUsers(Manifests m) {
        List<String> p = new ArrayList<>();
        Set<String> topics = m.ofKind("KafkaTopic").stream()
                .map(t -> t.path("spec").path("topicName").asText(name(t))).collect(Collectors.toCollection(TreeSet::new));
        Set<String> clusters = m.ofKind("KafkaTopic").stream()
                .map(t -> t.path("metadata").path("labels").path("strimzi.io/cluster").asText())
                .collect(Collectors.toSet());
        List<ObjectNode> users = m.ofKind("KafkaUser");
        if (users.isEmpty()) {
            p.add("no KafkaUser in the rendering");
        }
        for (ObjectNode user : users) {
            String where = describe(user);
            String service = name(user).replaceFirst("^grantflow-", "");
            boolean isService = KafkaAccess.KAFKA_SERVICES.contains(service);
            KafkaAccess.Use use = isService ? KafkaAccess.use(service)
                    : new KafkaAccess.Use(Set.of(), Set.of(), Set.of());
            if (!"kafka.strimzi.io/v1".equals(user.path("apiVersion").asText())) {
                p.add(where + " is not kafka.strimzi.io/v1");
            }
            if (!clusters.contains(user.path("metadata").path("labels").path("strimzi.io/cluster").asText())) {
                p.add(where + " is not labelled for the topics' cluster " + clusters);
            }
            if (!"scram-sha-512".equals(user.path("spec").path("authentication").path("type").asText())) {
                p.add(where + ": authentication is not scram-sha-512");
            }
            if (!"simple".equals(user.path("spec").path("authorization").path("type").asText())) {
                p.add(where + ": authorization is not simple (ACLs)");
            }
            for (JsonNode acl : user.path("spec").path("authorization").path("acls")) {
                JsonNode resource = acl.path("resource");
                String type = resource.path("type").asText();
                String resourceName = resource.path("name").asText("");
                String pattern = resource.path("patternType").asText("literal");
                String rule = where + " ACL on " + type + " '" + resourceName + "' (" + pattern + ")";
                if (!"allow".equals(acl.path("type").asText("allow"))) {
                    p.add(rule + " is not an allow rule");
                }
                if (!"*".equals(acl.path("host").asText("*"))) {
                    p.add(rule + " is limited to host " + acl.path("host").asText() + " (pod addresses change)");
                }
                for (JsonNode op : KafkaAccess.operations(acl)) {
                    if (!Set.of("Read", "Write", "Describe").contains(op.asText())) {
                        p.add(rule + " grants " + op.asText() + ": Grantflow needs only Read, Write and Describe");
                    }
                }
                switch (type) {
                    case "topic" -> {
                        if (!"literal".equals(pattern) || resourceName.contains("*")) {
                            p.add(rule + ": topics are named literally");
                        } else if (!topics.contains(resourceName)) {
                            p.add(rule + " names a topic the overlay does not create " + topics);
                        }
                    }
                    case "group" -> {
                        if (use.groups().stream().noneMatch(g -> KafkaAccess.covers(resourceName, pattern, g))) {
                            p.add(rule + " covers none of the groups " + service + " uses " + use.groups());
                        }
                        if (resourceName.isEmpty() || "*".equals(resourceName)) {
                            p.add(rule + " covers every group");
                        }
                    }
                    default -> p.add(rule + ": Grantflow needs no " + type + " rule (idempotent producers need Write "
                            + "on the topic since Kafka 3.0; no transactions)");
                }
            }
            Set<String> rules = KafkaAccess.rules(user);
            for (String topic : use.reads()) {
                if (!rules.contains(name(user) + " READ TOPIC " + topic)) {
                    p.add(where + " cannot read " + topic + ", which " + service + " consumes");
                }
            }
            for (String topic : use.writes()) {
                if (!rules.contains(name(user) + " WRITE TOPIC " + topic)) {
                    p.add(where + " cannot write " + topic + ", which " + service + " produces to");
                }
            }
            for (String group : use.groups()) {
                boolean covered = StreamSupport.stream(user.path("spec").path("authorization").path("acls")
                        .spliterator(), false)
                        .filter(acl -> "group".equals(acl.path("resource").path("type").asText()))
                        .filter(acl -> StreamSupport.stream(KafkaAccess.operations(acl).spliterator(), false)
                                .anyMatch(op -> "Read".equals(op.asText())))
                        .anyMatch(acl -> KafkaAccess.covers(acl.path("resource").path("name").asText(),
                                acl.path("resource").path("patternType").asText("literal"), group));
                if (!covered) {
                    p.add(where + " may not use consumer group " + group + " of " + service);
                }
            }
        }
        return p;
    }

    /**
     * The KafkaUsers' ACLs are exactly the table the tests' SASL broker enforces (dev.grantflow.testing.GrantflowAcls),
     * so that what the tests prove about a principal holds for the cluster.
     */
    static List<String> kafkaAcls(Manifests m) {
        List<String> p = new ArrayList<>();
        Map<String, Set<String>> table = KafkaAccess.table();
        Map<String, Set<String>> actual = new java.util.TreeMap<>();
        m.ofKind("KafkaUser").forEach(u -> actual.put(name(u), KafkaAccess.rules(u)));
        if (!actual.keySet().equals(table.keySet())) {
            p.add("the KafkaUsers " + actual.keySet() + " are not the principals of GrantflowAcls " + table.keySet());
        }
        table.forEach((principal, rules) -> {
            Set<String> have = actual.getOrDefault(principal, Set.of());
            Set<String> missing = new TreeSet<>(rules);
            missing.removeAll(have);
            Set<String> extra = new TreeSet<>(have);
            extra.removeAll(rules);
            if (!missing.isEmpty()) {
                p.add("KafkaUser " + principal + " lacks " + missing);
            }
            if (!extra.isEmpty()) {
                p.add("KafkaUser " + principal + " has more than GrantflowAcls: " + extra);
            }
        });
        return p;
    }

    /**
     * Only the administrators' KafkaUser may write the grants topic (any rule that would match it: literal, prefix,
     * "*"), and no Deployment runs as it: a bare tombstone or a forged grant from anyone else must be refused.
     */
    static List<String> grantsWriters(Manifests m) {
        List<String> p = new ArrayList<>();
        Set<String> writers = new TreeSet<>();
        for (ObjectNode user : m.ofKind("KafkaUser")) {
            for (JsonNode acl : user.path("spec").path("authorization").path("acls")) {
                JsonNode resource = acl.path("resource");
                if (!"topic".equals(resource.path("type").asText())) {
                    continue;
                }
                String resourceName = resource.path("name").asText("");
                boolean matches = "prefix".equals(resource.path("patternType").asText("literal"))
                        ? Topics.GRANTS.startsWith(resourceName)
                        : Topics.GRANTS.equals(resourceName) || "*".equals(resourceName);
                boolean writes = StreamSupport.stream(KafkaAccess.operations(acl).spliterator(), false)
                        .anyMatch(op -> Set.of("Write", "All").contains(op.asText()));
                if (matches && writes) {
                    writers.add(name(user));
                }
            }
        }
        if (!writers.equals(Set.of(GrantflowAcls.ADMIN))) {
            p.add(Topics.GRANTS + " is writable by " + writers + ", expected only " + GrantflowAcls.ADMIN);
        }
        for (ObjectNode d : m.ofKind("Deployment")) {
            for (JsonNode c : d.path("spec").path("template").path("spec").path("containers")) {
                for (JsonNode e : c.path("env")) {
                    if (GrantflowAcls.ADMIN.equals(e.path("valueFrom").path("secretKeyRef").path("name").asText())) {
                        p.add(describe(d) + " reads the administrators' Kafka Secret " + GrantflowAcls.ADMIN);
                    }
                }
            }
        }
        return p;
    }

    /**
     * Every Deployment that talks to Kafka authenticates as its own KafkaUser: SASL_SSL, the user's mechanism, the JAAS
     * configuration from the {@code sasl.jaas.config} key of the Secret named after its KafkaUser (in its namespace),
     * the cluster CA as a PEM truststore from a read-only mounted Secret {@code <cluster>-cluster-ca-cert}, and the
     * bootstrap address on the TLS listener (9093). A Deployment without Kafka (admission-service) gets none of it.
     */
    static List<String> kafkaClientSecurity(Manifests m) {
        List<String> p = new ArrayList<>();
        Set<String> clusters = m.ofKind("KafkaTopic").stream()
                .map(t -> t.path("metadata").path("labels").path("strimzi.io/cluster").asText())
                .collect(Collectors.toSet());
        String caSecret = clusters.size() == 1 ? clusters.iterator().next() + "-cluster-ca-cert" : "(one cluster)";
        for (ObjectNode d : m.ofKind("Deployment")) {
            if (!grantflows(d)) {
                continue;
            }
            JsonNode pod = d.path("spec").path("template").path("spec");
            JsonNode c = pod.path("containers").path(0);
            Map<String, JsonNode> env = env(c);
            String where = describe(d);
            boolean kafka = env.containsKey("KAFKA_BOOTSTRAP_SERVERS");
            if (!kafka) {
                if (env.keySet().stream().anyMatch(k -> k.startsWith("KAFKA_"))
                        || m.find("KafkaUser", namespace(d), KafkaAccess.userOf(name(d))).isPresent()) {
                    p.add(where + " does not use Kafka but has Kafka settings or a KafkaUser");
                }
                continue;
            }
            String user = KafkaAccess.userOf(name(d));
            Optional<ObjectNode> kafkaUser = m.find("KafkaUser", namespace(d), user);
            if (kafkaUser.isEmpty()) {
                p.add(where + " has no KafkaUser " + namespace(d) + "/" + user);
            }
            if (!"SASL_SSL".equals(value(env, "KAFKA_SECURITY_PROTOCOL"))) {
                p.add(where + ": KAFKA_SECURITY_PROTOCOL is " + value(env, "KAFKA_SECURITY_PROTOCOL")
                        + ", not SASL_SSL");
            }
            String mechanism = kafkaUser.map(u -> u.path("spec").path("authentication").path("type").asText()
                    .toUpperCase(java.util.Locale.ROOT)).orElse("SCRAM-SHA-512");
            if (!mechanism.equals(value(env, "KAFKA_SASL_MECHANISM"))) {
                p.add(where + ": KAFKA_SASL_MECHANISM is " + value(env, "KAFKA_SASL_MECHANISM") + ", its user's is "
                        + mechanism);
            }
            JsonNode jaas = env.getOrDefault("KAFKA_SASL_JAAS_CONFIG", JSON_NULL).path("valueFrom").path("secretKeyRef");
            if (!user.equals(jaas.path("name").asText()) || !"sasl.jaas.config".equals(jaas.path("key").asText())) {
                p.add(where + ": KAFKA_SASL_JAAS_CONFIG is not read from key sasl.jaas.config of Secret " + user
                        + " (its KafkaUser's), but from " + jaas);
            }
            if (!"PEM".equals(value(env, "KAFKA_SSL_TRUSTSTORE_TYPE"))) {
                p.add(where + ": KAFKA_SSL_TRUSTSTORE_TYPE is not PEM");
            }
            String truststore = String.valueOf(value(env, "KAFKA_SSL_TRUSTSTORE_LOCATION"));
            Optional<JsonNode> mount = StreamSupport.stream(c.path("volumeMounts").spliterator(), false)
                    .filter(vm -> truststore.startsWith(vm.path("mountPath").asText() + "/"))
                    .findFirst();
            Optional<JsonNode> caVolume = mount.flatMap(vm -> volume(pod, vm.path("name").asText()));
            String file = mount.map(vm -> truststore.substring(vm.path("mountPath").asText().length() + 1)).orElse("");
            boolean caFile = caVolume.map(v -> StreamSupport.stream(v.path("secret").path("items").spliterator(), false)
                    .anyMatch(i -> "ca.crt".equals(i.path("key").asText()) && file.equals(i.path("path").asText())))
                    .orElse(false);
            if (mount.isEmpty() || !mount.get().path("readOnly").asBoolean(false) || caVolume.isEmpty()
                    || !caSecret.equals(caVolume.get().path("secret").path("secretName").asText()) || !caFile) {
                p.add(where + ": KAFKA_SSL_TRUSTSTORE_LOCATION " + truststore + " is not key ca.crt of Secret "
                        + caSecret + " mounted read-only");
            }
        }
        String bootstrap = m.find("ConfigMap", CodeNeeds.NAMESPACE, "grantflow-kafka")
                .map(cm -> cm.path("data").path("bootstrap.servers").asText()).orElse("");
        if (!bootstrap.endsWith(":9093")) {
            p.add("the services connect to " + bootstrap + ", not to Strimzi's TLS listener (port 9093)");
        }
        return p;
    }

    private static final JsonNode JSON_NULL = com.fasterxml.jackson.databind.node.MissingNode.getInstance();

    private static String value(Map<String, JsonNode> env, String name) {
        JsonNode e = env.get(name);
        return e == null || !e.has("value") ? null : e.path("value").asText();
    }

    // ---- helpers ---------------------------------------------------------------------------------------------------

    /** A Service's selector (a plain map; empty selects nothing here: such a Service needs manual Endpoints). */
    static boolean serviceSelects(JsonNode service, JsonNode deployment) {
        Map<String, String> selector = stringMap(service.path("spec").path("selector"));
        Map<String, String> labels = podLabels(deployment);
        return !selector.isEmpty()
                && selector.entrySet().stream().allMatch(e -> e.getValue().equals(labels.get(e.getKey())));
    }

    static Map<String, String> podLabels(JsonNode deployment) {
        return stringMap(deployment.path("spec").path("template").path("metadata").path("labels"));
    }

    /** A probe's or Service's port (number or name) resolved against the container's declared ports. */
    static Optional<Integer> containerPort(JsonNode container, JsonNode port) {
        for (JsonNode declared : container.path("ports")) {
            if (port.isInt() ? declared.path("containerPort").asInt() == port.asInt()
                    : port.asText().equals(declared.path("name").asText())) {
                return Optional.of(declared.path("containerPort").asInt());
            }
        }
        return Optional.empty();
    }

    private static Optional<String> mountedVolume(JsonNode container, String path) {
        return StreamSupport.stream(container.path("volumeMounts").spliterator(), false)
                .filter(vm -> path.equals(vm.path("mountPath").asText()))
                .map(vm -> vm.path("name").asText()).findFirst();
    }

    private static Optional<JsonNode> volume(JsonNode pod, String name) {
        return StreamSupport.stream(pod.path("volumes").spliterator(), false)
                .filter(v -> name.equals(v.path("name").asText())).findFirst();
    }

    private static Map<String, JsonNode> env(JsonNode container) {
        Map<String, JsonNode> env = new java.util.LinkedHashMap<>();
        container.path("env").forEach(e -> env.put(e.path("name").asText(), e));
        return env;
    }

    static List<String> textValues(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(v -> out.add(v.asText()));
        return out;
    }

    private static Set<Permission> sorted(Set<Permission> permissions) {
        Set<Permission> out = new TreeSet<>(Comparator.comparing(Permission::toString));
        out.addAll(permissions);
        return out;
    }
}
