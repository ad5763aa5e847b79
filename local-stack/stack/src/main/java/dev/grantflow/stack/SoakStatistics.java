package dev.grantflow.stack;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The {@link Soak}'s arithmetic, pure: admission requests grouped into fixed windows by their intended send time,
 * nearest-rank percentiles, a least-squares trend, and the heap figure of a Prometheus text page.
 */
final class SoakStatistics {

    /** How one admission request ended. Only {@link #OK} is not an error. */
    enum Outcome {
        /** HTTP 200, allowed, and (for a stable tenant) the patch mounts the tenant's granted Secrets. */
        OK,
        /** An HTTP status other than 200. */
        NON_200,
        /** HTTP 200 but {@code allowed: false}: the webhook never denies these pods. */
        DENIED,
        /** HTTP 200 and allowed, but a stable tenant's granted Secret is not mounted. */
        WRONG_ANSWER,
        /** No answer within the request timeout. */
        TIMEOUT,
        /** The connection failed. */
        IO_ERROR;

        /** An HTTP answer came back, so the request has a latency. */
        boolean answered() {
            return this != TIMEOUT && this != IO_ERROR;
        }
    }

    /**
     * One request.
     *
     * @param intendedMillis when it was due, from the start of the load (the schedule, not when it was sent)
     * @param latencyMicros  from the intended send time to the answer (open loop: a late send counts as waiting)
     */
    record Sample(long intendedMillis, long latencyMicros, Outcome outcome) {
    }

    /** The requests due in {@code [startSeconds, startSeconds + width)}; latencies over the answered ones. */
    record Window(long startSeconds, int requests, long p50Micros, long p99Micros, long p999Micros, long maxMicros,
            Map<Outcome, Integer> outcomes) {

        int errors() {
            return requests - outcomes.getOrDefault(Outcome.OK, 0);
        }
    }

    /** Every window of {@code widthSeconds} from 0 to {@code durationSeconds}, empty ones included. */
    static List<Window> windows(Collection<Sample> samples, int widthSeconds, long durationSeconds) {
        int count = (int) Math.max(1, (durationSeconds + widthSeconds - 1) / widthSeconds);
        List<List<Sample>> buckets = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            buckets.add(new ArrayList<>());
        }
        for (Sample sample : samples) {
            int index = (int) Math.min(count - 1, Math.max(0, sample.intendedMillis() / (widthSeconds * 1000L)));
            buckets.get(index).add(sample);
        }
        List<Window> windows = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            windows.add(window((long) i * widthSeconds, buckets.get(i)));
        }
        return windows;
    }

    /** All of {@code samples} as one window (the whole run). */
    static Window window(long startSeconds, Collection<Sample> samples) {
        Map<Outcome, Integer> outcomes = new EnumMap<>(Outcome.class);
        long[] latencies = samples.stream().filter(s -> s.outcome().answered()).mapToLong(Sample::latencyMicros)
                .sorted().toArray();
        samples.forEach(s -> outcomes.merge(s.outcome(), 1, Integer::sum));
        return new Window(startSeconds, samples.size(), percentile(latencies, 50), percentile(latencies, 99),
                percentile(latencies, 99.9), percentile(latencies, 100), outcomes);
    }

    /** The nearest-rank percentile of ascending {@code sorted} values; -1 when there are none. */
    static long percentile(long[] sorted, double p) {
        if (sorted.length == 0) {
            return -1;
        }
        // p in thousandths of a percent, so that 99.9 % of 1,000 is rank 999 and not 1,000 by a rounding error.
        long milliPercent = Math.round(p * 1000);
        int rank = (int) ((milliPercent * sorted.length + 99_999) / 100_000);
        return sorted[Math.max(0, Math.min(rank, sorted.length) - 1)];
    }

    /** The least-squares slope of {@code y} over {@code x} (same length, at least two distinct x); NaN otherwise. */
    static double slope(double[] x, double[] y) {
        if (x.length != y.length || x.length < 2) {
            return Double.NaN;
        }
        double meanX = Arrays.stream(x).average().orElseThrow();
        double meanY = Arrays.stream(y).average().orElseThrow();
        double num = 0;
        double den = 0;
        for (int i = 0; i < x.length; i++) {
            num += (x[i] - meanX) * (y[i] - meanY);
            den += (x[i] - meanX) * (x[i] - meanX);
        }
        return den == 0 ? Double.NaN : num / den;
    }

    /**
     * Heap in use: the sum of {@code jvm_memory_used_bytes{area="heap",...}} over the heap's pools in a Prometheus
     * text page; -1 when the page has none.
     */
    static long heapUsedBytes(String prometheusText) {
        double sum = 0;
        boolean found = false;
        for (String line : prometheusText.split("\n")) {
            if (line.startsWith("jvm_memory_used_bytes{") && line.contains("area=\"heap\"")) {
                sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1).trim());
                found = true;
            }
        }
        return found ? Math.round(sum) : -1;
    }

    private SoakStatistics() {
    }
}
