package dev.grantflow.admission.bench;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.grantflow.admission.domain.AdmissionDecision;
import dev.grantflow.admission.domain.AdmissionRequest;
import dev.grantflow.admission.domain.AdmissionReviewMapper;
import dev.grantflow.admission.domain.PodAdmission;
import dev.grantflow.admission.domain.PodDefaultPolicy;
import dev.grantflow.admission.kube.PodDefaultCache;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * CPU per review without HTTP or TLS, in one thread: the ceiling's work (parse the review into a tree, read the
 * envelope, build and serialize a constant answer with the service's patch, as {@code bench/ceiling}'s resource and
 * {@code run-benchmark.sh} do) against the service's (parse as the mutating webhook does, decide on the cache, write
 * the answer's bytes with its patch), in alternating rounds of the same run, with the service's stages timed apart;
 * then the reads alone (the service's pruned read, the ceiling's {@code readTree}, and the parser's tokens without
 * any tree). The HTTP benchmark's throughput ratio is bounded by these costs plus the HTTP stack's, which both pay
 * alike.
 *
 * <pre>java ... ReviewCost review.json [namespaces=1000] [perNamespace=10] [rounds=10] [perRound=20000]</pre>
 * ({@code review.json}: {@code bench/notebook-review.py user-0000 3}).
 */
public final class ReviewCost {

    private ReviewCost() {
    }

    public static void main(String[] args) throws Exception {
        byte[] body = Files.readAllBytes(Path.of(args[0]));
        int namespaces = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
        int perNamespace = args.length > 2 ? Integer.parseInt(args[2]) : 10;
        int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 10;
        int perRound = args.length > 4 ? Integer.parseInt(args[4]) : 20000;
        PodDefaultCache cache = new PodDefaultCache();
        CacheFootprint.fill(cache, namespaces, perNamespace, false);
        ObjectMapper json = new ObjectMapper();
        AdmissionReviewMapper reviews = new AdmissionReviewMapper(json);
        PodDefaultPolicy policy = new PodDefaultPolicy(true);
        AdmissionDecision sample = policy.decide(reviews.parse(body), cache).decision();
        System.out.printf("review %d bytes; decision %s, %s%n", body.length, sample.reason().label(),
                sample instanceof AdmissionDecision.Patch p ? p.operations().size() + " patch operations" : sample);
        // The ceiling answers with the service's patch as a constant, as run-benchmark.sh starts it.
        String patch = json.readTree(reviews.answer(reviews.parse(body), sample)).path("response").path("patch").asText("");
        long[] stage = new long[3];
        long[] bytes = new long[3];
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean)
                java.lang.management.ManagementFactory.getThreadMXBean();
        long self = Thread.currentThread().getId();
        for (int round = 0; round < rounds; round++) {
            long allocated = threads.getThreadAllocatedBytes(self);
            double ceilingNs = meanNs(perRound, () -> ceiling(json, body, patch).length);
            long ceilingBytes = (threads.getThreadAllocatedBytes(self) - allocated) / perRound;
            allocated = threads.getThreadAllocatedBytes(self);
            java.util.Arrays.fill(stage, 0);
            java.util.Arrays.fill(bytes, 0);
            long start = System.nanoTime();
            for (int i = 0; i < perRound; i++) {
                long t0 = System.nanoTime();
                long a0 = threads.getThreadAllocatedBytes(self);
                AdmissionRequest request = reviews.parsePodReview(body);
                long t1 = System.nanoTime();
                long a1 = threads.getThreadAllocatedBytes(self);
                PodAdmission admission = policy.decide(request, cache);
                long t2 = System.nanoTime();
                long a2 = threads.getThreadAllocatedBytes(self);
                sink += reviews.answer(request, admission.decision()).length;
                long t3 = System.nanoTime();
                long a3 = threads.getThreadAllocatedBytes(self);
                stage[0] += t1 - t0;
                stage[1] += t2 - t1;
                stage[2] += t3 - t2;
                bytes[0] += a1 - a0;
                bytes[1] += a2 - a1;
                bytes[2] += a3 - a2;
            }
            double serviceNs = (System.nanoTime() - start) / (double) perRound;
            long serviceBytes = (threads.getThreadAllocatedBytes(self) - allocated) / perRound;
            System.out.printf(Locale.ROOT, "round %d: ceiling %.1f us %d B, service %.1f us %d B (parse %.1f, decide "
                            + "%.1f, answer %.1f); ceiling / service %.2f%n", round, ceilingNs / 1000,
                    ceilingBytes, serviceNs / 1000, serviceBytes, stage[0] / 1000.0 / perRound,
                    stage[1] / 1000.0 / perRound, stage[2] / 1000.0 / perRound,
                    ceilingNs / serviceNs);
            System.out.printf(Locale.ROOT, "  allocated per review: parse %d B, decide %d B, answer %d B%n",
                    bytes[0] / perRound, bytes[1] / perRound, bytes[2] / perRound);
            System.out.printf(Locale.ROOT,
                    "  reading alone: the service's pruned read %.2f us, readTree %.2f us, tokens only %.2f us%n",
                    meanNs(perRound, () -> reviews.parsePodReview(body).uid().length()) / 1000,
                    meanNs(perRound, () -> json.readTree(body).size()) / 1000,
                    meanNs(perRound, () -> tokens(json, body)) / 1000);
        }
        System.out.println("(sink " + sink + ")");
    }

    /** Something made from the review, returned so that the JIT cannot drop the work. */
    @FunctionalInterface
    private interface Work {
        long run() throws Exception;
    }

    /** What every timed piece of work returned, summed and printed at the end. */
    private static long sink;

    /** Mean ns of {@code work} over {@code times} runs in a row. */
    private static double meanNs(int times, Work work) throws Exception {
        long start = System.nanoTime();
        for (int i = 0; i < times; i++) {
            sink += work.run();
        }
        return (System.nanoTime() - start) / (double) times;
    }

    /** The parser's tokens only, no tree: the part of every read that pruning cannot save. */
    private static long tokens(ObjectMapper json, byte[] body) throws Exception {
        long count = 0;
        try (JsonParser p = json.createParser(body)) {
            while (p.nextToken() != null) {
                count++;
            }
        }
        return count;
    }

    /** bench/ceiling's CeilingResource, minus HTTP: parse, read the envelope, answer allowed, serialize. */
    private static byte[] ceiling(ObjectMapper json, byte[] body, String patch) throws Exception {
        JsonNode review = json.readTree(body);
        JsonNode request = review.get("request");
        ObjectNode answer = json.createObjectNode();
        answer.put("apiVersion", review.path("apiVersion").asText(""));
        answer.put("kind", review.path("kind").asText(""));
        ObjectNode response = answer.putObject("response");
        response.put("uid", request.get("uid").textValue());
        response.put("allowed", true);
        if (!patch.isEmpty()) {
            response.put("patchType", "JSONPatch");
            response.put("patch", patch);
        }
        return json.writeValueAsBytes(answer);
    }
}
