package dev.grantflow.admission.domain;

import com.fasterxml.jackson.databind.JsonNode;
import dev.grantflow.model.kubernetes.CompiledLabelSelector;
import dev.grantflow.model.kubernetes.InvalidLabelSelectorException;
import dev.grantflow.model.kubernetes.KubernetesNames;
import dev.grantflow.model.poddefault.PodDefault;
import dev.grantflow.model.poddefault.PodDefaultSpec;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.VolumeMount;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The validating webhook for PodDefault CREATE/UPDATE (D8). Rejects what would break pod admission or pod
 * creation later (unconvertible selectors, nested objects the API server would refuse in a pod) and warns
 * about what the Jupyter web app cannot handle. Pure.
 */
public final class PodDefaultValidationPolicy {

    private static final Set<String> TOLERATION_OPERATORS = Set.of("", "Exists", "Equal");
    private static final Set<String> TAINT_EFFECTS = Set.of("", "NoSchedule", "PreferNoSchedule", "NoExecute");
    private final boolean rejectWithoutMatchLabels;

    /**
     * @param rejectWithoutMatchLabels reject, rather than warn about, a PodDefault without matchLabels
     */
    public PodDefaultValidationPolicy(boolean rejectWithoutMatchLabels) {
        this.rejectWithoutMatchLabels = rejectWithoutMatchLabels;
    }

    public AdmissionDecision decide(AdmissionRequest request) {
        boolean relevant = request.isResource(PodDefault.GROUP, PodDefault.VERSION, PodDefault.PLURAL)
                && ("CREATE".equals(request.operation()) || "UPDATE".equals(request.operation()));
        if (!relevant) {
            return AdmissionDecision.Allow.because(AdmissionReason.NOT_APPLICABLE);
        }
        JsonNode object = request.object();
        String name = object == null ? request.name() : object.path("metadata").path("name").asText(request.name());
        if (object == null || !object.isObject()) {
            return deny(name, List.of("object: expected a PodDefault object"));
        }
        PodDefault podDefault;
        try {
            podDefault = PodDefaultJson.read(object);
        } catch (IOException e) {
            String m = String.valueOf(e.getMessage());
            return deny(name, List.of("cannot decode: " + (m.indexOf('\n') < 0 ? m : m.substring(0, m.indexOf('\n')))));
        }
        List<String> problems = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        PodDefaultSpec spec = podDefault.getSpec();
        if (spec == null) {
            return deny(name, List.of("spec: required"));
        }
        if (spec.getSelector() == null) {
            problems.add("spec.selector: required");
        } else {
            try {
                CompiledLabelSelector.compile(spec.getSelector());
            } catch (InvalidLabelSelectorException e) {
                problems.add("spec.selector: " + e.getMessage());
            }
            Map<String, String> matchLabels = spec.getSelector().getMatchLabels();
            if ((matchLabels == null || matchLabels.isEmpty()) && rejectWithoutMatchLabels) {
                problems.add("spec.selector.matchLabels: required (the Jupyter web app selects PodDefaults by their first matchLabels key)");
            } else if (matchLabels == null || matchLabels.isEmpty()) {
                warnings.add(PodDefaultPolicy.truncate("PodDefault " + name + " has no spec.selector.matchLabels: the Jupyter web app "
                        + "cannot list it under Configurations (Kubeflow's web app fails for the whole namespace)"));
            } else {
                String first = matchLabels.keySet().stream().sorted().findFirst().orElseThrow();
                if (!"true".equals(matchLabels.get(first))) {
                    warnings.add(PodDefaultPolicy.truncate("PodDefault " + name + ": the Jupyter web app selects it by setting label "
                            + first + "=\"true\", which does not match spec.selector.matchLabels"));
                }
            }
        }
        env(spec.getEnv(), problems);
        envFrom(spec.getEnvFrom(), problems);
        volumes(object.path("spec").path("volumes"), problems);
        volumeMounts(spec.getVolumeMounts(), problems);
        tolerations(spec.getTolerations(), problems);
        imagePullSecrets(spec.getImagePullSecrets(), problems);
        containers("spec.initContainers", spec.getInitContainers(), problems);
        containers("spec.sidecars", spec.getSidecars(), problems);
        labels(spec.getLabels(), problems);
        annotations(spec.getAnnotations(), problems);
        if (spec.getServiceAccountName() != null && !spec.getServiceAccountName().isEmpty()
                && !KubernetesNames.isDns1123Subdomain(spec.getServiceAccountName())) {
            problems.add("spec.serviceAccountName: \"" + spec.getServiceAccountName() + "\" is not a valid DNS subdomain name");
        }
        if (!problems.isEmpty()) {
            return new AdmissionDecision.Deny(AdmissionReason.INVALID_PODDEFAULT,
                    "PodDefault " + name + " is invalid: " + String.join("; ", problems), warnings);
        }
        return new AdmissionDecision.Allow(AdmissionReason.VALID, warnings);
    }

