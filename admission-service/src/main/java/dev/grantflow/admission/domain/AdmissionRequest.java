package dev.grantflow.admission.domain;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The parts of an AdmissionReview request the webhooks use.
 *
 * @param apiVersion the review's apiVersion, echoed in the answer (D6)
 * @param kind       the review's kind, echoed in the answer (D6)
 * @param object     {@code request.object}, or {@code null}
 */
public record AdmissionRequest(
        String apiVersion,
        String kind,
        String uid,
        String group,
        String version,
        String resource,
        String subResource,
        String operation,
        String namespace,
        String name,
        JsonNode object) {

    public boolean isResource(String group, String version, String resource) {
        return group.equals(this.group) && version.equals(this.version) && resource.equals(this.resource)
                && (subResource == null || subResource.isEmpty());
    }
}
