package dev.grantflow.admission.kube;

import dev.grantflow.admission.domain.PreparedPodDefault;
import dev.grantflow.model.poddefault.PodDefault;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.fabric8.kubernetes.client.informers.cache.ItemStore;
import java.util.stream.Stream;

/**
 * The informer's store, kept in the {@link PodDefaultCache} itself: an object the informer puts is prepared into its
 * compact form and goes straight into the cache, and nothing else of it is kept (no typed object, no
 * {@code managedFields}, no last-applied annotation, no JSON tree). What the informer reads back ({@link #get},
 * {@link #values}, the previous object returned by {@link #put} and {@link #remove}) is a stub rebuilt on demand with
 * only the namespace, name and resourceVersion: all the informer compares (the resourceVersion, to tell an update
 * from a resync) and all the event handlers read.
 *
 * <p>{@link #isFullState()} is {@code false}, so the informer hands the objects of its initial LIST to the handlers as
 * they come instead of re-reading them from the store after the LIST, and a resync replays stubs, which the handlers
 * recognise by their unchanged resourceVersion. The informer writes from one thread at a time; reads may be concurrent
 * (the cache's snapshots make them safe).
 */
final class PreparedItemStore implements ItemStore<PodDefault> {

    private final PodDefaultCache cache;

    PreparedItemStore(PodDefaultCache cache) {
        this.cache = cache;
    }

    @Override
    public String getKey(PodDefault podDefault) {
        return Cache.metaNamespaceKeyFunc(podDefault);
    }

    @Override
    public PodDefault put(String key, PodDefault podDefault) {
        return stub(cache.put(podDefault));
    }

    @Override
    public PodDefault remove(String key) {
        int slash = key.indexOf('/');
        return slash < 0 ? null : stub(cache.remove(key.substring(0, slash), key.substring(slash + 1)));
    }

    @Override
    public Stream<String> keySet() {
        return cache.all().map(p -> Cache.namespaceKeyFunc(p.namespace(), p.name()));
    }

    @Override
    public Stream<PodDefault> values() {
        return cache.all().map(PreparedItemStore::stub);
    }

    @Override
    public int size() {
        return cache.size();
    }

    @Override
    public PodDefault get(String key) {
        int slash = key.indexOf('/');
        return slash < 0 ? null : stub(cache.get(key.substring(0, slash), key.substring(slash + 1)));
    }

    /** Only the cache holds the PodDefaults, in a form the informer cannot hand back whole. */
    @Override
    public boolean isFullState() {
        return false;
    }

    /** The namespace, name and resourceVersion of a cached PodDefault as a typed object; {@code null} for {@code null}. */
    static PodDefault stub(PreparedPodDefault prepared) {
        if (prepared == null) {
            return null;
        }
        ObjectMeta meta = new ObjectMeta();
        meta.setNamespace(prepared.namespace());
        meta.setName(prepared.name());
        meta.setResourceVersion(prepared.resourceVersion());
        return new PodDefault(meta, null);
    }
}
