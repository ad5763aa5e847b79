package dev.grantflow.admission.domain;

/**
 * Why an admission request got its answer. The {@link #label()} appears in logs and as the {@code reason} tag of
 * the decision metrics.
 */
public enum AdmissionReason {
    /** The request is not a CREATE of a core/v1 pod (or of a PodDefault, for the validating webhook). */
    NOT_APPLICABLE("NotApplicable"),
    /** Annotation {@code poddefault.admission.kubeflow.org/exclude: "true"}. */
    EXCLUDED("Excluded"),
    /** Mirror pod (annotation {@code kubernetes.io/config.mirror}). */
    MIRROR_POD("MirrorPod"),
    /** The namespace has no PodDefaults. */
    NO_PODDEFAULTS("NoPodDefaults"),
    /** No PodDefault selector matches the pod's labels. */
    NO_MATCH("NoMatch"),
    /** Matching PodDefaults were merged into the pod. */
    APPLIED("Applied"),
    /** Matching PodDefaults conflict with the pod or with each other (docs/poddefault-spec.md section 5). */
    CONFLICT("Conflict"),
    /** The request's object cannot be read as a pod. */
    INVALID_POD("InvalidPod"),
    /** Kubeflow-compatible mode only: a PodDefault of the namespace has an unconvertible selector. */
    INVALID_SELECTOR("InvalidSelector"),
    /** Validating webhook: the PodDefault is acceptable (possibly with warnings). */
    VALID("Valid"),
    /** Validating webhook: the PodDefault is invalid. */
    INVALID_PODDEFAULT("InvalidPodDefault");

    private final String label;

    AdmissionReason(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
