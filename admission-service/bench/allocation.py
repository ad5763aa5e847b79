#!/usr/bin/env python3
"""Bytes each server allocated per request over a window of its GC log (-Xlog:gc).

usage: allocation.py "FIRST_LINES" "LAST_LINES" NAME:GC_LOG:REQUESTS ...
FIRST_LINES and LAST_LINES hold, space-separated and in the order of the servers given, how many lines each log had
when the window opened and when it closed. Between two young collections the heap grows by exactly what was
allocated, so the sum over the window of "heap before a collection minus heap after the one before it" is what was
allocated from the first collection in the window to the last one. It is divided by the requests of the whole
window, so the figure is low by what was allocated before the first and after the last collection (less than one
young generation each: about 1 % with the 175-220 collections of a saturation phase).
"""
import re
import sys

PAUSE = re.compile(r"Pause Young.* (\d+)M->(\d+)M\(")


def allocated_mib(path, first, last):
    with open(path) as f:
        lines = f.readlines()[first:last]
    total, previous, collections = 0, None, 0
    for line in lines:
        m = PAUSE.search(line)
        if m:
            before, after = int(m.group(1)), int(m.group(2))
            if previous is not None:
                total += before - previous
            previous = after
            collections += 1
    return total, collections


def main():
    firsts = [int(x) for x in sys.argv[1].split()]
    lasts = [int(x) for x in sys.argv[2].split()]
    out = []
    for i, arg in enumerate(sys.argv[3:]):
        name, path, requests = arg.rsplit(":", 2)
        mib, collections = allocated_mib(path, firsts[i], lasts[i])
        n = float(requests or 0)
        per = "%.1f KiB" % (mib * 1024 / n) if n and collections > 1 else "n/a"
        out.append("%s %s (%d young collections)" % (name, per, collections))
    print(", ".join(out))


if __name__ == "__main__":
    main()
