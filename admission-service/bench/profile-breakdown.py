#!/usr/bin/env python3
"""Where each server's CPU per request goes, from two async-profiler profiles taken over the same saturation rounds.

usage: profile-breakdown.py SERVICE.collapsed SERVICE_CPU_US CEILING.collapsed CEILING_CPU_US

Each sampled stack is charged to the part of the work named by its deepest frame that matches one of PARTS (so the
TLS decryption that hands a request to the HTTP decoder is charged to TLS only for its own frames). A part's share of
a server's samples times that server's CPU per request (measured from /proc over the same rounds) is its cost in us
per request: the sampling interval cancels out.
"""
import collections
import sys

# (part, frame markers); the deepest frame of a stack matching any marker decides its part
PARTS = [
    ("socket write(2), kernel", ["__GI_write", "__libc_write", "FileDispatcherImpl.write0"]),
    ("socket read(2), kernel", ["__GI_read", "__libc_read", "FileDispatcherImpl.read0"]),
    ("epoll and wake-ups", ["epoll_wait", "EPoll.wait", "__futex", "pthread_cond"]),
    ("TLS (SslHandler, the JDK's SSLEngine and ciphers)",
     ["SslHandler.wrap", "SslHandler.unwrap", "sun/security/", "com/sun/crypto/", "javax/crypto/", "ghash_",
      "aescrypt_", "counterMode_AESCrypt"]),
    ("read the review (service: pruned read; ceiling: readTree)",
     ["AdmissionReviewMapper.parse", "PodReviewReader.read", "ObjectMapper.readTree"]),
    ("decide (lookup, match, merge)", ["PodDefaultPolicy.decide"]),
    ("build and write the answer", ["AdmissionReviewMapper.answer", "CeilingAnswer.answer", "CeilingResource.applyPodDefault",
                                    "CeilingRoutes.applyPodDefault",
                                    "JacksonMessageBodyWriter.writeResponse", "ObjectWriter.writeValue"]),
    ("metrics and logging", ["AdmissionMetrics", "io/micrometer", "org/jboss/logging", "org/jboss/logmanager"]),
    ("REST layer (Quarkus REST, Arc)", ["org/jboss/resteasy", "io/quarkus/resteasy", "io/quarkus/arc"]),
    ("HTTP (Vert.x, Netty)", ["io/vertx", "io/netty", "io/quarkus/vertx"]),
    ("GC", ["G1", "GCTask", "GangWorker", "WorkerThread::", "ConcurrentGCThread", "VM_GC"]),
    ("JIT compilers", ["CompileBroker", "C2Compiler", "Compilation::"]),
]


def part_of(stack):
    frames = stack.split(";")
    for frame in reversed(frames):
        for part, markers in PARTS:
            if any(m in frame for m in markers):
                return part
    return "other"


def shares(path):
    samples = collections.Counter()
    for line in open(path):
        stack, _, n = line.rstrip("\n").rpartition(" ")
        if stack:
            samples[part_of(stack)] += int(n)
    total = sum(samples.values())
    return {p: n / total for p, n in samples.items()}, total


def main():
    service, service_us, ceiling, ceiling_us = sys.argv[1], float(sys.argv[2]), sys.argv[3], float(sys.argv[4])
    s, s_total = shares(service)
    c, c_total = shares(ceiling)
    print("CPU per request by part (us; share of the server's samples x its CPU per request), samples: service %d, "
          "ceiling %d" % (s_total, c_total))
    print("%-58s %9s %9s %9s" % ("part", "service", "ceiling", "diff"))
    for part in [p for p, _ in PARTS] + ["other"]:
        a, b = s.get(part, 0) * service_us, c.get(part, 0) * ceiling_us
        print("%-58s %9.1f %9.1f %+9.1f" % (part, a, b, a - b))
    print("%-58s %9.1f %9.1f %+9.1f" % ("total", service_us, ceiling_us, service_us - ceiling_us))


if __name__ == "__main__":
    main()
