package dev.grantflow.admission.domain;

/** Read access to the PodDefaults of a namespace, e.g. the informer cache. Must not block or call the API. */
@FunctionalInterface
public interface PodDefaultLookup {

    PodDefaultSnapshot inNamespace(String namespace);
}
