package dev.grantflow.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A fault-injecting HTTP/1.1 proxy in front of an API server (the fabric8 mock), for tests of what a real
 * kube-apiserver answers and the mock does not. Plain JDK sockets, one thread per connection, on 127.0.0.1 and a free
 * port.
 *
 * <ul>
 *   <li>Every request is recorded (method, path, query, body) and forwarded; each answer carries
 *       {@code Connection: close}, so a client sends one request per connection.</li>
 *   <li>WebSocket upgrades (fabric8 watches) and {@code ?watch=true} requests are tunnelled byte for byte, streaming,
 *       and never answered by a fault.</li>
 *   <li>{@link #inject} answers requests matching a method and a path regex (the path without the query) with an
 *       {@link Answer} instead: a status, headers and body (e.g. a {@link KubeStatus}), a delay, no answer at all
 *       (the client times out), or a hold until the test releases it. A fault applies N times or until cleared;
 *       the first matching fault wins.</li>
 *   <li>{@link #enforceDeletePreconditions} makes DELETEs honour {@code DeleteOptions.preconditions} (uid,
 *       resourceVersion) as kube-apiserver does and the mock does not: the object is read first and a mismatch is
 *       answered with kube's 409. Read and delete are two requests, so this is exact only while nothing else writes
 *       the object in between (tests arrange that).</li>
 *   <li>{@link #unreachable()} cuts every connection, watches included, and refuses new ones until
 *       {@link #reachable()}: the API server is gone for a while.</li>
 * </ul>
 */
public final class KubeApiProxy implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> HOP_BY_HOP = Set.of("connection", "keep-alive", "proxy-connection",
            "transfer-encoding", "content-length", "host", "te", "trailer", "upgrade", "http2-settings");

    private final URI target;
    private final ServerSocket server;
    private final ExecutorService threads;
    private final HttpClient reader = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final List<Fault> faults = new CopyOnWriteArrayList<>();
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final AtomicInteger refused = new AtomicInteger();
    private volatile boolean enforcePreconditions;
    private volatile boolean unreachable;
    private volatile boolean closed;

    /** One request as the proxy received it. {@code body} is empty for requests without one. */
    public record Request(Instant at, String method, String path, String query, String body) {

        /** A watch ({@code watch=true} in the query); never faulted. */
        public boolean watch() {
            return query != null && query.matches("(^|.*&)watch=(true|1)(&.*|$)");
        }
    }

    /** What the proxy does with a request matched by a fault. */
    public sealed interface Answer {

        /** Answer with this status, headers and body; the request never reaches the API server. */
        record Respond(int code, Map<String, String> headers, String body) implements Answer {

            public Respond {
                headers = Map.copyOf(headers);
            }

            public Respond withHeader(String name, String value) {
                Map<String, String> more = new LinkedHashMap<>(headers);
                more.put(name, value);
                return new Respond(code, more, body);
            }
        }

        /** Forward after a delay. */
        record Delay(Duration delay) implements Answer {
        }

        /** Never answer; the connection stays open until the client gives up (a request timeout). */
        record Hang() implements Answer {
        }

        /** Forward once the latch is released. */
        record Hold(CountDownLatch gate) implements Answer {
        }

        /** The Status exactly as kube-apiserver sends it ({@code application/json}). */
        static Respond status(KubeStatus status) {
            return new Respond(status.code(), Map.of("Content-Type", "application/json"), status.json());
        }

        /** A plain-text answer, as Go's {@code http.Error} writes it. */
        static Respond text(int code, String body) {
            return new Respond(code, Map.of("Content-Type", "text/plain; charset=utf-8",
                    "X-Content-Type-Options", "nosniff"), body);
        }

        static Delay delay(Duration delay) {
            return new Delay(delay);
        }

        static Hang hang() {
            return new Hang();
        }

        static Hold holdUntil(CountDownLatch gate) {
            return new Hold(gate);
        }
    }

    /** An injected fault; {@link #hits()} counts the requests it answered. */
    public final class Fault {
        private final String method;
        private final Pattern path;
        private final Answer answer;
        private final AtomicInteger remaining;
        private final AtomicInteger hits = new AtomicInteger();

        private Fault(String method, Pattern path, Answer answer, int times) {
            this.method = method;
            this.path = path;
            this.answer = answer;
            this.remaining = new AtomicInteger(times);
        }

        private boolean take(Request request) {
            if (!method.equalsIgnoreCase(request.method()) || !path.matcher(request.path()).matches()) {
                return false;
            }
            while (true) {
                int left = remaining.get();
                if (left == 0) {
                    return false;
                }
                if (left < 0 || remaining.compareAndSet(left, left - 1)) {
                    hits.incrementAndGet();
                    return true;
                }
            }
        }

        public int hits() {
            return hits.get();
        }

        /** Stops answering; requests are forwarded again. */
        public void clear() {
            faults.remove(this);
        }
    }

    private KubeApiProxy(URI target) throws IOException {
        this.target = target;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        AtomicInteger count = new AtomicInteger();
        this.threads = Executors.newCachedThreadPool(r -> {
            Thread thread = new Thread(r, "kube-api-proxy-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        threads.execute(this::accept);
    }

    /** Starts a proxy forwarding to {@code target} (an {@code http://} API server URL). */
    public static KubeApiProxy start(URI target) throws IOException {
        if (!"http".equals(target.getScheme())) {
            throw new IllegalArgumentException("plain http targets only, not " + target);
        }
        return new KubeApiProxy(target);
    }

    /** The proxy's URL, e.g. {@code http://127.0.0.1:41234/}. */
    public URI uri() {
        return URI.create("http://127.0.0.1:" + server.getLocalPort() + "/");
    }

    public List<Request> requests() {
        return List.copyOf(requests);
    }

    /** The requests with this method whose path (without the query) matches {@code pathRegex}. */
    public List<Request> requests(String method, String pathRegex) {
        Pattern pattern = Pattern.compile(pathRegex);
        return requests.stream().filter(r -> r.method().equalsIgnoreCase(method)
                && pattern.matcher(r.path()).matches()).toList();
    }

    public int count(String method, String pathRegex) {
        return requests(method, pathRegex).size();
    }

    public void clearRequests() {
        requests.clear();
    }

    /** Answers matching requests with {@code answer} until the fault is cleared. */
    public Fault inject(String method, String pathRegex, Answer answer) {
        return inject(method, pathRegex, answer, -1);
    }

    /** Answers the next {@code times} matching requests with {@code answer}. */
    public Fault inject(String method, String pathRegex, Answer answer, int times) {
        Fault fault = new Fault(method, Pattern.compile(pathRegex), answer, times);
        faults.add(fault);
        return fault;
    }

    public void clearFaults() {
        faults.clear();
    }

    /**
     * The API server becomes unreachable: every open connection (watches included) is closed at once, and every new
     * connection is closed as soon as it is accepted, before a byte is read (the client sees its connection reset),
     * until {@link #reachable()}. Requests that never got through are not recorded; {@link #refusedConnections()}
     * counts them.
     */
    public void unreachable() {
        unreachable = true;
        open.forEach(KubeApiProxy::closeQuietly);
    }

    /** New connections are served again (the API server is back, with everything it stored meanwhile). */
    public void reachable() {
        unreachable = false;
    }

    /** Connections closed unread while {@link #unreachable()}. */
    public int refusedConnections() {
        return refused.get();
    }

    public void enforceDeletePreconditions(boolean enforce) {
        this.enforcePreconditions = enforce;
    }

    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException e) {
            // closing anyway
        }
        open.forEach(KubeApiProxy::closeQuietly);
        threads.shutdownNow();
    }

    // ---- connections ------------------------------------------------------------------------------------------------

    private void accept() {
        while (!closed) {
            try {
                Socket client = server.accept();
                if (unreachable) {
                    refused.incrementAndGet();
                    closeQuietly(client);
                    continue;
                }
                open.add(client);
                threads.execute(() -> serve(client));
            } catch (IOException e) {
                if (!closed) {
                    continue;
                }
                return;
            }
        }
    }

    private void serve(Socket client) {
        try (client) {
            InputStream in = new BufferedInputStream(client.getInputStream());
            OutputStream out = client.getOutputStream();
            Head head = Head.read(in);
            if (head == null) {
                return;
            }
            if (head.upgrade()) {
                requests.add(head.request(""));
                tunnel(head, in, client);
                return;
            }
            byte[] body = readBody(head, in);
            Request request = head.request(new String(body, StandardCharsets.UTF_8));
            requests.add(request);
            Answer answer = request.watch() ? null : answerFor(request);
            if (answer instanceof Answer.Respond respond) {
                respond(out, respond);
                return;
            }
            if (answer instanceof Answer.Hang) {
                while (in.read() >= 0) {
                    // until the client gives up
                }
                return;
            }
            if (answer instanceof Answer.Delay delay) {
                Thread.sleep(delay.delay().toMillis());
            }
            if (answer instanceof Answer.Hold hold) {
                hold.gate().await();
            }
            if (enforcePreconditions && "DELETE".equalsIgnoreCase(head.method())) {
                Answer.Respond refusal = checkPreconditions(request);
                if (refusal != null) {
                    respond(out, refusal);
                    return;
                }
            }
            forward(head, body, out);
        } catch (IOException e) {
            // the connection ends
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            open.remove(client);
        }
    }

    private Answer answerFor(Request request) {
        for (Fault fault : faults) {
            if (fault.take(request)) {
                return fault.answer;
            }
        }
        return null;
    }

    private void forward(Head head, byte[] body, OutputStream out) throws IOException {
        try (Socket upstream = new Socket(target.getHost(), port())) {
            open.add(upstream);
            StringBuilder request = new StringBuilder(head.method()).append(' ').append(head.target())
                    .append(" HTTP/1.1\r\n");
            head.headers().forEach((name, value) -> {
                if (!HOP_BY_HOP.contains(name.toLowerCase(Locale.ROOT))) {
                    request.append(name).append(": ").append(value).append("\r\n");
                }
            });
            request.append("Host: ").append(target.getHost()).append(':').append(port()).append("\r\n");
            if (body.length > 0 || Set.of("POST", "PUT", "PATCH").contains(head.method())) {
                request.append("Content-Length: ").append(body.length).append("\r\n");
            }
            request.append("Connection: close\r\n\r\n");
            OutputStream up = upstream.getOutputStream();
            up.write(request.toString().getBytes(StandardCharsets.ISO_8859_1));
            up.write(body);
            up.flush();

            InputStream upIn = new BufferedInputStream(upstream.getInputStream());
            String statusLine = readLine(upIn);
            if (statusLine == null) {
                return;
            }
            Map<String, String> headers = readHeaders(upIn);
            StringBuilder response = new StringBuilder(statusLine).append("\r\n");
            headers.forEach((name, value) -> {
                String lower = name.toLowerCase(Locale.ROOT);
                if (!lower.equals("connection") && !lower.equals("keep-alive")) {
                    response.append(name).append(": ").append(value).append("\r\n");
                }
            });
            response.append("Connection: close\r\n\r\n");
            out.write(response.toString().getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            int code = Integer.parseInt(statusLine.split(" ")[1]);
            if ("HEAD".equals(head.method()) || code == 204 || code == 304 || code / 100 == 1) {
                return;
            }
            String length = header(headers, "content-length");
            if ("chunked".equalsIgnoreCase(header(headers, "transfer-encoding"))) {
                copyChunked(upIn, out);
            } else if (length != null) {
                copy(upIn, out, Long.parseLong(length.trim()));
            } else {
                upIn.transferTo(out);
            }
            out.flush();
        } finally {
            open.removeIf(socket -> socket.isClosed());
        }
    }

    /** Passes an upgraded connection (a WebSocket watch) through unchanged, both ways, until either side closes. */
    private void tunnel(Head head, InputStream clientIn, Socket client) throws IOException {
        Socket upstream = new Socket(target.getHost(), port());
        open.add(upstream);
        try {
            StringBuilder request = new StringBuilder(head.method()).append(' ').append(head.target())
                    .append(" HTTP/1.1\r\n");
            head.headers().forEach((name, value) -> {
                if (!name.equalsIgnoreCase("host")) {
                    request.append(name).append(": ").append(value).append("\r\n");
                }
            });
            request.append("Host: ").append(target.getHost()).append(':').append(port()).append("\r\n\r\n");
            OutputStream up = upstream.getOutputStream();
            up.write(request.toString().getBytes(StandardCharsets.ISO_8859_1));
            up.flush();
            threads.execute(() -> {
                try {
                    clientIn.transferTo(up);
                } catch (IOException e) {
                    // one side closed
                } finally {
                    closeQuietly(upstream);
                    closeQuietly(client);
                }
            });
            InputStream upIn = upstream.getInputStream();
            OutputStream out = client.getOutputStream();
            byte[] buffer = new byte[8192];
            int n;
            while ((n = upIn.read(buffer)) >= 0) {
                out.write(buffer, 0, n);
                out.flush();
            }
        } catch (IOException e) {
            // one side closed
        } finally {
            closeQuietly(upstream);
            closeQuietly(client);
            open.remove(upstream);
        }
    }

    /**
     * kube-apiserver's check of {@code DeleteOptions.preconditions}: the object as stored now must have the given uid
     * (checked first) and resourceVersion; a mismatch is a 409, and nothing is deleted.
     */
    private Answer.Respond checkPreconditions(Request request) throws IOException, InterruptedException {
        if (request.body().isBlank()) {
            return null;
        }
        JsonNode preconditions = JSON.readTree(request.body()).path("preconditions");
        if (preconditions.isMissingNode() || preconditions.isNull()) {
            return null;
        }
        HttpResponse<String> current = reader.send(HttpRequest.newBuilder(target.resolve(request.path())).GET()
                .build(), HttpResponse.BodyHandlers.ofString());
        if (current.statusCode() != 200) {
            return null; // the API server answers the delete (404) itself
        }
        JsonNode metadata = JSON.readTree(current.body()).path("metadata");
        Matcher path = Pattern.compile("/apis?/(?:([^/]+)/)?[^/]+/namespaces/([^/]+)/([^/]+)/([^/]+)")
                .matcher(request.path());
        if (!path.matches()) {
            return null;
        }
        String group = request.path().startsWith("/apis/") ? path.group(1) : "";
        for (String[] check : new String[][] {{"uid", "UID"}, {"resourceVersion", "ResourceVersion"}}) {
            JsonNode expected = preconditions.path(check[0]);
            String actual = metadata.path(check[0]).asText("");
            if (expected.isTextual() && !expected.asText().equals(actual)) {
                return Answer.status(KubeStatus.preconditionFailed(group, path.group(3), path.group(2),
                        path.group(4), check[1], expected.asText(), actual));
            }
        }
        return null;
    }

    // ---- HTTP/1.1 framing ---------------------------------------------------------------------------------------------

    private record Head(String method, String target, Map<String, String> headers) {

        static Head read(InputStream in) throws IOException {
            String line = readLine(in);
            if (line == null || line.isEmpty()) {
                return null;
            }
            String[] parts = line.split(" ");
            return new Head(parts[0], parts[1], readHeaders(in));
        }

        /** A WebSocket upgrade; other upgrades (the JDK client's {@code h2c}) are declined by leaving them out. */
        boolean upgrade() {
            return "websocket".equalsIgnoreCase(header(headers, "upgrade"));
        }

        Request request(String body) {
            int q = target.indexOf('?');
            return new Request(Instant.now(), method, q < 0 ? target : target.substring(0, q),
                    q < 0 ? null : target.substring(q + 1), body);
        }
    }

    private static byte[] readBody(Head head, InputStream in) throws IOException {
        if ("chunked".equalsIgnoreCase(header(head.headers(), "transfer-encoding"))) {
            return dechunk(in);
        }
        String length = header(head.headers(), "content-length");
        return length == null ? new byte[0] : in.readNBytes(Integer.parseInt(length.trim()));
    }

    /** Copies a chunked body verbatim (chunk sizes, data, trailers), flushing chunk by chunk (streaming). */
    private static void copyChunked(InputStream in, OutputStream out) throws IOException {
        while (true) {
            String size = readLine(in);
            if (size == null) {
                return;
            }
            out.write((size + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
            int length = Integer.parseInt(size.split(";")[0].trim(), 16);
            if (length == 0) {
                String trailer;
                while ((trailer = readLine(in)) != null && !trailer.isEmpty()) {
                    out.write((trailer + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
                }
                out.write("\r\n".getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
                return;
            }
            copy(in, out, length);
            readLine(in);
            out.write("\r\n".getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
        }
    }

    private static byte[] dechunk(InputStream in) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (true) {
            String size = readLine(in);
            int length = size == null ? 0 : Integer.parseInt(size.split(";")[0].trim(), 16);
            if (length == 0) {
                String trailer;
                while (size != null && (trailer = readLine(in)) != null && !trailer.isEmpty()) {
                    // trailers are dropped
                }
                return body.toByteArray();
            }
            body.write(in.readNBytes(length));
            readLine(in);
        }
    }

    private static void copy(InputStream in, OutputStream out, long length) throws IOException {
        byte[] buffer = new byte[8192];
        long left = length;
        while (left > 0) {
            int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
            if (n < 0) {
                return;
            }
            out.write(buffer, 0, n);
            left -= n;
        }
    }

    private static Map<String, String> readHeaders(InputStream in) throws IOException {
        Map<String, String> headers = new LinkedHashMap<>();
        String line;
        while ((line = readLine(in)) != null && !line.isEmpty()) {
            int colon = line.indexOf(':');
            if (colon > 0) {
                headers.merge(line.substring(0, colon).trim(), line.substring(colon + 1).trim(), (a, b) -> a + ", " + b);
            }
        }
        return headers;
    }

    private static String header(Map<String, String> headers, String name) {
        return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name)).map(Map.Entry::getValue)
                .findFirst().orElse(null);
    }

    /** A CRLF- (or LF-) terminated line, without the terminator; null at the end of the stream. */
    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0) {
            if (b == '\n') {
                byte[] bytes = line.toByteArray();
                int end = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                return new String(bytes, 0, end, StandardCharsets.ISO_8859_1);
            }
            line.write(b);
        }
        return line.size() == 0 ? null : line.toString(StandardCharsets.ISO_8859_1);
    }

    private static void respond(OutputStream out, Answer.Respond answer) throws IOException {
        byte[] body = answer.body().getBytes(StandardCharsets.UTF_8);
        StringBuilder head = new StringBuilder("HTTP/1.1 ").append(answer.code()).append(' ')
                .append(phrase(answer.code())).append("\r\n");
        answer.headers().forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
        head.append("Content-Length: ").append(body.length).append("\r\nConnection: close\r\n\r\n");
        out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
        out.write(body);
        out.flush();
    }

    private static String phrase(int code) {
        return switch (code) {
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 409 -> "Conflict";
            case 410 -> "Gone";
            case 422 -> "Unprocessable Entity";
            case 429 -> "Too Many Requests";
            case 500 -> "Internal Server Error";
            case 502 -> "Bad Gateway";
            case 503 -> "Service Unavailable";
            case 504 -> "Gateway Timeout";
            default -> "Status " + code;
        };
    }

    private int port() {
        return target.getPort() < 0 ? 80 : target.getPort();
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // already closed
        }
    }

    /** For assertions: the recorded requests, one per line. */
    @Override
    public String toString() {
        List<String> lines = new ArrayList<>();
        requests.forEach(r -> lines.add(r.method() + " " + r.path() + (r.query() == null ? "" : "?" + r.query())));
        return "KubeApiProxy -> " + target + " " + lines;
    }
}
