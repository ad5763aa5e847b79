package dev.grantflow.model.poddefault;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.fabric8.kubernetes.api.model.DefaultKubernetesResourceList;

/** {@code PodDefaultList}, as returned by a LIST of {@code poddefaults.kubeflow.org}. */
@JsonIgnoreProperties(ignoreUnknown = true)
public class PodDefaultList extends DefaultKubernetesResourceList<PodDefault> {
}
