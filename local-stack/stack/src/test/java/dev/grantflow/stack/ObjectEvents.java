package dev.grantflow.stack;

import dev.grantflow.model.poddefault.PodDefault;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * What the API server stored, counted per object: a watch straight on the API stand-in (not through any proxy) on
 * the managed Secrets and PodDefaults in namespaces starting with a prefix. {@code ADDED} counts creations that took
 * effect, {@code MODIFIED} updates that took effect, {@code DELETED} deletions; a refused write (a 409 on a create the
 * informer cache had not seen yet) counts nothing. Keys are {@code Secret <namespace>/<name>} and
 * {@code PodDefault <namespace>/<name>}.
 */
final class ObjectEvents implements AutoCloseable {

    private final String prefix;
    private final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();
    private final AtomicReference<String> broken = new AtomicReference<>();
    private final Watch secrets;
    private final Watch podDefaults;

    ObjectEvents(KubernetesClient kube, String prefix) {
        this.prefix = prefix;
        secrets = kube.secrets().inAnyNamespace().withLabel("app.kubernetes.io/managed-by", "grantflow")
                .watch(counter("Secret"));
        podDefaults = kube.resources(PodDefault.class).inAnyNamespace()
                .withLabel("app.kubernetes.io/managed-by", "grantflow").watch(counter("PodDefault"));
    }

    private <T extends HasMetadata> Watcher<T> counter(String kind) {
        return new Watcher<>() {
            @Override
            public void eventReceived(Action action, T object) {
                if (object.getMetadata().getNamespace().startsWith(prefix)) {
                    counts.computeIfAbsent(action + " " + kind + " " + object.getMetadata().getNamespace() + "/"
                            + object.getMetadata().getName(), k -> new AtomicInteger()).incrementAndGet();
                }
            }

            @Override
            public void onClose(WatcherException cause) {
                broken.compareAndSet(null, kind + " watch closed: " + cause.getMessage());
            }
        };
    }

    /** How often {@code action} (ADDED, MODIFIED, DELETED) happened to {@code kind} {@code namespace/name}. */
    int count(String action, String kind, String object) {
        AtomicInteger count = counts.get(action + " " + kind + " " + object);
        return count == null ? 0 : count.get();
    }

    /** Events of this action summed over every object. */
    int total(String action) {
        return counts.entrySet().stream().filter(e -> e.getKey().startsWith(action + " "))
                .mapToInt(e -> e.getValue().get()).sum();
    }

    /** Why a watch ended (then the counts are incomplete), or null while both are open. */
    String broken() {
        return broken.get();
    }

    @Override
    public void close() {
        secrets.close();
        podDefaults.close();
    }
}
