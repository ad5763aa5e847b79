package dev.grantflow.admission.bench;

import dev.grantflow.admission.kube.PodDefaultCache;
import dev.grantflow.model.poddefault.PodDefault;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.Locale;

/**
 * Heap the PodDefault cache costs per PodDefault, without an API server: {@code namespaces x perNamespace}
 * PodDefaults shaped as {@link BenchApiServer}'s (the same ones in every namespace, or {@code distinct}) are put into
 * a {@link PodDefaultCache} one by one, as the informer's store does, each from its own freshly built typed object
 * (as the informer decodes each object afresh), and the live heap is compared before and after (after full GCs),
 * once a thousand other PodDefaults have been prepared and dropped (class loading and Jackson's caches are not the
 * cache's).
 *
 * <pre>java ... CacheFootprint namespaces perNamespace [distinct]</pre>
 * Prints one {@code footprint:} line. The service's own figure (heap of the running service, loaded minus empty) is
 * run-benchmark.sh's; this one isolates the cache and reaches sizes the mock API stand-in is too slow to load.
 */
public final class CacheFootprint {

    private CacheFootprint() {
    }

    public static void main(String[] args) throws Exception {
        int namespaces = Integer.parseInt(args[0]);
        int perNamespace = Integer.parseInt(args[1]);
        boolean distinct = args.length > 2 && "distinct".equals(args[2]);
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        // One-off costs out of the figure: classes, Jackson's serialisers for the fabric8 types, the selector code.
        PodDefaultCache warmUp = new PodDefaultCache();
        for (int i = 0; i < 1000; i++) {
            warmUp.put(BenchApiServer.podDefault("warm-up-" + i, i % perNamespace, true));
        }
        warmUp = null;
        PodDefaultCache cache = new PodDefaultCache();
        long before = liveHeap(memory);
        long start = System.nanoTime();
        fill(cache, namespaces, perNamespace, distinct);
        double seconds = (System.nanoTime() - start) / 1e9;
        long after = liveHeap(memory);
        int total = namespaces * perNamespace;
        System.out.printf(Locale.ROOT, "footprint: %d PodDefaults in %d namespaces (%s): cache %.1f MiB = %d bytes per PodDefault "
                        + "(%d distinct selectors, %d distinct injected parts); prepared in %.1f s; %s%n",
                cache.size(), cache.namespaceCount(), distinct ? "nothing injected shared" : "the same ones in every namespace",
                (after - before) / 1048576.0, (after - before) / total, cache.distinctSelectors(), cache.distinctInjectedParts(),
                seconds, System.getProperty("java.vm.version"));
    }

    /** Puts {@code namespaces x perNamespace} PodDefaults shaped as {@link BenchApiServer}'s into {@code cache}. */
    static void fill(PodDefaultCache cache, int namespaces, int perNamespace, boolean distinct) {
        for (int n = 0; n < namespaces; n++) {
            String ns = String.format("user-%04d", n);
            for (int i = 0; i < perNamespace; i++) {
                PodDefault pd = BenchApiServer.podDefault(ns, i, distinct);
                pd.getMetadata().setResourceVersion(Integer.toString(n * perNamespace + i + 1));
                cache.put(pd);
            }
        }
    }

    private static long liveHeap(MemoryMXBean memory) throws InterruptedException {
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            System.gc();
            Thread.sleep(200);
            used = Math.min(used, memory.getHeapMemoryUsage().getUsed());
        }
        return used;
    }
}
