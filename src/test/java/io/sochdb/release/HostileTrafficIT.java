package io.sochdb.release;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import io.sochdb.release.service.WebhookSignature;

/**
 * The packaged jar under hostile traffic, at the heap a small pod gets (-Xmx384m): a flood of concurrent 25 MB
 * webhook POSTs without a valid signature, and clients that open connections and never finish a request. The
 * service must stay alive, answer a signed ping and keep liveness UP, and let go of every slow connection.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HostileTrafficIT {

    private static final String SECRET = "whsec-hostile-it";
    private static final int BODY = 25 * 1024 * 1024;

    @TempDir
    static Path tmp;
    private Process service;
    private int port;
    private int management;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    void start() throws Exception {
        port = freePort();
        management = freePort();
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx384m", "-jar", System.getProperty("release.jar")).directory(tmp.toFile())
                .redirectOutput(tmp.resolve("service.out").toFile()).redirectError(tmp.resolve("service.err").toFile());
        Map<String, String> env = builder.environment();
        env.remove("STATE_DB_URL");
        env.remove("SOCHDB_POLL_INTERVAL");
        env.putAll(Map.of("SERVER_PORT", String.valueOf(port), "MANAGEMENT_PORT", String.valueOf(management),
                "WEBHOOK_SECRET", SECRET, "STATE_DIR", tmp.resolve("state").toString(),
                "DIST_DIR", tmp.resolve("dist").toString(), "SERVER_HEADER_TIMEOUT_SECONDS", "2"));
        service = builder.start();
        await("the service to be ready", () -> live() == 200);
    }

    @AfterAll
    void stop() throws Exception {
        if (service != null) {
            service.destroy();
            if (!service.waitFor(30, TimeUnit.SECONDS)) {
                service.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void aFloodOfLargeUnsignedPostsLeavesTheServiceAliveAndAnswering() throws Exception {
        Map<String, AtomicInteger> outcomes = new ConcurrentHashMap<>();
        ExecutorService pool = Executors.newFixedThreadPool(60);
        try {
            for (int round = 0; round < 2; round++) {
                List<Future<?>> posts = new ArrayList<>();
                for (int i = 0; i < 60; i++) {
                    String signature = i % 2 == 0 ? null : "sha256=" + "0".repeat(64);
                    posts.add(pool.submit(() -> outcomes.computeIfAbsent(post(signature), k -> new AtomicInteger())
                            .incrementAndGet()));
                }
                for (Future<?> post : posts) {
                    post.get(5, TimeUnit.MINUTES);
                }
            }
        } finally {
            pool.shutdownNow();
        }

        assertThat(service.isAlive()).as("outcomes %s", outcomes).isTrue();
        assertThat(outcomes.keySet()).as("every request refused: 401 after reading, 503 at once, or cut off")
                .isSubsetOf("401", "503", "reset");
        assertThat(outcomes.getOrDefault("503", new AtomicInteger()).get()).as("the cap was reached").isPositive();
        assertThat(signedPing()).isEqualTo(200);
        assertThat(live()).isEqualTo(200);
        String log = Files.readString(tmp.resolve("service.out")) + Files.readString(tmp.resolve("service.err"));
        assertThat(log).doesNotContain("OutOfMemoryError").doesNotContain("Event loop shut down");
    }

    @Test
    void connectionsThatNeverCompleteARequestAreClosed() throws Exception {
        List<Socket> slow = new ArrayList<>();
        try {
            for (int i = 0; i < 200; i++) {
                Socket socket = new Socket("127.0.0.1", port);
                socket.getOutputStream().write("POST /webhooks/github HTTP/1.1\r\nHost: x\r\n".getBytes(StandardCharsets.UTF_8));
                slow.add(socket);
            }
            Socket body = new Socket("127.0.0.1", port);
            body.getOutputStream().write(("POST /releases HTTP/1.1\r\nHost: x\r\nContent-Length: 40\r\n\r\n{\"ver")
                    .getBytes(StandardCharsets.UTF_8));
            slow.add(body);
            for (Socket socket : slow) {
                socket.setSoTimeout(60_000);
                assertThat(closedByPeer(socket)).as("closed by the service").isTrue();
            }
        } finally {
            for (Socket socket : slow) {
                socket.close();
            }
        }
        assertThat(signedPing()).isEqualTo(200);
    }

    @Test
    void aTooLargeBodyIsRefusedAndItsConnectionClosed() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(30_000);
            socket.getOutputStream().write(("POST /webhooks/github HTTP/1.1\r\nHost: x\r\nContent-Length: "
                    + (BODY + 1024 * 1024) + "\r\n\r\n").getBytes(StandardCharsets.UTF_8));
            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(answer).startsWith("HTTP/1.1 413").containsIgnoringCase("connection: close");
        }
    }

    private String post(String signature) {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(120_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /webhooks/github HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                    + "X-GitHub-Event: release\r\nX-GitHub-Delivery: flood\r\n"
                    + (signature == null ? "" : "X-Hub-Signature-256: " + signature + "\r\n")
                    + "Content-Length: " + BODY + "\r\n\r\n").getBytes(StandardCharsets.UTF_8));
            byte[] chunk = new byte[64 * 1024];
            try {
                for (int sent = 0; sent < BODY; sent += chunk.length) {
                    out.write(chunk);
                }
            } catch (IOException refusedEarly) {
                // The service answered before the body was sent (503) and closed: read what it said.
            }
            byte[] head = new byte[12];
            int read = socket.getInputStream().readNBytes(head, 0, head.length);
            return read < 12 ? "reset" : new String(head, 9, 3, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            return "reset";
        }
    }

    private int signedPing() throws Exception {
        byte[] body = "{\"zen\":\"Design for failure.\",\"hook_id\":1}".getBytes(StandardCharsets.UTF_8);
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/webhooks/github"))
                .header("Content-Type", "application/json").header("X-GitHub-Event", "ping")
                .header("X-GitHub-Delivery", "ping-" + System.nanoTime())
                .header("X-Hub-Signature-256", new WebhookSignature(SECRET).header(body))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    private int live() {
        try {
            return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + management + "/observe/health/live"))
                    .build(), HttpResponse.BodyHandlers.ofString()).statusCode();
        } catch (Exception e) {
            return -1;
        }
    }

    private static boolean closedByPeer(Socket socket) throws IOException {
        InputStream in = socket.getInputStream();
        try {
            while (in.read() >= 0) {
                // An answer (none is expected) is read past; the end of the stream is what counts.
            }
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException reset) {
            return true;
        }
    }

    private void await(String what, java.util.concurrent.Callable<Boolean> done) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (System.nanoTime() < deadline) {
            if (!service.isAlive()) {
                throw new AssertionError("the service exited: " + Files.readString(tmp.resolve("service.err")));
            }
            if (done.call()) {
                return;
            }
            LockSupport.parkNanos(100_000_000);
        }
        throw new AssertionError("gave up waiting for " + what);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
