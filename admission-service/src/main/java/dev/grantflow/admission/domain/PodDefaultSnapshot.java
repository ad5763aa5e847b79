package dev.grantflow.admission.domain;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/**
 * The PodDefaults of one namespace, immutable and sorted by name (the order of a namespaced LIST, which every
 * order-dependent merge rule follows). Updates return a new snapshot, so readers never see a half-applied change.
 */
public final class PodDefaultSnapshot {

    public static final PodDefaultSnapshot EMPTY = new PodDefaultSnapshot(List.of());

    private static final Comparator<PreparedPodDefault> BY_NAME = Comparator.comparing(PreparedPodDefault::name);

    private final List<PreparedPodDefault> items;

    private PodDefaultSnapshot(List<PreparedPodDefault> sortedItems) {
        this.items = sortedItems;
    }

    public static PodDefaultSnapshot of(Collection<PreparedPodDefault> podDefaults) {
        List<PreparedPodDefault> sorted = new ArrayList<>(podDefaults);
        sorted.sort(BY_NAME);
        return new PodDefaultSnapshot(List.copyOf(sorted));
    }

    /** A snapshot with {@code podDefault} added, or replacing the one of the same name. */
    public PodDefaultSnapshot with(PreparedPodDefault podDefault) {
        List<PreparedPodDefault> next = new ArrayList<>(items.size() + 1);
        for (PreparedPodDefault p : items) {
            if (!p.name().equals(podDefault.name())) {
                next.add(p);
            }
        }
        next.add(podDefault);
        next.sort(BY_NAME);
        return new PodDefaultSnapshot(List.copyOf(next));
    }

    public PodDefaultSnapshot without(String name) {
        List<PreparedPodDefault> next = new ArrayList<>(items.size());
        for (PreparedPodDefault p : items) {
            if (!p.name().equals(name)) {
                next.add(p);
            }
        }
        return next.size() == items.size() ? this : new PodDefaultSnapshot(List.copyOf(next));
    }

    public List<PreparedPodDefault> items() {
        return items;
    }

    public int size() {
        return items.size();
    }

    public boolean isEmpty() {
        return items.isEmpty();
    }
}
