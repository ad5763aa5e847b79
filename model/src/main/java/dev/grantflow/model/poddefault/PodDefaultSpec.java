package dev.grantflow.model.poddefault;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The spec of a Kubeflow PodDefault: exactly the fields of Kubeflow's {@code PodDefaultSpec} (see
 * {@code docs/poddefault-spec.md} section 1), nothing more. Absent fields stay {@code null} so that a PodDefault
 * round-trips through JSON unchanged.
 *
 * <p>The shipped CRD ({@code k8s/crd/poddefaults.kubeflow.org.yaml}) is Kubeflow's own, not generated from this class;
 * {@code PodDefaultCrdTest} in the model tests checks that they agree field for field. {@code selector} is marked
 * {@code @JsonProperty(required = true)} as in the CRD (Jackson does not enforce that on setter-based beans, so a
 * PodDefault without selector still deserializes; the admission service reports it).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonPropertyOrder({"selector", "desc", "serviceAccountName", "automountServiceAccountToken", "env", "envFrom", "volumes", "volumeMounts", "annotations", "labels", "tolerations", "imagePullSecrets", "initContainers", "sidecars", "command", "args"})
public class PodDefaultSpec {

    /** Which pods (by pod labels) get this PodDefault; the only required field. */
    @JsonProperty(required = true)
    @JsonPropertyDescription("Selects the pods, by pod labels, that get this PodDefault. Required.")
    private LabelSelector selector;

    /** Human description, shown by the Jupyter web app. */
    @JsonPropertyDescription("Human description of the PodDefault, shown by the Jupyter web app.")
    private String desc;

    /** Overwrites the pod's service account when set. */
    @JsonPropertyDescription("Service account name to set on the pod; overwrites the pod's value.")
    private String serviceAccountName;

    /** Overwrites the pod's value when set. */
    @JsonPropertyDescription("Overwrites the pod's automountServiceAccountToken when set.")
    private Boolean automountServiceAccountToken;

    /** Injected into every container of spec.containers. */
    @JsonPropertyDescription("Environment variables injected into every container in the pod's spec.containers.")
    private List<EnvVar> env;

    /** Appended to every container of spec.containers. */
    @JsonPropertyDescription("Sources of environment variables appended to every container in the pod's spec.containers.")
    private List<EnvFromSource> envFrom;

    /** Added to the pod. */
    @JsonPropertyDescription("Volumes added to the pod.")
    private List<Volume> volumes;

    /** Injected into every container of spec.containers. */
    @JsonPropertyDescription("Volume mounts injected into every container in the pod's spec.containers.")
    private List<VolumeMount> volumeMounts;

    /** Added to the pod's metadata. */
    @JsonPropertyDescription("Annotations added to the pod's metadata.")
    private Map<String, String> annotations;

    /** Added to the pod's metadata. */
    @JsonPropertyDescription("Labels added to the pod's metadata.")
    private Map<String, String> labels;

    /** Added to the pod. */
    @JsonPropertyDescription("Tolerations added to the pod.")
    private List<Toleration> tolerations;

    /** Added to the pod. */
    @JsonPropertyDescription("Image pull secrets added to the pod.")
    private List<LocalObjectReference> imagePullSecrets;

    /** Appended to spec.initContainers. */
    @JsonPropertyDescription("Containers appended to the pod's spec.initContainers.")
    private List<Container> initContainers;

    /** Appended to spec.containers. */
    @JsonPropertyDescription("Containers appended to the pod's spec.containers.")
    private List<Container> sidecars;

    /** Set on containers that have none. */
    @JsonPropertyDescription("Command set on containers that have none.")
    private List<String> command;

    /** Set on containers that have none. */
    @JsonPropertyDescription("Arguments set on containers that have none.")
    private List<String> args;

    public PodDefaultSpec() {
    }

    public LabelSelector getSelector() {
        return selector;
    }

    public void setSelector(LabelSelector selector) {
        this.selector = selector;
    }

    public String getDesc() {
        return desc;
    }

    public void setDesc(String desc) {
        this.desc = desc;
    }

    public String getServiceAccountName() {
        return serviceAccountName;
    }

    public void setServiceAccountName(String serviceAccountName) {
        this.serviceAccountName = serviceAccountName;
    }

    public Boolean getAutomountServiceAccountToken() {
        return automountServiceAccountToken;
    }

    public void setAutomountServiceAccountToken(Boolean automountServiceAccountToken) {
        this.automountServiceAccountToken = automountServiceAccountToken;
    }

    public List<EnvVar> getEnv() {
        return env;
    }

    public void setEnv(List<EnvVar> env) {
        this.env = env;
    }

    public List<EnvFromSource> getEnvFrom() {
        return envFrom;
    }

    public void setEnvFrom(List<EnvFromSource> envFrom) {
        this.envFrom = envFrom;
    }

    public List<Volume> getVolumes() {
        return volumes;
    }

    public void setVolumes(List<Volume> volumes) {
        this.volumes = volumes;
    }

    public List<VolumeMount> getVolumeMounts() {
        return volumeMounts;
    }

    public void setVolumeMounts(List<VolumeMount> volumeMounts) {
        this.volumeMounts = volumeMounts;
    }

    public Map<String, String> getAnnotations() {
        return annotations;
    }

    public void setAnnotations(Map<String, String> annotations) {
        this.annotations = annotations;
    }

    public Map<String, String> getLabels() {
        return labels;
    }

    public void setLabels(Map<String, String> labels) {
        this.labels = labels;
    }

    public List<Toleration> getTolerations() {
        return tolerations;
    }

    public void setTolerations(List<Toleration> tolerations) {
        this.tolerations = tolerations;
    }

    public List<LocalObjectReference> getImagePullSecrets() {
        return imagePullSecrets;
    }

    public void setImagePullSecrets(List<LocalObjectReference> imagePullSecrets) {
        this.imagePullSecrets = imagePullSecrets;
    }

    public List<Container> getInitContainers() {
        return initContainers;
    }

    public void setInitContainers(List<Container> initContainers) {
        this.initContainers = initContainers;
    }

    public List<Container> getSidecars() {
        return sidecars;
    }

    public void setSidecars(List<Container> sidecars) {
        this.sidecars = sidecars;
    }

    public List<String> getCommand() {
        return command;
    }

    public void setCommand(List<String> command) {
        this.command = command;
    }

    public List<String> getArgs() {
        return args;
    }

    public void setArgs(List<String> args) {
        this.args = args;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof PodDefaultSpec other)) {
            return false;
        }
        return Objects.equals(selector, other.selector)
                && Objects.equals(desc, other.desc)
                && Objects.equals(serviceAccountName, other.serviceAccountName)
                && Objects.equals(automountServiceAccountToken, other.automountServiceAccountToken)
                && Objects.equals(env, other.env)
                && Objects.equals(envFrom, other.envFrom)
                && Objects.equals(volumes, other.volumes)
                && Objects.equals(volumeMounts, other.volumeMounts)
                && Objects.equals(annotations, other.annotations)
                && Objects.equals(labels, other.labels)
                && Objects.equals(tolerations, other.tolerations)
                && Objects.equals(imagePullSecrets, other.imagePullSecrets)
                && Objects.equals(initContainers, other.initContainers)
                && Objects.equals(sidecars, other.sidecars)
                && Objects.equals(command, other.command)
                && Objects.equals(args, other.args);
    }

    @Override
    public int hashCode() {
        return Objects.hash(selector, desc, serviceAccountName, automountServiceAccountToken, env, envFrom, volumes, volumeMounts, annotations, labels, tolerations, imagePullSecrets, initContainers, sidecars, command, args);
    }
}
