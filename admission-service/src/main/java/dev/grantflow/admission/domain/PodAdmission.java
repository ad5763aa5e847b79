package dev.grantflow.admission.domain;

import java.util.List;

/**
 * A pod admission decision with what logs and metrics need to describe it.
 *
 * @param namespace          the pod's effective namespace (its own, else the request's)
 * @param pod                the pod's name, else {@code generateName} followed by {@code *}, else empty
 * @param matched            names of the matching PodDefaults, in merge order
 * @param skipped            names of PodDefaults skipped for an unconvertible selector (D1)
 */
public record PodAdmission(AdmissionDecision decision, String namespace, String pod, List<String> matched, List<String> skipped) {

    public PodAdmission {
        matched = List.copyOf(matched);
        skipped = List.copyOf(skipped);
    }

    static PodAdmission of(AdmissionDecision decision) {
        return new PodAdmission(decision, "", "", List.of(), List.of());
    }
}
