package dev.grantflow.admission.bench;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.io.PrintStream;
import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;

/**
 * Open-loop load for the admission benchmark, without coordinated omission: request k of a slice is due at
 * {@code start + k / rate} whatever happened to the requests before it, and its latency is measured from that
 * intended send time to the end of its answer. A late answer therefore counts in full, and so does every request
 * that had to wait behind it (in the client's connection pool or on the wire); the client never slows down to the
 * server's pace. Latencies go to one HdrHistogram per target (3 significant digits).
 *
 * <p>Several targets (the service and its ceilings) are driven in turn, in slices, each round in the order opposite to
 * the round before (A B C, then C B A, ...): over an even number of rounds every target has the same mean position,
 * so that a load on the shared machine that rises or falls steadily during the run, and whatever the slice before
 * leaves behind, fall on all targets alike.
 *
 * <p>One pacing thread sleeps until each request is due (parks, then spins for the last few microseconds) and hands
 * it to one Vert.x event loop, which sends it on one of {@code connections} keep-alive HTTPS connections of the
 * target (a request finding all of them busy waits in the pool's queue). How late the pacing thread itself was is
 * recorded too ("send lag"): it is part of the latency.
 *
 * <p>Before the measured slices, each target gets {@code openloop.burst} times the rate (default 5; 0 for none) for
 * {@code openloop.burstSeconds} (default 2), then the warm-up at the rate. The burst is meant to make this client's
 * code take its rarer paths (requests queued in the pool, writes coalesced by the TLS handler) before the measurement:
 * warmed up at the rate only, the client's compiled TLS and HTTP write path was thrown away and compiled again in the
 * middle of measured slices, stalls of the load generator charged to whichever server was being measured
 * (docs/benchmarks.md, runs 58-64). The JIT time this client spent during each target's measured slices is printed
 * ({@code client JIT}), so that such a stall shows.
 *
 * <pre>java ... OpenLoopClient url[,url...] body-file rate slice-seconds rounds warmup-seconds connections out-prefix label[,label...]</pre>
 * Prints one {@code open-loop:} summary line per target, writes {@code <out-prefix>-<label>.hgrm} (HdrHistogram
 * percentile distribution, milliseconds) and exits non-zero when a request failed or got an answer other than 200.
 */
public final class OpenLoopClient {

    private static final long GRACE_NANOS = TimeUnit.SECONDS.toNanos(10);
    private static final long SPIN_NANOS = 30_000;
    /** Answers at least this late are kept with their time, to find what stalled (see {@link Stalls}). */
    private static final long LATE_NANOS = TimeUnit.MILLISECONDS.toNanos(5);

    /** One server under load with its own connections and figures. */
    private static final class Target {
        final String label;
        final HttpClient client;
        final RequestOptions request;
        final Histogram latency = new Histogram(TimeUnit.SECONDS.toNanos(60), 3);
        final Histogram sendLag = new Histogram(TimeUnit.SECONDS.toNanos(60), 3);
        final AtomicLong failed = new AtomicLong();
        final AtomicLong answered = new AtomicLong();
        final Stalls stalls = new Stalls();
        long sent;
        long unanswered;
        double seconds;
        long clientJitMillis;

        Target(Vertx vertx, URI url, String label, int connections) {
            this.label = label;
            boolean tls = "https".equals(url.getScheme());
            // Connections are never evicted for idleness (keep-alive timeout 0; Vert.x's default is 60 s): with it, the
            // pool closed connections that had idled in a server's slices and opened new ones when a later request
            // found all busy, so TLS handshakes on a cold path fell into measured slices as episodes of 100-260 late
            // requests (docs/benchmarks.md, run 88).
            this.client = vertx.createHttpClient(new HttpClientOptions().setSsl(tls).setTrustAll(true).setVerifyHost(false)
                    .setKeepAlive(true).setKeepAliveTimeout(0).setTcpNoDelay(true),
                    new PoolOptions().setHttp1MaxSize(connections));
            this.request = new RequestOptions().setMethod(HttpMethod.POST).setHost(url.getHost())
                    .setPort(url.getPort() > 0 ? url.getPort() : tls ? 443 : 80).setURI(url.getRawPath())
                    .putHeader("Content-Type", "application/json");
        }
    }

    private final Buffer body;

