package dev.grantflow.admission.domain;

import dev.grantflow.model.kubernetes.CompiledLabelSelector;
import java.util.Map;

/**
 * A PodDefault converted once (per informer event) into what admission decisions need, and nothing more: its
 * namespace, name and resourceVersion, its selector compiled (or the reason it cannot be), and what it injects as
 * compact JSON text ({@link InjectedJson}) that the merge decodes for the PodDefaults matching a pod. This is the
 * form the cache holds for every PodDefault of the cluster, so it is kept small (docs/benchmarks.md: well under a
 * KiB per PodDefault): no typed client objects, no JSON trees, the selector and the injected JSON shared between
 * PodDefaults that have identical ones (see {@link PodDefaultMapper.Sharing}). Immutable and thread-safe.
 */
public final class PreparedPodDefault {

    private final String namespace;
    private final String name;
    private final String resourceVersion;
    private final PodDefaultSelector selector;
    private final InjectedJson injected;

    PreparedPodDefault(String namespace, String name, String resourceVersion, PodDefaultSelector selector, InjectedJson injected) {
        this.namespace = namespace;
        this.name = name;
        this.resourceVersion = resourceVersion;
        this.selector = selector;
        this.injected = injected;
    }

    public String namespace() {
        return namespace;
    }

    public String name() {
        return name;
    }

    public String resourceVersion() {
        return resourceVersion;
    }

    /** The compiled selector; {@code null} exactly when {@link #selectorError()} is set. */
    public CompiledLabelSelector selector() {
        return selector.compiled();
    }

    /** Why the selector cannot be converted, or {@code null}. */
    public String selectorError() {
        return selector.error();
    }

    /** The selector as JSON text, for messages. */
    public String selectorText() {
        return selector.text();
    }

    public boolean hasValidSelector() {
        return selector.compiled() != null;
    }

    public boolean matches(Map<String, String> podLabels) {
        CompiledLabelSelector compiled = selector.compiled();
        return compiled != null && compiled.matches(podLabels);
    }

    /** {@code namespace/name}, for logs. */
    public String key() {
        return namespace + "/" + name;
    }

    /** What this PodDefault injects, as shared read-only JSON trees (the merge's input). */
    PodDefaultParts parts() {
        return injected.decode(name, resourceVersion);
    }

    /** The shared parts, for tests of the sharing. */
    PodDefaultSelector sharedSelector() {
        return selector;
    }

    InjectedJson injectedJson() {
        return injected;
    }

    @Override
    public String toString() {
        return "PreparedPodDefault[" + key() + " rv " + resourceVersion + "]";
    }
}
