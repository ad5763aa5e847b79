package dev.grantflow.model.poddefault;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/** Kubeflow's PodDefault status: an empty object that nothing writes. Kept so that objects round-trip. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public class PodDefaultStatus {

    @Override
    public boolean equals(Object o) {
        return o instanceof PodDefaultStatus;
    }

    @Override
    public int hashCode() {
        return PodDefaultStatus.class.hashCode();
    }
}
