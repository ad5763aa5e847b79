package dev.grantflow.model.poddefault;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import io.fabric8.kubernetes.api.model.DefaultKubernetesResourceList;

/**
 * {@code PodDefaultList}, as returned by a LIST of {@code poddefaults.kubeflow.org}. Deserialized as a plain bean, like
 * {@link PodDefault} (see there).
 */
@JsonDeserialize(using = JsonDeserializer.None.class)
@JsonIgnoreProperties(ignoreUnknown = true)
public class PodDefaultList extends DefaultKubernetesResourceList<PodDefault> {
}
