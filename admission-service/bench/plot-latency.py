#!/usr/bin/env python3
"""Latency distribution plot from HdrHistogram percentile files (OpenLoopClient's .hgrm, milliseconds).

usage: plot-latency.py <out.png> <label> <file.hgrm> [<label> <file.hgrm> ...] <title>

The classic HdrHistogram percentile plot: latency against percentile on a log scale of 1/(1-p), so that the tail
(99%, 99.9%, 99.99%) is as wide as the median. Needs matplotlib (apt-get install -y python3-matplotlib)."""
import sys

import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt
from matplotlib.ticker import FixedLocator, FixedFormatter


def read(path):
    xs, ys = [], []
    for line in open(path):
        parts = line.split()
        if len(parts) != 4 or parts[0].startswith("#") or parts[0] == "Value":
            continue
        try:
            value, percentile, _, inverse = float(parts[0]), float(parts[1]), parts[2], parts[3]
        except ValueError:
            continue
        if percentile >= 1.0 or inverse == "Infinity":
            continue
        xs.append(1.0 / (1.0 - percentile))
        ys.append(value)
    return xs, ys


out, title = sys.argv[1], sys.argv[-1]
series = sys.argv[2:-1]
fig, ax = plt.subplots(figsize=(9, 5.5))
for label, path in zip(series[0::2], series[1::2]):
    xs, ys = read(path)
    ax.plot(xs, ys, label=label, linewidth=1.6)
ax.set_xscale("log")
ticks = [1, 2, 10, 100, 1000, 10000, 100000]
ax.xaxis.set_major_locator(FixedLocator(ticks))
ax.xaxis.set_major_formatter(FixedFormatter(["0%", "50%", "90%", "99%", "99.9%", "99.99%", "99.999%"]))
ax.xaxis.set_minor_locator(FixedLocator([]))
ax.set_xlim(1, max(ticks[:6]))
ax.set_yscale("log")
ax.set_xlabel("percentile")
ax.set_ylabel("latency from intended send time (ms, log scale)")
ax.set_title(title, fontsize=9)
ax.grid(True, which="both", alpha=0.3)
ax.legend()
fig.tight_layout()
fig.savefig(out, dpi=110)
print("plot: " + out)
