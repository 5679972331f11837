package io.sochdb.release.fakes;

import com.sun.net.httpserver.HttpExchange;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * One exchange as the fake sees it. The request is recorded just before the first response byte leaves, so a
 * client that has its answer always finds its request in {@link FakeGitHub#requests()}; the body is drained first
 * so that the recorded size is the full size and an early answer never turns into a broken pipe on the client.
 */
final class Call {

    final HttpExchange exchange;
    final String method;
    final String path;
    final String query;
    private final Instant at = Instant.now();
    private final Counting body;
    private final Consumer<Recorded> recorder;
    private boolean recorded;
    /** Set when the request is to be served in full but its answer broken off, as by a connection lost late. */
    boolean loseResponse;

    Call(HttpExchange exchange, Consumer<Recorded> recorder) {
        this.exchange = exchange;
        this.method = exchange.getRequestMethod().toUpperCase(java.util.Locale.ROOT);
        this.path = exchange.getRequestURI().getPath();
        this.query = exchange.getRequestURI().getRawQuery();
        this.body = new Counting(exchange.getRequestBody());
        this.recorder = recorder;
    }

    String header(String name) {
        return exchange.getRequestHeaders().getFirst(name);
    }

    Map<String, String> params() {
        Map<String, String> params = new LinkedHashMap<>();
        if (query == null || query.isEmpty()) {
            return params;
        }
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            String key = eq < 0 ? pair : pair.substring(0, eq);
            String value = eq < 0 ? "" : pair.substring(eq + 1);
            params.putIfAbsent(URLDecoder.decode(key, StandardCharsets.UTF_8),
                URLDecoder.decode(value, StandardCharsets.UTF_8));
        }
        return params;
    }

    InputStream body() {
        return body;
    }

    byte[] readBody() throws IOException {
        return body.readAllBytes();
    }

    void send(int status, Map<String, String> headers, byte[] bytes) throws IOException {
        if (loseResponse) {
            drop();
            return;
        }
        prepare(headers);
        // 0 would mean "chunked" to HttpServer; -1 is its spelling of an empty body.
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    void sendStream(int status, Map<String, String> headers, InputStream in, long length) throws IOException {
        if (loseResponse) {
            in.close();
            drop();
            return;
        }
        prepare(headers);
        exchange.sendResponseHeaders(status, length == 0 ? -1 : length);
        try (in; OutputStream out = exchange.getResponseBody()) {
            in.transferTo(out);
        }
    }

    /**
     * Breaks the connection mid-response: a 200 announcing more bytes than follow. Closing before any header is
     * not enough, because java.net.http.HttpClient silently resends a GET once when a reused connection closes
     * before the first response byte, and the client under test would never see the fault. HttpServer closes the
     * socket itself when the exchange ends with bytes still owed.
     */
    void drop() throws IOException {
        prepare(Map.of("Content-Type", "application/octet-stream"));
        exchange.sendResponseHeaders(200, 64 * 1024);
        OutputStream out = exchange.getResponseBody();
        out.write(new byte[16]);
        out.flush();
        exchange.close();
    }

    void drainAndRecord() throws IOException {
        try {
            body.transferTo(OutputStream.nullOutputStream());
        } catch (IOException e) {
            // A client that gave up mid-body still made the request.
        }
        record();
    }

    void record() {
        if (recorded) {
            return;
        }
        recorded = true;
        Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        exchange.getRequestHeaders().forEach((name, values) -> headers.put(name, List.copyOf(values)));
        List<String> auth = headers.get("Authorization");
        if (auth != null) {
            List<String> redacted = new ArrayList<>();
            for (String value : auth) {
                int space = value.indexOf(' ');
                redacted.add((space < 0 ? "" : value.substring(0, space + 1)) + "[redacted]");
            }
            headers.put("Authorization", List.copyOf(redacted));
        }
        recorder.accept(new Recorded(method, path, query, Collections.unmodifiableMap(headers), body.count, at));
    }

    private void prepare(Map<String, String> headers) throws IOException {
        drainAndRecord();
        headers.forEach((name, value) -> exchange.getResponseHeaders().set(name, value));
    }

    private static final class Counting extends FilterInputStream {
        long count;

        Counting(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] buf, int off, int len) throws IOException {
            int n = super.read(buf, off, len);
            if (n > 0) {
                count += n;
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long skipped = super.skip(n);
            count += skipped;
            return skipped;
        }
    }
}
