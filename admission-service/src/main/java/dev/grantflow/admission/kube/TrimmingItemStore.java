package dev.grantflow.admission.kube;

import dev.grantflow.model.poddefault.PodDefault;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.client.informers.cache.BasicItemStore;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import java.util.Map;

/**
 * The informer's own store, keeping PodDefaults without what the webhook never reads: {@code managedFields} (added
 * by real API servers to every object, often larger than the spec) and the
 * {@code kubectl.kubernetes.io/last-applied-configuration} annotation (a second copy of the whole object).
 * Objects are freshly decoded per event, so trimming them before they are stored and handed to the handlers is safe.
 */
final class TrimmingItemStore extends BasicItemStore<PodDefault> {

    static final String LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration";

    TrimmingItemStore() {
        super(Cache::metaNamespaceKeyFunc);
    }

    @Override
    public PodDefault put(String key, PodDefault podDefault) {
        return super.put(key, trim(podDefault));
    }

    static PodDefault trim(PodDefault podDefault) {
        ObjectMeta meta = podDefault.getMetadata();
        if (meta != null) {
            meta.setManagedFields(null);
            Map<String, String> annotations = meta.getAnnotations();
            if (annotations != null && annotations.containsKey(LAST_APPLIED)) {
                annotations.remove(LAST_APPLIED);
            }
        }
        return podDefault;
    }
}
