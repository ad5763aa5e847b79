#!/usr/bin/env python3
"""Latency summary. `percentiles.py hey <csv> <seconds>` for hey -o csv output; `percentiles.py list <file>` for one
latency in seconds per line."""
import sys

def pct(values, p):
    values = sorted(values)
    k = max(0, min(len(values) - 1, int(round(p / 100.0 * len(values) + 0.5)) - 1))
    return values[k]

mode, path = sys.argv[1], sys.argv[2]
if mode == "hey":
    seconds = float(sys.argv[3])
    lat, codes = [], {}
    with open(path) as f:
        next(f)
        for line in f:
            cols = line.strip().split(",")
            lat.append(float(cols[0]))
            codes[cols[6]] = codes.get(cols[6], 0) + 1
else:
    lat = [float(l) for l in open(path) if l.strip()]
    codes, seconds = None, None
ms = lambda v: "%.3f ms" % (v * 1000)
out = ["requests=%d" % len(lat)]
if seconds:
    out.append("throughput=%.0f req/s" % (len(lat) / seconds))
out += ["p50=" + ms(pct(lat, 50)), "p90=" + ms(pct(lat, 90)), "p99=" + ms(pct(lat, 99)), "p99.9=" + ms(pct(lat, 99.9)),
        "max=" + ms(max(lat))]
if codes is not None:
    out.append("status=" + ",".join("%s:%d" % kv for kv in sorted(codes.items())))
print(" ".join(out))
