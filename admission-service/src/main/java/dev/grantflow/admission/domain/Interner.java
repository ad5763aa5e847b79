package dev.grantflow.admission.domain;

import java.lang.ref.WeakReference;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * Hands out one canonical instance per distinct (by {@code equals}) value, so that identical parts of many
 * PodDefaults (the same selector or the same injected lists in every profile namespace) are held once. Weak: an
 * instance no PodDefault refers to any more is dropped by the garbage collector with its entry. Thread-safe.
 */
final class Interner<T> {

    private final Map<T, WeakReference<T>> instances = new WeakHashMap<>();

    synchronized T intern(T value) {
        WeakReference<T> ref = instances.get(value);
        T canonical = ref == null ? null : ref.get();
        if (canonical != null) {
            return canonical;
        }
        instances.put(value, new WeakReference<>(value));
        return value;
    }

    /** Distinct values currently held (entries whose value was collected are dropped on access). */
    synchronized int size() {
        return instances.size();
    }
}
