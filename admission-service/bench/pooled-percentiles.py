#!/usr/bin/env python3
"""Open-loop latency percentiles pooled over several runs of run-benchmark.sh, per server, and their ratios.

usage: pooled-percentiles.py RUN_DIR...

One run's p99 at 2,000 req/s rests on its slowest 1 % (800 requests of 80,000), so a single stall of 60-100 ms
(hundreds of late requests) in one server's slices decides it: of the machine, or of the load generator (runs 86-89
of docs/benchmarks.md: TLS handshakes of its new connections). Pooling the runs' requests gives
the percentiles of all of them together: for a latency x, the share of a server's requests slower than x is summed
over the runs (each run's `open-loop-<server>.hgrm`, weighted by its request count) and the percentile is the x at
which that share falls to 1 - p. An HdrHistogram percentile listing has a row every few hundredths of the remaining
tail (near p99 about every 0.15 % of the requests), and the share slower than x is interpolated linearly between the
two rows around x: exact at the rows, within one row's step between them (run 83 of docs/benchmarks.md, one run
alone: p99 0.97 ms where the client's own histogram says 0.93).
"""
import sys

SERVERS = ("service", "ceiling", "ceiling-routes")
QUANTILES = (0.50, 0.99, 0.999)


def listing(path):
    """(value in ms, percentile) rows of an HdrHistogram percentile listing, and its request count."""
    rows, count = [], 0
    for line in open(path):
        fields = line.split()
        if len(fields) != 4:
            continue
        try:
            rows.append((float(fields[0]), float(fields[1])))
            count = int(fields[2])
        except ValueError:
            continue
    return rows, count


def share_slower(rows, x):
    if x < rows[0][0]:
        return 1.0
    for (v0, p0), (v1, p1) in zip(rows, rows[1:]):
        if v0 <= x < v1:
            return 1.0 - (p0 + (p1 - p0) * (x - v0) / (v1 - v0))
    return 1.0 - rows[-1][1]


def pooled(listings, q):
    total = sum(count for _, count in listings)

    def slower(x):
        return sum(share_slower(rows, x) * count for rows, count in listings) / total

    lo, hi = 0.001, max(rows[-1][0] for rows, _ in listings)
    for _ in range(80):
        mid = (lo * hi) ** 0.5
        if slower(mid) > 1.0 - q:
            lo = mid
        else:
            hi = mid
    return hi


def main():
    runs = sys.argv[1:]
    if not runs:
        sys.exit(__doc__)
    result = {}
    for server in SERVERS:
        listings = [listing(f"{run}/open-loop-{server}.hgrm") for run in runs]
        result[server] = [pooled(listings, q) for q in QUANTILES]
        requests = sum(count for _, count in listings)
        print(f"{server}: {requests} requests in {len(runs)} runs; "
              + ", ".join(f"p{q * 100:g} {v:.3f} ms" for q, v in zip(QUANTILES, result[server])))
    for ceiling in SERVERS[1:]:
        print(f"service/{ceiling}: " + ", ".join(
            f"p{q * 100:g} {s / c:.2f}" for q, s, c in zip(QUANTILES, result["service"], result[ceiling])))


if __name__ == "__main__":
    main()
