package io.sochdb.release.service;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.main.Main;

import io.sochdb.release.Application;
import io.sochdb.release.run.ReleaseRequest;
import io.sochdb.release.run.ReleaseRun;
import io.sochdb.release.state.RunRecord;
import io.sochdb.release.state.RunStore;
import io.sochdb.release.state.StateDatabase;
import io.sochdb.release.summary.SummaryWriter;

/**
 * Service mode as it runs, in this JVM: the real main, triggers.camel.yaml and runs.camel.yaml, the HTTP server with its guard,
 * the embedded state store; only {@code direct:release} is a stand-in that records what it was asked to release,
 * can be held until a test lets it go, and can fail dry runs the way an outage would.
 */
final class ServiceHarness implements AutoCloseable {

    static final String SECRET = "whsec-harness";
    static final String TOKEN = "trigger-harness";
    static final ObjectMapper JSON = new ObjectMapper();

    final int port;
    final int management;
    final List<ReleaseRequest> received = new CopyOnWriteArrayList<>();
    /** Dry runs to fail, one after the other, with an outage (a passing failure). */
    final java.util.concurrent.atomic.AtomicInteger dryRunFailures = new java.util.concurrent.atomic.AtomicInteger();
    /** Runs inside the stand-in release at this moment. */
    final java.util.concurrent.atomic.AtomicInteger inside = new java.util.concurrent.atomic.AtomicInteger();
    private volatile CountDownLatch gate = new CountDownLatch(0);
    private final Main main;
    private final Thread runner;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();

    ServiceHarness(Path dir, Map<String, String> settings) throws Exception {
        port = freePort();
        management = freePort();
        main = Application.service();
        main.configure().addRoutesBuilder(new RouteBuilder() {
            @Override
            public void configure() {
                // The real release route continues on other threads from its parallel wheel split on; the stand-in
                // hands over to a thread of its own the same way, so that the run queue meets an asynchronous release.
                from("direct:release").routeId("release").threads(2).process(exchange -> {
                    inside.incrementAndGet();
                    try {
                        gate.await(60, TimeUnit.SECONDS);
                        ReleaseRun run = exchange.getMessage().getBody(ReleaseRun.class);
                        received.add(run.request());
                        if (run.request().dryRun() && dryRunFailures.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                            run.fail(new UncheckedIOException(new IOException("Connection refused (stand-in outage)")));
                        }
                        exchange.getContext().getRegistry().lookupByNameAndType("summaryWriter", SummaryWriter.class)
                                .write(run);
                    } finally {
                        inside.decrementAndGet();
                    }
                });
            }
        });
        Map<String, String> all = new java.util.HashMap<>(Map.of(
                "camel.main.routes-include-pattern", "classpath:routes/triggers.camel.yaml,classpath:routes/runs.camel.yaml",
                "camel.server.port", String.valueOf(port), "camel.management.port", String.valueOf(management),
                "webhook.secret", SECRET, "trigger.token", TOKEN, "state.dir", dir.resolve("state").toString(),
                "dist.dir", dir.resolve("dist").toString(), "state.lease-seconds", "2",
                "state.retry.delay-seconds", "0", "release.dry-run-first", "false"));
        all.put("sochdb.poll-interval", "");
        all.put("state.db-url", "");
        all.put("camel.main.shutdown-timeout", "5");
        all.putAll(settings);
        all.forEach(main::addOverrideProperty);
        runner = new Thread(() -> {
            try {
                main.run();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, "service-harness");
        runner.setDaemon(true);
        runner.start();
        await("the service to answer", () -> {
            CamelContext context = main.getCamelContext();
            return context != null && context.isStarted() && get("/releases").statusCode() == 200;
        });
    }

    CamelContext context() {
        return main.getCamelContext();
    }

    RunStore store() {
        return new RunStore(context().getRegistry().lookupByNameAndType("stateDatabase", StateDatabase.class),
                java.time.Clock.systemUTC());
    }

    RunRecord record(String key) {
        return store().find(key).orElseThrow(() -> new AssertionError("no run " + key));
    }

    /** Runs wait in the stand-in release until {@link #letGo}. */
    void hold() {
        gate = new CountDownLatch(1);
    }

    void letGo() {
        gate.countDown();
    }

    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> health(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + management + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> trigger(String body, String token) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/releases"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> webhook(String event, String delivery, String body) throws IOException, InterruptedException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        return webhook(bytes, Map.of("X-GitHub-Event", event, "X-GitHub-Delivery", delivery,
                "X-Hub-Signature-256", new WebhookSignature(SECRET).header(bytes), "Content-Type", "application/json"));
    }

    HttpResponse<String> webhook(byte[] body, Map<String, String> headers) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/webhooks/github"))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach(request::header);
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    static JsonNode json(HttpResponse<String> response) throws IOException {
        return JSON.readTree(response.body());
    }

    static String published(String tag) throws IOException {
        return published(p -> p.with("release").put("tag_name", tag));
    }

    static String published(java.util.function.Consumer<ObjectNode> change) throws IOException {
        try (InputStream in = ServiceHarness.class.getResourceAsStream("/webhooks/release-published.json")) {
            ObjectNode payload = (ObjectNode) JSON.readTree(in);
            change.accept(payload);
            return JSON.writeValueAsString(payload);
        }
    }

    static void await(String what, Callable<Boolean> done) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        Exception last = null;
        while (System.nanoTime() < deadline) {
            try {
                if (Boolean.TRUE.equals(done.call())) {
                    return;
                }
            } catch (Exception e) {
                last = e;
            }
            LockSupport.parkNanos(20_000_000);
        }
        throw new AssertionError("gave up waiting for " + what, last);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Override
    public void close() throws InterruptedException {
        letGo();
        main.completed();
        runner.join(30_000);
    }
}
