package dev.grantflow.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each check can fail: a copy of the real rendering with one thing broken makes the named check report it. Edits
 * address objects by kind/namespace/name and a JSON pointer ({@code ~1} stands for "/" in a key).
 */
class ManifestChecksTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String NS = "grantflow";
    private static final String MWC = "MutatingWebhookConfiguration";
    private static final String VWC = "ValidatingWebhookConfiguration";
    private static final String HOOK = "grantflow-poddefaults";
    private static final String POD = "/spec/template/spec";
    private static final String C0 = POD + "/containers/0";

    static Stream<Arguments> brokenManifests() {
        return Stream.of(
                // webhooks <-> Service <-> container port, paths, settings
                broken("webhook calls a port the Service lacks", "webhooks",
                        set(MWC, null, HOOK, "/webhooks/0/clientConfig/service/port", 444), "has no such port"),
                broken("validating webhook path", "webhooks",
                        set(VWC, null, HOOK, "/webhooks/0/clientConfig/service/path", "/validate"),
                        "the service serves /validate-poddefault"),
                broken("webhook Service name", "webhooks",
                        set(MWC, null, HOOK, "/webhooks/0/clientConfig/service/name", "admission"),
                        "which does not exist"),
                broken("Service 443 reaches the management port", "webhooks",
                        set("Service", NS, "admission-service", "/spec/ports/0/targetPort", "management"),
                        "reaches container port 9000"),
                broken("Service targets an undeclared port", "services",
                        set("Service", NS, "grant-service", "/spec/ports/0/targetPort", "admin"), "does not declare"),
                broken("Service selects nothing", "services",
                        set("Service", NS, "grant-service", "/spec/selector", Map.of("app", "none")),
                        "selects the pods of 0 Deployments"),
                broken("v1beta1 offered", "webhooks",
                        set(MWC, null, HOOK, "/webhooks/0/admissionReviewVersions", List.of("v1", "v1beta1")),
                        "exactly [v1]"),
                broken("no objectSelector", "webhooks", remove(MWC, null, HOOK, "/webhooks/0/objectSelector"),
                        "objectSelector must skip"),
                broken("objectSelector skips the wrong pods", "webhooks",
                        set(MWC, null, HOOK, "/webhooks/0/objectSelector/matchExpressions/0/operator", "In"),
                        "objectSelector must skip"),
                broken("no namespaceSelector", "webhooks", remove(MWC, null, HOOK, "/webhooks/0/namespaceSelector"),
                        "namespaceSelector"),
                broken("mutating on UPDATE too", "webhooks",
                        set(MWC, null, HOOK, "/webhooks/0/rules/0/operations", List.of("CREATE", "UPDATE")),
                        "exactly CREATE of core/v1 pods"),
                broken("validating a version the CRD does not serve", "webhooks",
                        set(VWC, null, HOOK, "/webhooks/0/rules/0/apiVersions", List.of("v1beta1")), "(the CRD)"),
                broken("mutating failurePolicy Ignore", "webhooks",
                        set(MWC, null, HOOK, "/webhooks/0/failurePolicy", "Ignore"), "failurePolicy must be Fail"),
                broken("validating failurePolicy Fail (blocks profile creation while down)", "webhooks",
                        set(VWC, null, HOOK, "/webhooks/0/failurePolicy", "Fail"), "failurePolicy must be Ignore"),
                broken("validating webhook on every namespace", "webhooks",
                        remove(VWC, null, HOOK, "/webhooks/0/namespaceSelector"),
                        "ValidatingWebhookConfiguration grantflow-poddefaults: namespaceSelector is not exactly"),
                broken("container port moved without QUARKUS_HTTP_SSL_PORT", "webhooks",
                        set("Deployment", NS, "admission-service", C0 + "/ports/0/containerPort", 10250),
                        "reaches container port 10250, the webhooks listen on 8443"),
                broken("QUARKUS_HTTP_SSL_PORT moved without the container port", "workloads",
                        set("Deployment", NS, "admission-service", C0 + "/env/0/value", "10250"),
                        "declares ports [8443, 9000], the service listens on [9000, 10250]"),
                broken("no timeout", "webhooks", remove(MWC, null, HOOK, "/webhooks/0/timeoutSeconds"),
                        "timeoutSeconds"),
                broken("reinvoked after Istio", "webhooks",
                        set(MWC, null, HOOK, "/webhooks/0/reinvocationPolicy", "IfNeeded"), "reinvocationPolicy"),
                broken("named like Kubeflow's current webhook (after Istio)", "webhooks",
                        set(MWC, null, HOOK, "/metadata/name", "poddefaults-webhook-mutating-webhook-configuration"),
                        "sorts after istio-sidecar-injector"),
                // cert-manager
                broken("inject-ca-from names another Certificate", "certificates",
                        set(MWC, null, HOOK, "/metadata/annotations/cert-manager.io~1inject-ca-from", "grantflow/tls"),
                        "does not name a Certificate"),
                broken("inject-ca-from missing", "certificates",
                        remove(VWC, null, HOOK, "/metadata/annotations/cert-manager.io~1inject-ca-from"),
                        "does not name a Certificate"),
                broken("Certificate writes a Secret nobody mounts", "certificates",
                        set("Certificate", NS, "admission-service-tls", "/spec/secretName", "webhook-certs"),
                        "does not mount read-only at /etc/webhook/certs"),
                broken("certificate volume writable", "certificates",
                        set("Deployment", NS, "admission-service", C0 + "/volumeMounts/0/readOnly", false),
                        "does not mount read-only"),
                broken("certificate lacks the .cluster.local name", "certificates",
                        remove("Certificate", NS, "admission-service-tls", "/spec/dnsNames/1"),
                        "does not cover admission-service.grantflow.svc.cluster.local"),
                broken("Issuer missing", "certificates", drop("Issuer", NS, "grantflow-selfsigned"),
                        "is issued by Issuer grantflow-selfsigned"),
                broken("caBundle injected from the serving leaf", "certificates",
                        set(MWC, null, HOOK, "/metadata/annotations/cert-manager.io~1inject-ca-from",
                                "grantflow/admission-service-tls"), "which is not a CA (isCA)"),
                broken("leaf self-signed instead of issued by the CA", "certificates",
                        set("Certificate", NS, "admission-service-tls", "/spec/issuerRef/name", "grantflow-selfsigned"),
                        "is not issued by a CA Issuer signing with the injected CA's Secret"),
                broken("CA Issuer signs with another Secret", "certificates",
                        set("Issuer", NS, "grantflow-webhook-ca", "/spec/ca/secretName", "other-ca"),
                        "signs with 'other-ca'"),
                // Deployments
                broken("liveness on the wrong path", "workloads",
                        set("Deployment", NS, "grant-service", C0 + "/livenessProbe/httpGet/path", "/q/health"),
                        "livenessProbe path is /q/health,"),
                broken("readiness on an undeclared port", "workloads",
                        set("Deployment", NS, "namespace-watcher", C0 + "/readinessProbe/httpGet/port", 9001),
                        "readinessProbe port 9001 is not a declared port"),
                broken("admission probes on the TLS port", "workloads",
                        set("Deployment", NS, "admission-service", C0 + "/livenessProbe/httpGet/port", "https"),
                        "health is served on 9000"),
                broken("port not declared", "workloads",
                        remove("Deployment", NS, "admission-service", C0 + "/ports/1"), "declares ports [8443]"),
                broken("POD_NAMESPACE hard-coded", "workloads",
                        set("Deployment", NS, "namespace-watcher", C0 + "/env/1", Map.of("name", "POD_NAMESPACE",
                                "value", "grantflow")), "downward API"),
                broken("grant-service without POD_NAMESPACE", "workloads",
                        remove("Deployment", NS, "grant-service", C0 + "/env/4"), "the namespace it never writes into"),
                broken("HOSTNAME overridden", "workloads",
                        add("Deployment", NS, "namespace-watcher", C0 + "/env", Map.of("name", "HOSTNAME",
                                "value", "watcher")), "overrides HOSTNAME"),
                broken("source namespace", "workloads",
                        set("Deployment", NS, "grant-service", C0 + "/env/1/value", "default"),
                        "GRANTFLOW_GRANTS_SOURCE_NAMESPACE is not grantflow-sources"),
                broken("Kafka address from a missing ConfigMap key", "workloads",
                        set("Deployment", NS, "grant-service", C0 + "/env/0/valueFrom/configMapKeyRef/key",
                                "bootstrap"), "which does not exist"),
                broken("privilege escalation", "workloads",
                        set("Deployment", NS, "grant-service", C0 + "/securityContext/allowPrivilegeEscalation", true),
                        "allowPrivilegeEscalation is not false"),
                broken("writable root", "workloads",
                        remove("Deployment", NS, "admission-service", C0 + "/securityContext/readOnlyRootFilesystem"),
                        "readOnlyRootFilesystem is not true"),
                broken("capabilities kept", "workloads",
                        remove("Deployment", NS, "namespace-watcher", C0 + "/securityContext/capabilities"),
                        "does not drop ALL capabilities"),
                broken("no seccomp profile", "workloads",
                        remove("Deployment", NS, "grant-service", POD + "/securityContext/seccompProfile"),
                        "seccompProfile is not RuntimeDefault"),
                broken("root allowed", "workloads",
                        remove("Deployment", NS, "grant-service", POD + "/securityContext/runAsNonRoot"),
                        "runAsNonRoot is not true"),
                broken("host network", "workloads",
                        set("Deployment", NS, "grant-service", POD + "/hostNetwork", true), "uses hostNetwork"),
                broken("no /tmp", "workloads", remove("Deployment", NS, "grant-service", C0 + "/volumeMounts"),
                        "no emptyDir at /tmp"),
                broken("no memory limit", "workloads",
                        remove("Deployment", NS, "grant-service", C0 + "/resources/limits/memory"),
                        "resources.limits.memory"),
                broken("one webhook replica", "workloads", set("Deployment", NS, "admission-service",
                        "/spec/replicas", 1), "fewer than 2 replicas"),
                broken("ServiceAccount missing", "workloads", drop("ServiceAccount", NS, "grant-service"),
                        "uses ServiceAccount grant-service, which does not exist"),
                broken("namespaced object outside grantflow", "scopes",
                        set("ConfigMap", NS, "grantflow-kafka", "/metadata/namespace", "default"),
                        "is not in namespace grantflow"),
                // availability
                broken("PDB selects other pods", "disruption",
                        set("PodDisruptionBudget", NS, "admission-service",
                                "/spec/selector/matchLabels/app.kubernetes.io~1name", "grant-service"),
                        "0 PodDisruptionBudgets select the admission-service pods"),
                broken("PDB selects every pod", "disruption",
                        set("PodDisruptionBudget", NS, "admission-service", "/spec/selector", Map.of()),
                        "also selects the pods of Deployment grantflow/grant-service"),
                broken("PDB allows zero", "disruption",
                        set("PodDisruptionBudget", NS, "admission-service", "/spec/minAvailable", 0),
                        "minAvailable must be 1"),
                broken("no anti-affinity", "disruption",
                        remove("Deployment", NS, "admission-service", POD + "/affinity"), "no podAntiAffinity"),
                broken("no zone spread", "disruption",
                        remove("Deployment", NS, "admission-service", POD + "/topologySpreadConstraints"),
                        "no topologySpreadConstraint on topology.kubernetes.io/zone"),
                broken("PriorityClass missing", "disruption", drop("PriorityClass", null, "grantflow-webhook"),
                        "no priorityClassName of a PriorityClass in the rendering ('grantflow-webhook')"),
                // shutdown
                broken("no preStop", "shutdown", remove("Deployment", NS, "grant-service", C0 + "/lifecycle"),
                        "Deployment grantflow/grant-service has no preStop sleep"),
                broken("grace period shorter than preStop + shutdown", "shutdown",
                        set("Deployment", NS, "admission-service", POD + "/terminationGracePeriodSeconds", 30),
                        "terminationGracePeriodSeconds 30 < preStop 15 s + shutdown 20 s + 5 s margin"),
                broken("grace period shorter than the shutdown timeout (no preStop)", "shutdown",
                        set("Deployment", NS, "namespace-watcher", POD + "/terminationGracePeriodSeconds", 20),
                        "terminationGracePeriodSeconds 20 < preStop 0 s + shutdown 20 s + 5 s margin"),
                broken("shutdown timeout unset", "shutdown",
                        remove("Deployment", NS, "namespace-watcher", C0 + "/env/2"),
                        "does not set QUARKUS_SHUTDOWN_TIMEOUT"),
                // sizing
                broken("grant-service's limit without the non-heap allowance", "sizing",
                        set("Deployment", NS, "grant-service", C0 + "/resources/limits/memory", "448Mi"),
                        "memory limit 448 MiB < -Xmx 256 MiB + 256 MiB non-heap"),
                broken("heap below twice the measured live heap", "sizing",
                        set("Deployment", NS, "grant-service", C0 + "/env/3/value", "-Xmx200m"),
                        "-Xmx 200 MiB < 2 x the measured live heap 123 MiB"),
                broken("no -Xmx", "sizing", remove("Deployment", NS, "admission-service", C0 + "/env/2"),
                        "sets no -Xmx in JAVA_OPTS"),
                broken("no collector named", "sizing",
                        set("Deployment", NS, "admission-service", C0 + "/env/2/value", "-Xmx512m -Xms512m"),
                        "admission-service names no garbage collector in JAVA_OPTS"),
                broken("request below limit", "sizing",
                        set("Deployment", NS, "namespace-watcher", C0 + "/resources/requests/memory", "256Mi"),
                        "memory request 256 MiB != limit 512 MiB"),
                // metrics
                broken("metrics Service missing", "metrics", drop("Service", NS, "grant-service-metrics"),
                        "Deployment grantflow/grant-service has no metrics Service"),
                broken("metrics Service on the webhook port", "metrics",
                        set("Service", NS, "admission-service-metrics", "/spec/ports/0/targetPort", "https"),
                        "Deployment grantflow/admission-service has no metrics Service"),
                // releases
                broken("latest image", "releases",
                        set("Deployment", NS, "grant-service", C0 + "/image", "grantflow/grant-service:latest"),
                        "runs image grantflow/grant-service:latest, not tagged with the project version"),
                broken("untagged image", "releases",
                        set("Deployment", NS, "grant-service", C0 + "/image", "registry.example.com:5000/grant-service"),
                        "not tagged with the project version"),
                broken("version label missing", "releases",
                        remove("Service", NS, "grant-service", "/metadata/labels/app.kubernetes.io~1version"),
                        "Service grantflow/grant-service is not labelled app.kubernetes.io/version"),
                // RBAC
                broken("grant-service may patch", "rbac",
                        add("ClusterRole", null, "grantflow-grant-service", "/rules/0/verbs", "patch"),
                        "broader than its code needs: [patch core/secrets in cluster]"),
                broken("wildcard resource", "rbac",
                        set("ClusterRole", null, "grantflow-namespace-watcher", "/rules/0/resources", List.of("*")),
                        "uses a wildcard"),
                broken("Lease create missing", "rbac",
                        remove("Role", NS, "namespace-watcher-leader-election", "/rules/0"),
                        "lacks permissions its code uses: [create coordination.k8s.io/leases in grantflow]"),
                broken("any Lease", "rbac",
                        remove("Role", NS, "namespace-watcher-leader-election", "/rules/1/resourceNames"),
                        "broader than its code needs: [get coordination.k8s.io/leases in grantflow"),
                broken("admission-service may read Secrets", "rbac",
                        add("ClusterRole", null, "grantflow-admission-service", "/rules",
                                Map.of("apiGroups", List.of(""), "resources", List.of("secrets"),
                                        "verbs", List.of("get"))),
                        "broader than its code needs: [get core/secrets in cluster]"),
                broken("binding to a group", "rbac",
                        set("ClusterRoleBinding", null, "grantflow-admission-service", "/subjects/0",
                                Map.of("kind", "Group", "name", "system:serviceaccounts")),
                        "binds Group /system:serviceaccounts"),
                broken("watcher unbound", "rbac", drop("ClusterRoleBinding", null, "grantflow-namespace-watcher"),
                        "lacks permissions its code uses: [list core/namespaces in cluster, watch core/namespaces"),
                broken("binding to a missing role", "rbac",
                        set("ClusterRoleBinding", null, "grantflow-grant-service", "/roleRef/name", "grant-service"),
                        "refers to ClusterRole grant-service, which is not in the rendering"));
    }

    static Stream<Arguments> brokenOverlays() {
        return Stream.of(
                broken("DLQ compacted", "topics",
                        set("KafkaTopic", "kafka", "grantflow-grants-v1-dlq", "/spec/config/cleanup.policy", "compact"),
                        "cleanup.policy is compact, the model says delete"),
                broken("tenants topic not compacted", "topics",
                        remove("KafkaTopic", "kafka", "grantflow-tenants-v1", "/spec/config"),
                        "cleanup.policy is null, the model says compact"),
                broken("topic missing", "topics", drop("KafkaTopic", "kafka", "grantflow-grant-status-v1"),
                        "are not the model's"),
                broken("topic renamed", "topics",
                        set("KafkaTopic", "kafka", "grantflow-grants-v1", "/spec/topicName", "grantflow.grants"),
                        "which is not in Topics.ALL"),
                broken("partitions", "topics",
                        set("KafkaTopic", "kafka", "grantflow-tenants-v1", "/spec/partitions", 1),
                        "has 1 partitions, the model says 3"),
                broken("services connect to another cluster", "topics",
                        set("ConfigMap", NS, "grantflow-kafka", "/data/bootstrap.servers", "kafka:9092"),
                        "not to the topics' cluster my-cluster-kafka-bootstrap.kafka.svc"),
                broken("topics for two clusters", "topics",
                        set("KafkaTopic", "kafka", "grantflow-grants-v1",
                                "/metadata/labels/strimzi.io~1cluster", "other"), "must name one cluster"),
                // replication and the audit topic
                broken("two replicas", "replication",
                        set("KafkaTopic", "kafka", "grantflow-grants-v1", "/spec/replicas", 2),
                        "KafkaTopic kafka/grantflow-grants-v1 has spec.replicas 2, not 3"),
                broken("replicas left to the broker", "replication",
                        remove("KafkaTopic", "kafka", "grantflow-tenants-v1", "/spec/replicas"), "not 3"),
                broken("min ISR 1", "replication",
                        set("KafkaTopic", "kafka", "grantflow-audit-v1", "/spec/config/min.insync.replicas", "1"),
                        "has min.insync.replicas \"1\", not 2"),
                broken("audit topic missing", "audit-topic", drop("KafkaTopic", "kafka", "grantflow-audit-v1"),
                        "0 KafkaTopics create grantflow.audit.v1"),
                broken("audit kept 7 days", "audit-topic",
                        set("KafkaTopic", "kafka", "grantflow-audit-v1", "/spec/config/retention.ms", "604800000"),
                        "retention.ms is \"604800000\", not 34560000000 (400 days)"),
                broken("audit compacted", "audit-topic",
                        set("KafkaTopic", "kafka", "grantflow-audit-v1", "/spec/config/cleanup.policy", "compact"),
                        "the audit history is kept by time"),
                // KafkaUsers
                broken("ACL on a topic the overlay lacks", "kafka-users",
                        set("KafkaUser", NS, "grantflow-grant-service", "/spec/authorization/acls/0/resource/name",
                                "grantflow.grants.v2"), "names a topic the overlay does not create"),
                broken("topics by prefix", "kafka-users",
                        set("KafkaUser", NS, "grantflow-admin", "/spec/authorization/acls/1/resource/patternType",
                                "prefix"), "topics are named literally"),
                broken("a group the service does not use", "kafka-users",
                        set("KafkaUser", NS, "grantflow-grant-service", "/spec/authorization/acls/5/resource/name",
                                "grant-service"), "covers none of the groups grant-service uses"),
                broken("group rule literal: misses the per-instance tenants groups", "kafka-users",
                        set("KafkaUser", NS, "grantflow-grant-service", "/spec/authorization/acls/5/resource/patternType",
                                "literal"), "may not use consumer group grantflow-grant-service-tenants-${quarkus.uuid}"),
                broken("status not writable by grant-service", "kafka-users",
                        set("KafkaUser", NS, "grantflow-grant-service", "/spec/authorization/acls/2/operations",
                                List.of("Read", "Describe")),
                        "cannot write grantflow.grant-status.v1, which grant-service produces to"),
                broken("tenants not writable by the watcher", "kafka-users",
                        set("KafkaUser", NS, "grantflow-namespace-watcher", "/spec/authorization/acls/0/operations",
                                List.of("Read", "Describe")),
                        "cannot write grantflow.tenants.v1, which namespace-watcher produces to"),
                broken("All operations", "kafka-users",
                        set("KafkaUser", NS, "grantflow-admin", "/spec/authorization/acls/2/operations", List.of("All")),
                        "grants All"),
                broken("a cluster rule", "kafka-users",
                        add("KafkaUser", NS, "grantflow-grant-service", "/spec/authorization/acls",
                                Map.of("resource", Map.of("type", "cluster"), "operations", List.of("IdempotentWrite"))),
                        "Grantflow needs no cluster rule"),
                broken("TLS client authentication", "kafka-users",
                        set("KafkaUser", NS, "grantflow-admin", "/spec/authentication/type", "tls"),
                        "authentication is not scram-sha-512"),
                broken("no authorization", "kafka-users",
                        remove("KafkaUser", NS, "grantflow-namespace-watcher", "/spec/authorization"),
                        "authorization is not simple"),
                broken("user of another cluster", "kafka-users",
                        set("KafkaUser", NS, "grantflow-admin", "/metadata/labels/strimzi.io~1cluster", "other"),
                        "is not labelled for the topics' cluster"),
                broken("the admin may read tenants (not in the table)", "kafka-acls",
                        add("KafkaUser", NS, "grantflow-admin", "/spec/authorization/acls",
                                Map.of("resource", Map.of("type", "topic", "name", "grantflow.tenants.v1",
                                        "patternType", "literal"), "operations", List.of("Read"))),
                        "KafkaUser grantflow-admin has more than GrantflowAcls: [grantflow-admin READ TOPIC grantflow.tenants.v1]"),
                broken("grant-service lacks audit", "kafka-acls",
                        remove("KafkaUser", NS, "grantflow-grant-service", "/spec/authorization/acls/4"),
                        "KafkaUser grantflow-grant-service lacks [grantflow-grant-service DESCRIBE TOPIC grantflow.audit.v1"),
                broken("admin user missing", "kafka-acls", drop("KafkaUser", NS, "grantflow-admin"),
                        "are not the principals of GrantflowAcls"),
                // who may write grants
                broken("grant-service may write grants", "grants-writers",
                        set("KafkaUser", NS, "grantflow-grant-service", "/spec/authorization/acls/0/operations",
                                List.of("Read", "Write")),
                        "grantflow.grants.v1 is writable by [grantflow-admin, grantflow-grant-service]"),
                broken("watcher may write every grantflow topic (prefix)", "grants-writers",
                        set("KafkaUser", NS, "grantflow-namespace-watcher", "/spec/authorization/acls/0/resource",
                                Map.of("type", "topic", "name", "grantflow.", "patternType", "prefix")),
                        "writable by [grantflow-admin, grantflow-namespace-watcher]"),
                broken("nobody may write grants", "grants-writers",
                        set("KafkaUser", NS, "grantflow-admin", "/spec/authorization/acls/0/operations",
                                List.of("Read", "Describe")), "is writable by [], expected only grantflow-admin"),
                broken("a Deployment runs as the administrators", "grants-writers",
                        set("Deployment", NS, "grant-service", C0 + "/env/2/valueFrom/secretKeyRef/name",
                                "grantflow-admin"), "reads the administrators' Kafka Secret grantflow-admin"),
                // the services' client security
                broken("JAAS from another user's Secret", "kafka-client-security",
                        set("Deployment", NS, "grant-service", C0 + "/env/2/valueFrom/secretKeyRef/name",
                                "grantflow-namespace-watcher"),
                        "KAFKA_SASL_JAAS_CONFIG is not read from key sasl.jaas.config of Secret grantflow-grant-service"),
                broken("JAAS from the password key", "kafka-client-security",
                        set("Deployment", NS, "namespace-watcher", C0 + "/env/2/valueFrom/secretKeyRef/key", "password"),
                        "of Secret grantflow-namespace-watcher"),
                broken("no SASL at all", "kafka-client-security",
                        remove("Deployment", NS, "grant-service", C0 + "/env/0"),
                        "KAFKA_SECURITY_PROTOCOL is null, not SASL_SSL"),
                broken("SASL without TLS", "kafka-client-security",
                        set("Deployment", NS, "namespace-watcher", C0 + "/env/0/value", "SASL_PLAINTEXT"),
                        "not SASL_SSL"),
                broken("mechanism other than the user's", "kafka-client-security",
                        set("Deployment", NS, "grant-service", C0 + "/env/1/value", "SCRAM-SHA-256"),
                        "its user's is SCRAM-SHA-512"),
                broken("KafkaUser of a service missing", "kafka-client-security",
                        drop("KafkaUser", NS, "grantflow-namespace-watcher"),
                        "has no KafkaUser grantflow/grantflow-namespace-watcher"),
                broken("truststore from another Secret", "kafka-client-security",
                        set("Deployment", NS, "grant-service", POD + "/volumes/0/secret/secretName", "other-ca"),
                        "is not key ca.crt of Secret my-cluster-cluster-ca-cert mounted read-only"),
                broken("truststore path not mounted", "kafka-client-security",
                        set("Deployment", NS, "grant-service", C0 + "/env/4/value", "/etc/ssl/ca.crt"),
                        "KAFKA_SSL_TRUSTSTORE_LOCATION /etc/ssl/ca.crt is not key ca.crt"),
                broken("plain listener", "kafka-client-security",
                        set("ConfigMap", NS, "grantflow-kafka", "/data/bootstrap.servers",
                                "my-cluster-kafka-bootstrap.kafka.svc:9092"), "not to Strimzi's TLS listener"),
                broken("admission-service gets Kafka settings", "kafka-client-security",
                        add("Deployment", NS, "admission-service", C0 + "/env",
                                Map.of("name", "KAFKA_SECURITY_PROTOCOL", "value", "SASL_SSL")),
                        "admission-service does not use Kafka but has Kafka settings"));
    }

    /** Breaks of an operator's Kubeflow rendering with the component (ManifestChecks.kubeflowReplaced). */
    static Stream<Arguments> brokenKubeflow() {
        return Stream.of(
                broken("Kubeflow's webhook configuration still there", "kubeflowReplaced",
                        copyAs(MWC, null, HOOK, "admission-webhook-mutating-webhook-configuration"),
                        "Kubeflow's admission-webhook-mutating-webhook-configuration is still rendered"),
                broken("two pod mutators", "kubeflowReplaced",
                        copyAs(MWC, null, HOOK, "admission-webhook-mutating-webhook-configuration"),
                        ", admission-webhook-mutating-webhook-configuration/apply-poddefault.grantflow.dev"),
                broken("Kubeflow's webhook Deployment still running", "kubeflowReplaced",
                        set("Deployment", "kubeflow", "admission-webhook-deployment", "/spec/replicas", 1),
                        "is not rendered with 0 replicas"),
                broken("Kubeflow's view role removed", "kubeflowReplaced",
                        drop("ClusterRole", null, "admission-webhook-kubeflow-poddefaults-view"),
                        "admission-webhook-kubeflow-poddefaults-view is gone"),
                broken("our webhook on namespaces of another label", "kubeflowReplaced",
                        set(MWC, null, HOOK, "/webhooks/0/namespaceSelector",
                                Map.of("matchLabels", Map.of("grantflow.dev/tenant", "true"))),
                        "pods created in a profile namespace go to [], expected exactly"),
                broken("our webhook off", "kubeflowReplaced", drop(MWC, null, HOOK),
                        "pods created in a profile namespace go to [], expected exactly"),
                broken("Kubeflow's CRD dropped", "kubeflowReplaced",
                        drop("CustomResourceDefinition", null, "poddefaults.kubeflow.org"), "exactly one CRD"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("brokenKubeflow")
    void reportsBrokenKubeflowReplacement(String name, String check, Consumer<Manifests> breakIt, String expected) {
        Manifests broken = ManifestsTest.KUBEFLOW_WITH_GRANTFLOW.copy();
        breakIt.accept(broken);

        assertThat(ManifestChecks.kubeflowReplaced(broken)).anySatisfy(problem -> assertThat(problem).contains(expected));
    }

    @org.junit.jupiter.api.Test
    void kubeflowOverlayCheckRejectsTheCrdAndKubeflowsObjects() {
        List<ObjectNode> withCrd = new java.util.ArrayList<>(
                ManifestsTest.KUBEFLOW.copy().objects());
        withCrd.addAll(ManifestsTest.CRD.copy().objects());
        assertThat(ManifestChecks.kubeflowOverlay(new Manifests(withCrd)))
                .anySatisfy(p -> assertThat(p).contains("CustomResourceDefinition poddefaults.kubeflow.org is Kubeflow's"));
        assertThat(ManifestChecks.kubeflowOverlay(ManifestsTest.KUBEFLOW_WITH_GRANTFLOW))
                .anySatisfy(p -> assertThat(p).contains("Deployment kubeflow/admission-webhook-deployment is one of"));
    }

    private static final String CRD = "CustomResourceDefinition";
    private static final String PODDEFAULTS = "poddefaults.kubeflow.org";
    private static final String SCHEMA = "/spec/versions/0/schema/openAPIV3Schema/properties/spec";
    private static final String VOLUME = SCHEMA + "/properties/volumes/items/properties";
    private static final String SIDECAR = SCHEMA + "/properties/sidecars/items/properties";

    /**
     * Breaks of the standalone CRD (k8s/crd) that kubeflow-crd-schema must report: each makes our CRD accept, keep or
     * refuse something Kubeflow's does not (nested required lists and defaults included).
     */
    static Stream<Arguments> brokenCrd() {
        return Stream.of(
                broken("vsphereVolume.volumePath no longer required", "kubeflow-crd-schema",
                        remove(CRD, null, PODDEFAULTS, VOLUME + "/vsphereVolume/required"),
                        "properties.vsphereVolume.required: Kubeflow's CRD has [\"volumePath\"], ours has none"),
                broken("scaleIO requires less", "kubeflow-crd-schema",
                        set(CRD, null, PODDEFAULTS, VOLUME + "/scaleIO/required", List.of("gateway")),
                        "properties.scaleIO.required: Kubeflow's CRD has [\"gateway\",\"secretRef\",\"system\"], ours [\"gateway\"]"),
                broken("selector no longer required", "kubeflow-crd-schema",
                        remove(CRD, null, PODDEFAULTS, SCHEMA + "/required"),
                        "properties.spec.required: Kubeflow's CRD has [\"selector\"], ours has none"),
                broken("container port protocol without default TCP", "kubeflow-crd-schema",
                        remove(CRD, null, PODDEFAULTS, SIDECAR + "/ports/items/properties/protocol/default"),
                        "properties.protocol.default: Kubeflow's CRD has \"TCP\", ours has none"),
                broken("container ports not a list-map", "kubeflow-crd-schema",
                        remove(CRD, null, PODDEFAULTS, SIDECAR + "/ports/x-kubernetes-list-map-keys"),
                        "ports.x-kubernetes-list-map-keys: Kubeflow's CRD has [\"containerPort\",\"protocol\"], ours has none"),
                broken("resource quantity without its pattern", "kubeflow-crd-schema",
                        remove(CRD, null, PODDEFAULTS, SIDECAR + "/resources/properties/limits/additionalProperties/pattern"),
                        "limits.additionalProperties.pattern: Kubeflow's CRD has"),
                broken("probe port no longer int-or-string", "kubeflow-crd-schema",
                        remove(CRD, null, PODDEFAULTS,
                                SIDECAR + "/livenessProbe/properties/httpGet/properties/port/x-kubernetes-int-or-string"),
                        "port.x-kubernetes-int-or-string: Kubeflow's CRD has true, ours has none"),
                broken("a field Kubeflow's CRD prunes is kept", "kubeflow-crd-schema",
                        set(CRD, null, PODDEFAULTS, SIDECAR + "/lifecycle/properties/postStart/properties/sleep",
                                Map.of("type", "object")),
                        "postStart.properties.sleep: ours has {\"type\":\"object\"}, Kubeflow's CRD has none"),
                broken("a field of another type", "kubeflow-crd-schema",
                        set(CRD, null, PODDEFAULTS, SCHEMA + "/properties/automountServiceAccountToken/type", "string"),
                        "automountServiceAccountToken.type: Kubeflow's CRD has \"boolean\", ours \"string\""),
                broken("a status subresource", "kubeflow-crd-schema",
                        set(CRD, null, PODDEFAULTS, "/spec/versions/0/subresources", Map.of("status", Map.of())),
                        "spec.versions[0].subresources: ours has {\"status\":{}}, Kubeflow's CRD has none"),
                broken("a second version", "kubeflow-crd-schema",
                        add(CRD, null, PODDEFAULTS, "/spec/versions", Map.of("name", "v1beta1", "served", true,
                                "storage", false, "schema", Map.of("openAPIV3Schema", Map.of("type", "object")))),
                        "spec.versions: Kubeflow's CRD has [{"),
                broken("cluster-scoped", "kubeflow-crd-schema", set(CRD, null, PODDEFAULTS, "/spec/scope", "Cluster"),
                        "spec.scope: Kubeflow's CRD has \"Namespaced\", ours \"Cluster\""),
                broken("no CRD", "kubeflow-crd-schema", drop(CRD, null, PODDEFAULTS),
                        "the rendering holds 0 CustomResourceDefinition poddefaults.kubeflow.org"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("brokenCrd")
    void reportsBrokenCrd(String name, String check, Consumer<Manifests> breakIt, String expected) {
        Manifests broken = ManifestsTest.CRD.copy();
        breakIt.accept(broken);

        assertThat(ManifestChecks.CRD_CHECKS.get(check).apply(broken))
                .anySatisfy(problem -> assertThat(problem).contains(expected));
    }

    /** What kubeflow-crd-schema documents as not part of the schema: labels, annotations, the top-level status. */
    @org.junit.jupiter.api.Test
    void crdSchemaCheckIgnoresLabelsAnnotationsAndStatus() {
        Manifests relabelled = ManifestsTest.CRD.copy();
        Stream.of(set(CRD, null, PODDEFAULTS, "/metadata/labels", Map.of("app.kubernetes.io/part-of", "grantflow")),
                set(CRD, null, PODDEFAULTS, "/metadata/annotations",
                        Map.of("controller-gen.kubebuilder.io/version", "v0.16.4")),
                set(CRD, null, PODDEFAULTS, "/status", Map.of("storedVersions", List.of("v1alpha1"))))
                .forEach(edit -> edit.accept(relabelled));

        assertThat(ManifestChecks.kubeflowCrdSchema(relabelled)).isEmpty();
    }

    /** A schema that differs everywhere is reported in a bounded list, ending with how many more there are. */
    @org.junit.jupiter.api.Test
    void crdSchemaCheckBoundsItsReport() {
        Manifests emptied = ManifestsTest.CRD.copy();
        Stream.of(VOLUME, SIDECAR + "/env/items/properties", SIDECAR + "/livenessProbe/properties")
                .forEach(properties -> set(CRD, null, PODDEFAULTS, properties, Map.of()).accept(emptied));

        assertThat(ManifestChecks.kubeflowCrdSchema(emptied)).hasSize(41)
                .last().asString().matches("\\.\\.\\. and \\d+ more differences from Kubeflow's CRD");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("brokenManifests")
    void reportsBrokenBase(String name, String check, Consumer<Manifests> breakIt, String expected) {
        assertReported(ManifestsTest.BASE, check, breakIt, expected);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("brokenOverlays")
    void reportsBrokenStrimziOverlay(String name, String check, Consumer<Manifests> breakIt, String expected) {
        assertReported(ManifestsTest.STRIMZI, check, breakIt, expected);
    }

    private static void assertReported(Manifests real, String check, Consumer<Manifests> breakIt, String expected) {
        Manifests broken = real.copy();
        breakIt.accept(broken);

        var checks = ManifestChecks.STRIMZI_CHECKS.containsKey(check) ? ManifestChecks.STRIMZI_CHECKS
                : ManifestChecks.CHECKS;
        List<String> problems = checks.get(check).apply(broken);

        assertThat(problems).anySatisfy(problem -> assertThat(problem).contains(expected));
    }

    // ---- edits -----------------------------------------------------------------------------------------------------

    private static Arguments broken(String name, String check, Consumer<Manifests> edit, String expected) {
        return Arguments.of(name, check, edit, expected);
    }

    private static Consumer<Manifests> set(String kind, String ns, String name, String pointer, Object value) {
        return m -> edit(m.get(kind, ns, name), pointer, (parent, last) -> {
            JsonNode node = JSON.valueToTree(value);
            if (parent instanceof ArrayNode array) {
                array.set(Integer.parseInt(last), node);
            } else {
                ((ObjectNode) parent).set(last, node);
            }
        });
    }

    /** Appends to the array at the pointer. */
    private static Consumer<Manifests> add(String kind, String ns, String name, String pointer, Object value) {
        return m -> ((ArrayNode) m.get(kind, ns, name).at(pointer)).add(JSON.<JsonNode>valueToTree(value));
    }

    private static Consumer<Manifests> remove(String kind, String ns, String name, String pointer) {
        return m -> edit(m.get(kind, ns, name), pointer, (parent, last) -> {
            if (parent instanceof ArrayNode array) {
                array.remove(Integer.parseInt(last));
            } else {
                ((ObjectNode) parent).remove(last);
            }
        });
    }

    /** Adds a copy of the object under another name. */
    private static Consumer<Manifests> copyAs(String kind, String ns, String name, String newName) {
        return m -> {
            ObjectNode copy = m.get(kind, ns, name).deepCopy();
            ((ObjectNode) copy.path("metadata")).put("name", newName);
            m.objects().add(copy);
        };
    }

    private static Consumer<Manifests> drop(String kind, String ns, String name) {
        return m -> m.objects().remove(m.get(kind, ns, name));
    }

    private static void edit(ObjectNode object, String pointer, java.util.function.BiConsumer<JsonNode, String> op) {
        JsonPointer p = JsonPointer.compile(pointer);
        JsonNode parent = object.at(p.head());
        if (parent.isMissingNode()) {
            throw new IllegalArgumentException("no " + p.head() + " in " + Manifests.describe(object));
        }
        op.accept(parent, p.last().getMatchingProperty());
    }
}
