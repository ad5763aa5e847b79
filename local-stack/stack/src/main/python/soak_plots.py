#!/usr/bin/env python3
"""Plots of a soak run (dev.grantflow.stack.Soak): admission latency and memory over time.

Usage: soak_plots.py <dir>   (the run's CSVs, normally target/soak/; writes soak-latency.png and soak-memory.png there)
Needs matplotlib (Debian: apt-get install -y python3-matplotlib).
"""
import csv
import os
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

SERVICES = ["grant-service-1", "grant-service-2", "namespace-watcher", "admission-service"]


def rows(path):
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


def number(value):
    return float(value) if value not in ("", None) else float("nan")


def mark_events(ax, events, label=True):
    for e in events:
        if "grant-service replica 1" in e["event"]:
            ax.axvline(number(e["t_s"]), color="grey", linestyle=":", linewidth=1)
    ys = ax.get_ylim()
    for e in events if label else []:
        if e["event"] == "grant-service replica 1 stopping":
            ax.annotate("grant-service\nreplica 1 restart", (number(e["t_s"]), ys[1]), fontsize=7, color="grey",
                        ha="left", va="top", xytext=(3, -3), textcoords="offset points")


def latency(directory, events):
    data = rows(os.path.join(directory, "latency.csv"))
    t = [number(r["window_start_s"]) + 5 for r in data]
    fig, ax = plt.subplots(figsize=(9, 4.5))
    per_window = max(int(r["requests"]) for r in data)
    p999 = "p99.9" if per_window >= 1000 else "p99.9 (= max: under 1,000 requests a window)"
    for column, label in (("p50_ms", "p50"), ("p99_ms", "p99"), ("p999_ms", p999)):
        ax.plot(t, [number(r[column]) for r in data], "-", label=label, linewidth=1.2)
    ax.plot(t, [number(r["max_ms"]) for r in data], "k.", markersize=4, label="max")
    errors = [(x, int(r["errors"])) for x, r in zip(t, data) if int(r["errors"]) > 0]
    if errors:
        ax.plot([x for x, _ in errors], [1 for _ in errors], "rx", label="window with errors")
    ax.set_yscale("log")
    ax.set_xlabel("time since the load started (s)")
    ax.set_ylabel("admission latency (ms, log scale)")
    requests = sum(int(r["requests"]) for r in data)
    total_errors = sum(int(r["errors"]) for r in data)
    ax.set_title("Soak: admission-service over HTTPS, per 10-s window (%d requests, %d errors)"
                 % (requests, total_errors), fontsize=10)
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.14), ncol=4, fontsize=8, frameon=False)
    mark_events(ax, events)
    fig.tight_layout()
    fig.savefig(os.path.join(directory, "soak-latency.png"), dpi=110)


def memory(directory, events):
    fig, (heap, rss) = plt.subplots(2, 1, figsize=(9, 7), sharex=True)
    gc_path = os.path.join(directory, "heap-after-gc.csv")
    after_gc = {r["service"]: r for r in rows(gc_path)} if os.path.exists(gc_path) else {}
    for service in SERVICES:
        path = os.path.join(directory, "memory-%s.csv" % service)
        if not os.path.exists(path):
            continue
        data = rows(path)
        t = [number(r["t_s"]) for r in data]
        line, = heap.plot(t, [number(r["heap_mib"]) for r in data], marker=".", markersize=3, linewidth=1,
                          label=service)
        rss.plot(t, [number(r["rss_mib"]) for r in data], marker=".", markersize=3, linewidth=1, label=service)
        if service in after_gc:
            heap.plot([t[0], t[-1]], [number(after_gc[service]["heap_after_full_gc_start_mib"]),
                                      number(after_gc[service]["heap_after_full_gc_end_mib"])],
                      "D", color=line.get_color(), markersize=6, markerfacecolor="none")
    heap.plot([], [], "D", color="black", markerfacecolor="none", label="after a full GC (before / after the load)")
    heap.set_ylabel("heap used (MiB)")
    rss.set_ylabel("process RSS (MiB)")
    rss.set_xlabel("time since the load started (s)")
    heap.set_title("Soak: memory of the service processes, every 10 s (-Xmx256m, SerialGC)", fontsize=10)
    for ax in (heap, rss):
        ax.set_ylim(bottom=0)
        ax.grid(True, alpha=0.3)
        mark_events(ax, events, label=ax is heap)
    heap.legend(loc="lower center", fontsize=7, ncol=3, framealpha=0.9)
    fig.tight_layout()
    fig.savefig(os.path.join(directory, "soak-memory.png"), dpi=110)


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    directory = sys.argv[1]
    events_path = os.path.join(directory, "events.csv")
    events = rows(events_path) if os.path.exists(events_path) else []
    latency(directory, events)
    memory(directory, events)
    print("wrote soak-latency.png and soak-memory.png in %s" % directory)


if __name__ == "__main__":
    main()
