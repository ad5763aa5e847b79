#!/usr/bin/env python3
"""Server-side latency of POST /apply-poddefault between two /q/metrics snapshots (Prometheus histogram
grantflow_admission_request_seconds, outcome=patched): count and the bucket upper bounds holding p50/p99/p99.9."""
import re, sys

def buckets(path):
    out = {}
    for line in open(path):
        if line.startswith("grantflow_admission_request_seconds_bucket") and 'outcome="patched"' in line and 'webhook="mutate"' in line:
            le = re.search(r'le="([^"]+)"', line).group(1)
            out[float("inf") if le == "+Inf" else float(le)] = float(line.rsplit(" ", 1)[1])
    return out

before, after = buckets(sys.argv[1]), buckets(sys.argv[2])
delta = sorted((le, after[le] - before.get(le, 0.0)) for le in after)
total = delta[-1][1]
def q(p):
    for le, n in delta:
        if n >= p / 100.0 * total:
            return "<=%.3f ms" % (le * 1000)
print("requests=%d p50%s p99%s p99.9%s (histogram bucket upper bounds)" % (total, q(50), q(99), q(99.9)))