    private static AdmissionDecision deny(String name, List<String> problems) {
        return new AdmissionDecision.Deny(AdmissionReason.INVALID_PODDEFAULT,
                "PodDefault " + name + " is invalid: " + String.join("; ", problems), List.of());
    }

    private static void env(List<EnvVar> env, List<String> problems) {
        for (int i = 0; env != null && i < env.size(); i++) {
            EnvVar e = env.get(i);
            String at = "spec.env[" + i + "]";
            if (e == null || isEmpty(e.getName())) {
                problems.add(at + ".name: required");
                continue;
            }
            if (e.getName().indexOf('=') >= 0) {
                problems.add(at + ".name: must not contain '='");
            }
            if (!isEmpty(e.getValue()) && e.getValueFrom() != null) {
                problems.add(at + ": may not have both value and valueFrom");
            }
        }
    }

    private static void envFrom(List<EnvFromSource> envFrom, List<String> problems) {
        for (int i = 0; envFrom != null && i < envFrom.size(); i++) {
            EnvFromSource e = envFrom.get(i);
            int sources = e == null ? 0 : (e.getConfigMapRef() != null ? 1 : 0) + (e.getSecretRef() != null ? 1 : 0);
            if (sources != 1) {
                problems.add("spec.envFrom[" + i + "]: must specify exactly one of configMapRef, secretRef");
            }
        }
    }

    /** Checked on the raw JSON: the number of volume sources is what matters, whatever fabric8 knows of them. */
    private static void volumes(JsonNode volumes, List<String> problems) {
        if (!volumes.isArray()) {
            return;
        }
        Set<String> names = new HashSet<>();
        for (int i = 0; i < volumes.size(); i++) {
            JsonNode v = volumes.get(i);
            String at = "spec.volumes[" + i + "]";
            String name = v.path("name").asText("");
            if (name.isEmpty()) {
                problems.add(at + ".name: required");
            } else if (!KubernetesNames.isDns1123Label(name)) {
                problems.add(at + ".name: \"" + name + "\" is not a valid DNS label");
            } else if (!names.add(name)) {
                problems.add(at + ".name: duplicate volume \"" + name + "\"");
            }
            int sources = 0;
            Iterator<String> fields = v.fieldNames();
            while (fields.hasNext()) {
                String f = fields.next();
                if (!"name".equals(f) && !v.get(f).isNull()) {
                    sources++;
                }
            }
            if (sources > 1) {
                problems.add(at + ": may not specify more than one volume source");
            }
        }
    }

