package dev.grantflow.admission.kube;

import dev.grantflow.admission.domain.PodDefaultLookup;
import dev.grantflow.admission.domain.PodDefaultMapper;
import dev.grantflow.admission.domain.PodDefaultSnapshot;
import dev.grantflow.admission.domain.PreparedPodDefault;
import dev.grantflow.model.poddefault.PodDefault;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The PodDefaults of every namespace, prepared once per informer event (selector compiled, lists converted) and
 * held as one immutable, name-sorted {@link PodDefaultSnapshot} per namespace. Readers (admission requests on
 * event-loop threads) get a snapshot without locking; writers (the informer's single event thread) replace a
 * namespace's snapshot atomically.
 */
@ApplicationScoped
public class PodDefaultCache implements PodDefaultLookup {

    private final ConcurrentMap<String, PodDefaultSnapshot> byNamespace = new ConcurrentHashMap<>();
    private final AtomicInteger size = new AtomicInteger();
    private final AtomicInteger invalidSelectors = new AtomicInteger();

    @Override
    public PodDefaultSnapshot inNamespace(String namespace) {
        return byNamespace.getOrDefault(namespace, PodDefaultSnapshot.EMPTY);
    }

    /** Adds or replaces a PodDefault. */
    public void put(PodDefault podDefault) {
        PreparedPodDefault prepared = PodDefaultMapper.prepare(podDefault);
        byNamespace.compute(prepared.namespace(), (ns, current) -> {
            PodDefaultSnapshot base = current == null ? PodDefaultSnapshot.EMPTY : current;
            PreparedPodDefault previous = find(base, prepared.name());
            if (previous == null) {
                size.incrementAndGet();
            } else if (!previous.hasValidSelector()) {
                invalidSelectors.decrementAndGet();
            }
            if (!prepared.hasValidSelector()) {
                invalidSelectors.incrementAndGet();
            }
            return base.with(prepared);
        });
    }

    public void remove(String namespace, String name) {
        byNamespace.computeIfPresent(namespace, (ns, current) -> {
            PreparedPodDefault previous = find(current, name);
            if (previous == null) {
                return current;
            }
            size.decrementAndGet();
            if (!previous.hasValidSelector()) {
                invalidSelectors.decrementAndGet();
            }
            PodDefaultSnapshot next = current.without(name);
            return next.isEmpty() ? null : next;
        });
    }

    /** PodDefaults in the cache. */
    public int size() {
        return size.get();
    }

    /** Namespaces with at least one PodDefault. */
    public int namespaceCount() {
        return byNamespace.size();
    }

    /** PodDefaults whose selector cannot be converted (skipped at admission, D1). */
    public int invalidSelectorCount() {
        return invalidSelectors.get();
    }

    private static PreparedPodDefault find(PodDefaultSnapshot snapshot, String name) {
        for (PreparedPodDefault p : snapshot.items()) {
            if (p.name().equals(name)) {
                return p;
            }
        }
        return null;
    }
}