    private OpenLoopClient(byte[] body) {
        this.body = Buffer.buffer(body);
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 9) {
            System.err.println("usage: OpenLoopClient url[,url...] body-file rate slice-seconds rounds warmup-seconds connections "
                    + "out-prefix label[,label...]");
            System.exit(2);
        }
        String[] urls = args[0].split(",");
        byte[] body = Files.readAllBytes(Path.of(args[1]));
        double rate = Double.parseDouble(args[2]);
        double slice = Double.parseDouble(args[3]);
        int rounds = Integer.parseInt(args[4]);
        double warmup = Double.parseDouble(args[5]);
        int connections = Integer.parseInt(args[6]);
        String out = args[7];
        String[] labels = args[8].split(",");

        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(1).setInternalBlockingPoolSize(1));
        List<Target> targets = new ArrayList<>();
        for (int i = 0; i < urls.length; i++) {
            targets.add(new Target(vertx, URI.create(urls[i]), labels[i], connections));
        }
        List<Target> backwards = new ArrayList<>(targets);
        Collections.reverse(backwards);
        OpenLoopClient c = new OpenLoopClient(body);
        double burst = Double.parseDouble(System.getProperty("openloop.burst", "5"));
        double burstSeconds = Double.parseDouble(System.getProperty("openloop.burstSeconds", "2"));
        boolean bursts = burst > 0 && burstSeconds > 0;
        String burstWarmup = bursts
                ? String.format(Locale.ROOT, "a %.0f s burst at %.0f x the rate and ", burstSeconds, burst) : "";
        CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        long failed = 0;
        try {
            long warmFailed = 0;
            for (Target t : targets) {
                if (bursts) {
                    warmFailed += c.run(t, rate * burst, burstSeconds, false);
                }
                warmFailed += c.run(t, rate, warmup, false);
            }
            for (int r = 0; r < rounds; r++) {
                for (Target t : r % 2 == 0 ? targets : backwards) {
                    long jitBefore = jit.getTotalCompilationTime();
                    c.run(t, rate, slice, true);
                    t.clientJitMillis += jit.getTotalCompilationTime() - jitBefore;
                }
            }
            for (Target t : targets) {
                failed += t.failed.get() + t.unanswered;
                synchronized (t.latency) {
                    try (PrintStream hgrm = new PrintStream(Files.newOutputStream(Path.of(out + "-" + t.label + ".hgrm")))) {
                        t.latency.outputPercentileDistribution(hgrm, 1e6);
                    }
                    Histogram h = t.latency;
                    System.out.printf(Locale.ROOT, "open-loop: %s: %.0f req/s intended, %d slices of %.0f s alternating with the other targets "
                                    + "(after %s%.0f s warm-up each, %d warm-up requests failed or not answered in time), %d connections: sent %d, answered 200 %d, failed or not answered 10 s after the slice %d, "
                                    + "achieved %.0f req/s; latency from the intended send time p50 %.3f ms, p90 %.3f ms, p99 %.3f ms, "
                                    + "p99.9 %.3f ms, max %.3f ms; client send lag: 99%% %.3f ms, worst %.3f ms%n",
                            t.label, rate, rounds, slice, burstWarmup, warmup, warmFailed, connections, t.sent, t.answered.get(),
                            t.failed.get() + t.unanswered, t.answered.get() / t.seconds, ms(h.getValueAtPercentile(50)),
                            ms(h.getValueAtPercentile(90)), ms(h.getValueAtPercentile(99)), ms(h.getValueAtPercentile(99.9)),
                            ms(h.getMaxValue()), ms(t.sendLag.getValueAtPercentile(99)), ms(t.sendLag.getMaxValue()));
                    System.out.printf(Locale.ROOT, "late answers: %s: client JIT during its slices %d ms; %s%n",
                            t.label, t.clientJitMillis, t.stalls.summary());
                }
            }
        } finally {
            for (Target t : targets) {
                t.client.close();
            }
            vertx.close();
        }
        System.exit(failed == 0 ? 0 : 1);
    }

    /** Sends to {@code t} at {@code rate} for {@code seconds}, then waits for the answers (at most 10 s more). */
    private long run(Target t, double rate, double seconds, boolean record) throws InterruptedException {
        long interval = Math.round(1e9 / rate);
        long count = Math.round(rate * seconds);
        CountDownLatch answered = new CountDownLatch((int) count);
        AtomicLong failures = new AtomicLong();
        long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(20);
        for (long k = 0; k < count; k++) {
            long intended = start + k * interval;
            long now = System.nanoTime();
            while (now < intended) {
                long wait = intended - now;
                if (wait > SPIN_NANOS) {
                    LockSupport.parkNanos(wait - SPIN_NANOS);
                } else {
                    Thread.onSpinWait();
                }
                now = System.nanoTime();
            }
            if (record) {
                t.sendLag.recordValue(now - intended);
            }
            send(t, intended, answered, failures, record);
        }
        long end = start + count * interval;
        answered.await(Math.max(0, end + GRACE_NANOS - System.nanoTime()), TimeUnit.NANOSECONDS);
        if (record) {
            t.sent += count;
            t.unanswered += answered.getCount();
            t.seconds += (end - start) / 1e9;
        }
        return failures.get() + answered.getCount();
    }

    private void send(Target t, long intended, CountDownLatch answered, AtomicLong failures, boolean record) {
        t.client.request(t.request)
                .compose(r -> r.send(body))
                .compose(response -> response.body().map(b -> response.statusCode()))
                .onComplete(result -> {
                    long done = System.nanoTime();
                    boolean ok = result.succeeded() && result.result() == 200;
                    if (!ok) {
                        failures.incrementAndGet();
                    }
                    if (record) {
                        if (ok) {
                            synchronized (t.latency) {
                                t.latency.recordValue(Math.min(done - intended, t.latency.getHighestTrackableValue()));
                            }
                            if (done - intended >= LATE_NANOS) {
                                t.stalls.add(System.currentTimeMillis() - TimeUnit.NANOSECONDS.toMillis(done - intended), done - intended);
                            }
                            t.answered.incrementAndGet();
                        } else {
                            t.failed.incrementAndGet();
                        }
                    }
                    answered.countDown();
                });
    }

    /**
     * The answers at least {@link #LATE_NANOS} late, by the wall-clock time their request was due, grouped into
     * episodes (late requests due within 100 ms of each other): when a server stalled, for how long, and how many
     * requests it held up, to be matched with the servers' GC and safepoint logs.
     */
    static final class Stalls {
        private static final int MAX_KEPT = 100_000;
        private final List<long[]> late = new ArrayList<>();

        synchronized void add(long dueEpochMillis, long latencyNanos) {
            if (late.size() < MAX_KEPT) {
                late.add(new long[] {dueEpochMillis, latencyNanos});
            }
        }

        /** Late requests due within 100 ms of each other. */
        private static final class Episode {
            final long firstDue;
            long lastDue;
            int requests;
            long worstNanos;

            Episode(long due, long latencyNanos) {
                firstDue = due;
                lastDue = due;
                requests = 1;
                worstNanos = latencyNanos;
            }
        }

        synchronized String summary() {
            if (late.isEmpty()) {
                return "none at or over " + ms(LATE_NANOS) + " ms";
            }
            late.sort((a, b) -> Long.compare(a[0], b[0]));
            List<Episode> episodes = new ArrayList<>();
            for (long[] l : late) {
                Episode e = episodes.isEmpty() ? null : episodes.get(episodes.size() - 1);
                if (e != null && l[0] - e.lastDue <= 100) {
                    e.lastDue = l[0];
                    e.requests++;
                    e.worstNanos = Math.max(e.worstNanos, l[1]);
                } else {
                    episodes.add(new Episode(l[0], l[1]));
                }
            }
            List<Episode> worst = new ArrayList<>(episodes);
            worst.sort((a, b) -> Long.compare(b.worstNanos, a.worstNanos));
            StringBuilder out = new StringBuilder().append(late.size()).append(" at or over ").append(ms(LATE_NANOS))
                    .append(" ms, in ").append(episodes.size()).append(" episodes; the worst (due from, for, requests, worst latency):");
            DateTimeFormatter clock = DateTimeFormatter.ofPattern("HH:mm:ss.SSS").withZone(ZoneOffset.UTC);
            for (Episode e : worst.subList(0, Math.min(5, worst.size()))) {
                out.append(String.format(Locale.ROOT, " %s +%d ms %d req %.1f ms;", clock.format(Instant.ofEpochMilli(e.firstDue)),
                        e.lastDue - e.firstDue, e.requests, ms(e.worstNanos)));
            }
            return out.toString();
        }
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }
}