    private static void volumeMounts(List<VolumeMount> mounts, List<String> problems) {
        Set<String> paths = new HashSet<>();
        for (int i = 0; mounts != null && i < mounts.size(); i++) {
            VolumeMount m = mounts.get(i);
            String at = "spec.volumeMounts[" + i + "]";
            if (m == null || isEmpty(m.getName())) {
                problems.add(at + ".name: required");
            }
            if (m == null || isEmpty(m.getMountPath())) {
                problems.add(at + ".mountPath: required");
            } else if (!paths.add(m.getMountPath())) {
                problems.add(at + ".mountPath: \"" + m.getMountPath() + "\" is mounted more than once");
            }
            if (m != null && !isEmpty(m.getSubPath())) {
                String sp = m.getSubPath();
                if (sp.startsWith("/") || List.of(sp.split("/")).contains("..")) {
                    problems.add(at + ".subPath: must be a relative path without '..'");
                }
            }
        }
    }

    private static void tolerations(List<Toleration> tolerations, List<String> problems) {
        for (int i = 0; tolerations != null && i < tolerations.size(); i++) {
            Toleration t = tolerations.get(i);
            if (t == null) {
                continue;
            }
            String at = "spec.tolerations[" + i + "]";
            String op = t.getOperator() == null ? "" : t.getOperator();
            if (!TOLERATION_OPERATORS.contains(op)) {
                problems.add(at + ".operator: \"" + op + "\" is not one of Exists, Equal");
            }
            if ("Exists".equals(op) && !isEmpty(t.getValue())) {
                problems.add(at + ".value: must be empty when operator is Exists");
            }
            if (isEmpty(t.getKey()) && !"Exists".equals(op)) {
                problems.add(at + ".operator: must be Exists when key is empty");
            }
            if (!isEmpty(t.getKey())) {
                KubernetesNames.labelKeyProblem(t.getKey()).ifPresent(p -> problems.add(at + ".key: " + p));
            }
            String effect = t.getEffect() == null ? "" : t.getEffect();
            if (!TAINT_EFFECTS.contains(effect)) {
                problems.add(at + ".effect: \"" + effect + "\" is not one of NoSchedule, PreferNoSchedule, NoExecute");
            }
            if (t.getTolerationSeconds() != null && !"NoExecute".equals(effect)) {
                problems.add(at + ".effect: must be NoExecute when tolerationSeconds is set");
            }
        }
    }

    private static void imagePullSecrets(List<LocalObjectReference> refs, List<String> problems) {
        for (int i = 0; refs != null && i < refs.size(); i++) {
            if (refs.get(i) == null || isEmpty(refs.get(i).getName())) {
                problems.add("spec.imagePullSecrets[" + i + "].name: required");
            }
        }
    }

    private static void containers(String where, List<Container> containers, List<String> problems) {
        Set<String> names = new HashSet<>();
        for (int i = 0; containers != null && i < containers.size(); i++) {
            Container c = containers.get(i);
            String at = where + "[" + i + "]";
            if (c == null || isEmpty(c.getName())) {
                problems.add(at + ".name: required");
            } else if (!KubernetesNames.isDns1123Label(c.getName())) {
                problems.add(at + ".name: \"" + c.getName() + "\" is not a valid DNS label");
            } else if (!names.add(c.getName())) {
                problems.add(at + ".name: duplicate container \"" + c.getName() + "\"");
            }
            if (c != null && isEmpty(c.getImage())) {
                problems.add(at + ".image: required");
            }
        }
    }

    private static void labels(Map<String, String> labels, List<String> problems) {
        if (labels == null) {
            return;
        }
        labels.forEach((k, v) -> KubernetesNames.labelKeyProblem(k).or(() -> KubernetesNames.labelValueProblem(v))
                .ifPresent(p -> problems.add("spec.labels: " + p)));
    }

    private static void annotations(Map<String, String> annotations, List<String> problems) {
        if (annotations == null) {
            return;
        }
        annotations.keySet().forEach(k -> KubernetesNames.labelKeyProblem(k).ifPresent(p -> problems.add("spec.annotations: " + p)));
    }

    private static boolean isEmpty(String s) {
        return s == null || s.isEmpty();
    }
}
