package dev.grantflow.model.poddefault;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Kubeflow's PodDefault status: an empty object that nothing writes. Kept so that objects round-trip.
 *
 * <p>Whatever a cluster stores there is kept in {@link #getAdditionalProperties()}, like fabric8's own model classes
 * do. This also makes the class serializable by any {@code ObjectMapper}: an object without properties would
 * otherwise fail with {@code FAIL_ON_EMPTY_BEANS}, which is on by default (e.g. in a plain {@code new ObjectMapper()}).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class PodDefaultStatus {

    private final Map<String, Object> additionalProperties = new LinkedHashMap<>();

    /** Fields this model does not know; empty for everything Kubeflow writes. */
    @JsonAnyGetter
    public Map<String, Object> getAdditionalProperties() {
        return additionalProperties;
    }

    @JsonAnySetter
    public void setAdditionalProperty(String name, Object value) {
        additionalProperties.put(name, value);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PodDefaultStatus other && additionalProperties.equals(other.additionalProperties);
    }

    @Override
    public int hashCode() {
        return Objects.hash(PodDefaultStatus.class, additionalProperties);
    }
}
