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
        return Collections.unmodifiableMap(checks);
    }

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
        if (!declared.equals(w.containerPorts())) {
            p.add(cw + " declares ports " + declared + ", the service listens on " + w.containerPorts());
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
        if (w == CodeNeeds.NAMESPACE_WATCHER) {
            JsonNode podNamespace = env.get("POD_NAMESPACE");
            if (podNamespace == null || !"metadata.namespace".equals(
                    podNamespace.path("valueFrom").path("fieldRef").path("fieldPath").asText())) {
                p.add(cw + ": POD_NAMESPACE (where the Lease lives) does not come from the downward API "
                        + "(fieldRef metadata.namespace)");
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
        common(m, mwc, apply, CodeNeeds.APPLY_PATH, p);
        common(m, validating.get(0), validate, CodeNeeds.VALIDATE_PATH, p);

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

        // The validating webhook must match the PodDefault CRD that base installs.
        ObjectNode crd = m.get("CustomResourceDefinition", null, "poddefaults.kubeflow.org");
        String group = crd.path("spec").path("group").asText();
        String plural = crd.path("spec").path("names").path("plural").asText();
        Set<String> expected = new TreeSet<>();
        for (JsonNode version : crd.path("spec").path("versions")) {
            if (version.path("served").asBoolean()) {
                for (String op : List.of("CREATE", "UPDATE")) {
                    expected.add(op + " '" + group + "'/" + version.path("name").asText() + "/" + plural);
                }
            }
        }
        if (!rules(validate).equals(expected)) {
            p.add(describe(validating.get(0)) + " must match exactly " + expected + " (the CRD), matches "
                    + rules(validate));
        }
        return p;
    }

    private static void common(Manifests m, ObjectNode config, JsonNode hook, String path, List<String> p) {
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
        if (!"Fail".equals(hook.path("failurePolicy").asText())) {
            p.add(where + ": failurePolicy must be Fail");
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
        if (containerPort.isEmpty() || containerPort.get() != CodeNeeds.WEBHOOK_CONTAINER_PORT) {
            p.add(where + ": " + describe(svc.get()) + " port " + port + " reaches container port "
                    + containerPort.map(String::valueOf).orElse("(undeclared " + target.asText() + ")")
                    + ", the webhooks listen on " + CodeNeeds.WEBHOOK_CONTAINER_PORT);
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

    static List<String> certificates(Manifests m) {
        List<String> p = new ArrayList<>();
        List<ObjectNode> configs = new ArrayList<>(m.ofKind("MutatingWebhookConfiguration"));
        configs.addAll(m.ofKind("ValidatingWebhookConfiguration"));
        Set<ObjectNode> used = new HashSet<>();
        for (ObjectNode config : configs) {
            String inject = config.path("metadata").path("annotations").path("cert-manager.io/inject-ca-from")
                    .asText("");
            String[] ref = inject.split("/");
            Optional<ObjectNode> cert = ref.length == 2 ? m.find("Certificate", ref[0], ref[1]) : Optional.empty();
            if (cert.isEmpty()) {
                p.add(describe(config) + ": cert-manager.io/inject-ca-from '" + inject
                        + "' does not name a Certificate (<namespace>/<name>)");
                continue;
            }
            used.add(cert.get());
            Set<String> dnsNames = new HashSet<>(textValues(cert.get().path("spec").path("dnsNames")));
            for (JsonNode hook : config.path("webhooks")) {
                JsonNode svc = hook.path("clientConfig").path("service");
                String host = svc.path("name").asText() + "." + svc.path("namespace").asText() + ".svc";
                for (String dns : List.of(host, host + ".cluster.local")) {
                    if (!dnsNames.contains(dns)) {
                        p.add(describe(cert.get()) + " does not cover " + dns + " (called by " + describe(config) + ")");
                    }
                }
            }
        }
        Optional<ObjectNode> deployment = m.find("Deployment", CodeNeeds.NAMESPACE, CodeNeeds.ADMISSION_SERVICE.name());
        for (ObjectNode cert : used) {
            JsonNode issuerRef = cert.path("spec").path("issuerRef");
            String issuerKind = issuerRef.path("kind").asText("Issuer");
            Optional<ObjectNode> issuer = "ClusterIssuer".equals(issuerKind)
                    ? m.find("ClusterIssuer", null, issuerRef.path("name").asText())
                    : m.find("Issuer", namespace(cert), issuerRef.path("name").asText());
            if (issuer.isEmpty()) {
                p.add(describe(cert) + " is issued by " + issuerKind + " " + issuerRef.path("name").asText()
                        + ", which is not in the rendering");
            }
            String secretName = cert.path("spec").path("secretName").asText();
            if (deployment.isEmpty() || !namespace(cert).equals(namespace(deployment.get()))) {
                p.add(describe(cert) + " is not in the namespace of the admission-service Deployment");
                continue;
            }
            JsonNode pod = deployment.get().path("spec").path("template").path("spec");
            Optional<String> volume = StreamSupport.stream(pod.path("volumes").spliterator(), false)
                    .filter(v -> secretName.equals(v.path("secret").path("secretName").asText()))
                    .map(v -> v.path("name").asText()).findFirst();
            JsonNode container = pod.path("containers").path(0);
            Optional<JsonNode> mount = StreamSupport.stream(container.path("volumeMounts").spliterator(), false)
                    .filter(vm -> volume.isPresent() && volume.get().equals(vm.path("name").asText())).findFirst();
            if (mount.isEmpty() || !CodeNeeds.CERT_DIR.equals(mount.get().path("mountPath").asText())
                    || !mount.get().path("readOnly").asBoolean(false)) {
                p.add(describe(cert) + " writes Secret " + secretName + ", which admission-service does not mount "
                        + "read-only at " + CodeNeeds.CERT_DIR);
            }
        }
        return p;
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
        return p;
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
            if (!"kafka.strimzi.io/v1beta2".equals(t.path("apiVersion").asText())) {
                p.add(describe(t) + " is not kafka.strimzi.io/v1beta2");
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
