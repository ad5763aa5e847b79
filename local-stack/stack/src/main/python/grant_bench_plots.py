#!/usr/bin/env python3
"""Plot of a grant-service benchmark run (dev.grantflow.stack.GrantServiceBenchmark): latency distributions of the
service against the ceiling measured in the same run.

Usage: grant_bench_plots.py <dir>   (the run's CSVs, normally target/bench-grant-service/; writes
grant-service-latency.png there)
Needs matplotlib (Debian: apt-get install -y python3-matplotlib).
"""
import csv
import os
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402


def rows(path):
    if not os.path.exists(path):
        return []
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


def percentile(values, p):
    ordered = sorted(values)
    index = max(0, min(len(ordered) - 1, -(-p * len(ordered) // 100) - 1))
    return ordered[int(index)]


def cdf(ax, values, label, style):
    ordered = sorted(values)
    n = len(ordered)
    ax.step(ordered, [(i + 1) / n for i in range(n)], style, where="post", label=label, linewidth=1.4)


def single(ax, data):
    service = [float(r["service_ms"]) for r in data]
    ceiling = [float(r["ceiling_ms"]) for r in data]
    cdf(ax, service, "grant-service: tenant record -> Secret + PodDefault seen (p50 %.0f, p99 %.0f ms)"
        % (percentile(service, 50), percentile(service, 99)), "C0-")
    cdf(ax, ceiling, "ceiling: bare Secret then PodDefault create, seen (p50 %.0f, p99 %.0f ms)"
        % (percentile(ceiling, 50), percentile(ceiling, 99)), "C1-")
    ax.axvline(150, color="grey", linestyle=":", linewidth=1)
    ax.annotate("target p99 150 ms", (150, 0.05), fontsize=7, color="grey", xytext=(3, 0), textcoords="offset points")
    ax.axhline(0.99, color="grey", linestyle="--", linewidth=0.8)
    ax.set_xscale("log")
    ax.set_xlabel("latency (ms, log scale)")
    ax.set_ylabel("fraction of samples")
    ax.set_title("Single tenant, %d samples each (interleaved)" % len(data), fontsize=10)
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.16), fontsize=7, frameon=False)


def burst(ax, data):
    service = [float(r["seen_ms"]) / 1000 for r in data if r["run"] == "service"]
    ceiling = [float(r["seen_ms"]) / 1000 for r in data if r["run"] == "ceiling"]
    cdf(ax, service, "grant-service: all %d objects in %.1f s" % (len(service), max(service)), "C0-")
    cdf(ax, ceiling, "ceiling: %d bare creates, 8 threads, in %.1f s" % (len(ceiling), max(ceiling)), "C1-")
    ax.axvline(1.3 * max(ceiling), color="grey", linestyle=":", linewidth=1)
    ax.annotate("1.3 x ceiling", (1.3 * max(ceiling), 0.05), fontsize=7, color="grey", xytext=(3, 0),
                textcoords="offset points")
    ax.set_xlabel("time since the burst started (s)")
    ax.set_ylabel("fraction of objects present")
    ax.set_title("Burst: 1,000 tenants x 5 grants (ratio %.2fx)" % (max(service) / max(ceiling)), fontsize=10)
    ax.grid(True, alpha=0.3)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.16), fontsize=7, frameon=False)


def main(directory):
    single_rows = rows(os.path.join(directory, "single.csv"))
    burst_rows = rows(os.path.join(directory, "burst.csv"))
    panels = [p for p in (("single", single_rows), ("burst", burst_rows)) if p[1]]
    if not panels:
        print("nothing to plot in " + directory)
        return
    fig, axes = plt.subplots(1, len(panels), figsize=(6.5 * len(panels), 5))
    axes = axes if len(panels) > 1 else [axes]
    for ax, (kind, data) in zip(axes, panels):
        (single if kind == "single" else burst)(ax, data)
    fig.suptitle("grant-service against the API stand-in's ceiling, same run", fontsize=11)
    fig.tight_layout()
    path = os.path.join(directory, "grant-service-latency.png")
    fig.savefig(path, dpi=110)
    print("wrote " + path)


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "target/bench-grant-service")
