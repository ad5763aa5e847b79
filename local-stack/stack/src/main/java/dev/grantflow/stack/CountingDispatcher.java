package dev.grantflow.stack;

import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * The stand-in's CRUD dispatcher, counting every request it answers by verb, resource and answer code (e.g.
 * {@code POST secrets 201}, {@code WATCH poddefaults 200}): what a client really asked of the API, counted where it
 * arrives. Counting costs a map update per request.
 */
final class CountingDispatcher extends KubernetesCrudDispatcher {

    private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();

    @Override
    public MockResponse dispatch(RecordedRequest request) {
        MockResponse response = super.dispatch(request);
        counts.computeIfAbsent(label(request, response == null ? 0 : response.code()), k -> new LongAdder()).increment();
        return response;
    }

    /** The counts so far, by label. */
    Map<String, Long> snapshot() {
        Map<String, Long> copy = new TreeMap<>();
        counts.forEach((label, count) -> copy.put(label, count.sum()));
        return copy;
    }

    /** {@code after - before}, label by label, leaving out labels that did not change. */
    static Map<String, Long> difference(Map<String, Long> before, Map<String, Long> after) {
        Map<String, Long> diff = new TreeMap<>();
        after.forEach((label, count) -> {
            long d = count - before.getOrDefault(label, 0L);
            if (d != 0) {
                diff.put(label, d);
            }
        });
        return diff;
    }

    /** {@code VERB resource code}; a list with {@code watch=true} is a {@code WATCH}, a GET without a name a {@code LIST}. */
    static String label(RecordedRequest request, int code) {
        String path = request.getPath() == null ? "" : request.getPath();
        int query = path.indexOf('?');
        String bare = query < 0 ? path : path.substring(0, query);
        String[] parts = bare.replaceAll("^/+", "").split("/");
        // api/v1/[namespaces/<ns>/]<plural>[/<name>] or apis/<group>/<version>/[namespaces/<ns>/]<plural>[/<name>]
        int start = parts.length > 0 && "apis".equals(parts[0]) ? 3 : 2;
        String resource = "?";
        boolean named = false;
        if (parts.length > start) {
            int i = start;
            if ("namespaces".equals(parts[i]) && parts.length > i + 2) {
                i += 2;
            }
            resource = parts[i];
            named = parts.length > i + 1;
        }
        String verb = request.getMethod();
        if ("GET".equals(verb)) {
            verb = path.contains("watch=true") ? "WATCH" : named ? "GET" : "LIST";
        }
        return verb + " " + resource + " " + code;
    }
}
