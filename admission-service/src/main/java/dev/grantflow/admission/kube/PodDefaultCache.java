package dev.grantflow.admission.kube;

import dev.grantflow.admission.domain.PodDefaultLookup;
import dev.grantflow.admission.domain.PodDefaultMapper;
import dev.grantflow.admission.domain.PodDefaultSnapshot;
import dev.grantflow.admission.domain.PreparedPodDefault;
import dev.grantflow.model.poddefault.PodDefault;
import jakarta.inject.Singleton;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * The PodDefaults of every namespace, prepared once per informer event into their compact form (selector compiled,
 * injected lists as JSON bytes, identical parts shared: {@link PreparedPodDefault}) and held as one immutable,
 * name-sorted {@link PodDefaultSnapshot} per namespace. This is the only copy of the PodDefaults in the service: the
 * informer's store ({@link PreparedItemStore}) reads and writes through it. Readers (admission requests on
 * event-loop threads) get a snapshot without locking; writers (the informer's single event thread) replace a
 * namespace's snapshot atomically.
 */
@Singleton
public class PodDefaultCache implements PodDefaultLookup {

    private final ConcurrentMap<String, PodDefaultSnapshot> byNamespace = new ConcurrentHashMap<>();
    private final AtomicInteger size = new AtomicInteger();
    private final AtomicInteger invalidSelectors = new AtomicInteger();
    private final PodDefaultMapper.Sharing sharing = new PodDefaultMapper.Sharing();

    @Override
    public PodDefaultSnapshot inNamespace(String namespace) {
        return byNamespace.getOrDefault(namespace, PodDefaultSnapshot.EMPTY);
    }

    /** Adds or replaces a PodDefault; returns the one it replaced, or {@code null}. */
    public PreparedPodDefault put(PodDefault podDefault) {
        PreparedPodDefault prepared = PodDefaultMapper.prepare(podDefault, sharing);
        PreparedPodDefault[] replaced = new PreparedPodDefault[1];
        byNamespace.compute(prepared.namespace(), (ns, current) -> {
            PodDefaultSnapshot base = current == null ? PodDefaultSnapshot.EMPTY : current;
            PreparedPodDefault previous = find(base, prepared.name());
            replaced[0] = previous;
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
        return replaced[0];
    }

    /** Removes a PodDefault; returns it, or {@code null} if it was not in the cache. */
    public PreparedPodDefault remove(String namespace, String name) {
        PreparedPodDefault[] removed = new PreparedPodDefault[1];
        byNamespace.computeIfPresent(namespace, (ns, current) -> {
            PreparedPodDefault previous = find(current, name);
            if (previous == null) {
                return current;
            }
            removed[0] = previous;
            size.decrementAndGet();
            if (!previous.hasValidSelector()) {
                invalidSelectors.decrementAndGet();
            }
            PodDefaultSnapshot next = current.without(name);
            return next.isEmpty() ? null : next;
        });
        return removed[0];
    }

    /** The PodDefault {@code namespace/name}, or {@code null}. */
    public PreparedPodDefault get(String namespace, String name) {
        PodDefaultSnapshot snapshot = byNamespace.get(namespace);
        return snapshot == null ? null : find(snapshot, name);
    }

    /** Every PodDefault in the cache (weakly consistent while it changes). */
    public Stream<PreparedPodDefault> all() {
        return byNamespace.values().stream().flatMap(s -> s.items().stream());
    }

    /** Distinct selectors and distinct injected JSON objects held for all PodDefaults (shared between equal ones). */
    public int distinctSelectors() {
        return sharing.selectors();
    }

    public int distinctInjectedParts() {
        return sharing.injectedParts();
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
