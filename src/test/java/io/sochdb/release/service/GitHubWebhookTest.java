package io.sochdb.release.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.sochdb.release.run.ReleaseRun;
import io.sochdb.release.state.DeliveryStore;
import io.sochdb.release.state.PollerStore;
import io.sochdb.release.state.Replica;
import io.sochdb.release.state.RunStore;
import io.sochdb.release.state.StateDatabase;
import io.sochdb.release.summary.Links;
import io.sochdb.release.summary.SummaryWriter;

/** The webhook's answers, case by case, with the real run registry in front of a stand-in release route. */
class GitHubWebhookTest {

    private static final String SECRET = "whsec-unit-test";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;
    private StubReleases releases;
    private ReleaseRuns runs;
    private GitHubWebhook webhook;

    @BeforeEach
    void start() throws Exception {
        releases = new StubReleases();
        runs = releases.runs(tmp.resolve("dist"));
        webhook = webhook(SECRET, false);
    }

    @AfterEach
    void stop() {
        releases.close();
    }

    private GitHubWebhook webhook(String secret, boolean prereleases) {
        return new GitHubWebhook(secret, "sochdb/sochdb", prereleases, releases.deliveries(), runs);
    }

    @Test
    void withoutASecretEveryRequestIsRefused() throws IOException {
        for (String secret : new String[] {null, "", "  "}) {
            HttpReply reply = webhook(secret, false).handle(signed("release", "d-1", published()));
            assertThat(reply.status()).as("secret %s", secret).isEqualTo(401);
        }
        assertThat(releases.submitted()).isZero();
    }

    @Test
    void aMissingOrWrongSignatureIsRefusedBeforeTheBodyIsRead() throws IOException {
        byte[] body = published().getBytes(StandardCharsets.UTF_8);
        HttpReply missing = webhook.handle(exchange(body, Map.of("X-GitHub-Event", "release", "X-GitHub-Delivery", "d-1")));
        HttpReply wrong = webhook.handle(exchange(body, Map.of("X-GitHub-Event", "release", "X-GitHub-Delivery", "d-2",
                "X-Hub-Signature-256", new WebhookSignature("another secret").header(body))));
        // A forged body that is not even JSON must get 401, not 400: nothing unauthenticated is parsed.
        HttpReply garbage = webhook.handle(exchange("{not json".getBytes(StandardCharsets.UTF_8),
                Map.of("X-GitHub-Event", "release", "X-Hub-Signature-256", "sha256=" + "0".repeat(64))));

        assertThat(missing.status()).isEqualTo(401);
        assertThat(wrong.status()).isEqualTo(401);
        assertThat(garbage.status()).isEqualTo(401);
        assertThat(releases.submitted()).isZero();
        assertThat(releases.delivered()).as("no delivery recorded for a forged request").isEmpty();
    }

    @Test
    void pingIsAnswered() throws IOException {
        HttpReply reply = webhook.handle(signed("ping", "d-ping", resource("ping.json")));
        assertThat(reply.status()).isEqualTo(200);
        assertThat(releases.submitted()).isZero();
    }

    @Test
    void aPublishedUpstreamReleaseStartsARun() throws IOException {
        HttpReply reply = webhook.handle(signed("release", "d-1", published()));

        assertThat(reply.status()).isEqualTo(202);
        assertThat(reply.headers()).containsEntry("Location", "/releases/0.3.2");
        assertThat(releases.submitted()).isEqualTo(1);
        ReleaseRun run = runs.live("0.3.2").orElseThrow();
        assertThat(run.request().version()).isEqualTo("0.3.2");
        assertThat(run.request().upstreamVersion()).isEqualTo("0.3.2");
        assertThat(run.request().dryRun()).isFalse();
    }

    @Test
    void releasesThatAreNotForUsAreAcknowledgedWithNoContent() throws IOException {
        assertThat(webhook.handle(signed("release", "d-draft", published(r -> r.with("release").put("draft", true)))).status())
                .as("draft").isEqualTo(204);
        assertThat(webhook.handle(signed("release", "d-other", published(r -> r.with("repository")
                .put("full_name", "someone/sochdb")))).status()).as("other repository").isEqualTo(204);
        assertThat(webhook.handle(signed("release", "d-created", published(r -> r.put("action", "created")))).status())
                .as("action created").isEqualTo(204);
        assertThat(webhook.handle(signed("push", "d-push", published())).status()).as("another event").isEqualTo(204);
        assertThat(webhook.handle(signed("release", "d-pre", published(r -> r.with("release").put("prerelease", true))))
                .status()).as("prerelease, not configured").isEqualTo(204);
        assertThat(releases.submitted()).isZero();
    }

    @Test
    void prereleasesStartRunsWhenConfigured() throws IOException {
        HttpReply reply = webhook(SECRET, true).handle(signed("release", "d-rc", published(r -> r.with("release")
                .put("prerelease", true).put("tag_name", "v1.0.0-rc1"))));

        assertThat(reply.status()).isEqualTo(202);
        assertThat(reply.headers()).containsEntry("Location", "/releases/1.0.0rc1");
        // Upstream's archives keep its own spelling of the version.
        assertThat(runs.live("1.0.0rc1").orElseThrow().request().upstreamVersion()).isEqualTo("1.0.0-rc1");
    }

    @Test
    void aMalformedBodyWithAValidSignatureIsABadRequest() {
        assertThat(webhook.handle(signed("release", "d-1", "{\"action\": \"published\",")).status()).isEqualTo(400);
        assertThat(webhook.handle(signed("release", "d-2", "[1, 2]")).status()).isEqualTo(400);
        assertThat(webhook.handle(signed("release", "d-3", "")).status()).isEqualTo(400);
        assertThat(releases.submitted()).isZero();
    }

    @Test
    void anInvalidTagIsABadRequestAndStartsNothing() throws IOException {
        HttpReply reply = webhook.handle(signed("release", "d-latest", published(r -> r.with("release").put("tag_name", "vlatest"))));

        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.json()).contains("vlatest");
        assertThat(releases.submitted()).isZero();
    }

    @Test
    void aRedeliveryIsAnsweredAndStartsNothing() throws IOException {
        assertThat(webhook.handle(signed("release", "d-1", published())).status()).isEqualTo(202);
        releases.finishAll();

        HttpReply again = webhook.handle(signed("release", "d-1", published()));

        assertThat(again.status()).isEqualTo(200);
        assertThat(again.json()).contains("already handled");
        assertThat(releases.submitted()).isEqualTo(1);
    }

    @Test
    void aSecondDeliveryForARunningVersionStartsNothing() throws IOException {
        assertThat(webhook.handle(signed("release", "d-1", published())).status()).isEqualTo(202);
        HttpReply second = webhook.handle(signed("release", "d-2", published()));

        assertThat(second.status()).isEqualTo(200);
        assertThat(second.json()).contains("already running");
        assertThat(releases.submitted()).isEqualTo(1);
    }

    @Test
    void aSecondDeliveryForAReleasedVersionStartsNothing() throws IOException {
        webhook.handle(signed("release", "d-1", published()));
        releases.finishAll();

        HttpReply second = webhook.handle(signed("release", "d-2", published()));

        assertThat(second.status()).isEqualTo(200);
        assertThat(second.json()).contains("already done");
        assertThat(releases.submitted()).isEqualTo(1);
    }

    @Test
    void handledDeliveriesSurviveARestart() throws IOException {
        assertThat(webhook.handle(signed("release", "d-1", published())).status()).isEqualTo(202);

        // A new process: fresh registry (nothing live), the same delivery log file.
        runs = releases.runs(tmp.resolve("dist-after-restart"));
        HttpReply redelivered = webhook(SECRET, false).handle(signed("release", "d-1", published()));

        assertThat(redelivered.status()).isEqualTo(200);
        assertThat(releases.submitted()).isEqualTo(1);
        assertThat(releases.deliveries().firstTime("d-1")).isFalse();
        assertThat(releases.deliveries().firstTime("d-2")).isTrue();
    }

    /**
     * A delivery refused while shutting down must not be written to the delivery log first: otherwise GitHub's
     * redelivery after the restart gets "200 already handled" and the release never runs (the poller's baseline
     * would not pick it up either).
     */
    @Test
    void aDeliveryRefusedDuringShutdownIsNotMarkedHandled() throws IOException {
        runs.stopAccepting();
        HttpReply refused = webhook.handle(signed("release", "d-1", published()));
        assertThat(refused.status()).isEqualTo(503);

        runs = releases.runs(tmp.resolve("dist"));
        HttpReply redelivered = webhook(SECRET, false).handle(signed("release", "d-1", published()));
        assertThat(redelivered.status()).as("redelivery after the restart").isEqualTo(202);
    }

    /**
     * BUG: a dry run of an already released version replaces the production run in the registry and overwrites its
     * summary.json with dry_run=true, so ReleaseRuns forgets the version was released and the next delivery for it
     * starts a second production run (ReleaseRuns promises a succeeded version is never started twice).
     */
    @Test
    void aDryRunAfterTheReleaseDoesNotMakeTheWebhookReleaseItAgain() throws IOException {
        webhook.handle(signed("release", "d-1", published()));
        releases.finishAll();
        assertThat(runs.start("0.3.2", null, true, "manual trigger").outcome()).isEqualTo(ReleaseRuns.Outcome.STARTED);
        releases.finishAll();

        HttpReply later = webhook.handle(signed("release", "d-2", published()));

        assertThat(later.status()).as(later.json()).isEqualTo(200);
        assertThat(releases.submitted()).as("the production run and the dry run only").isEqualTo(2);
    }

    @Test
    void aFormEncodedDeliveryIsRefusedWithWhatToChange() throws IOException {
        Exchange form = signed("release", "d-form", published());
        form.getMessage().setHeader("Content-Type", "application/x-www-form-urlencoded");

        HttpReply reply = webhook.handle(form);

        assertThat(reply.status()).isEqualTo(415);
        assertThat(reply.json()).contains("application/json");
        assertThat(releases.submitted()).isZero();
    }

    // ---- helpers --------------------------------------------------------------------------------------------------

    private String published() throws IOException {
        return published(r -> { });
    }

    private String published(java.util.function.Consumer<ObjectNode> change) throws IOException {
        ObjectNode payload = (ObjectNode) JSON.readTree(resource("release-published.json"));
        change.accept(payload);
        return JSON.writeValueAsString(payload);
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = GitHubWebhookTest.class.getResourceAsStream("/webhooks/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private Exchange signed(String event, String delivery, String body) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        return exchange(bytes, Map.of("X-GitHub-Event", event, "X-GitHub-Delivery", delivery,
                "X-Hub-Signature-256", new WebhookSignature(SECRET).header(bytes)));
    }

    private Exchange exchange(byte[] body, Map<String, String> headers) {
        Exchange exchange = new DefaultExchange(releases.context);
        exchange.getMessage().setBody(body);
        headers.forEach(exchange.getMessage()::setHeader);
        return exchange;
    }

    @Test
    void withDryRunFirstAWebhookRunsADryRunAndThenTheRelease() throws IOException {
        runs = releases.runs(tmp.resolve("dist"), true);

        assertThat(webhook(SECRET, false).handle(signed("release", "d-1", published())).status()).isEqualTo(202);
        releases.finishAll();

        assertThat(releases.received).extracting(r -> r.dryRun()).containsExactly(true, false);
        assertThat(releases.received.get(0).dist()).isEqualTo(tmp.resolve("dist").toAbsolutePath().resolve("0.3.2-dry-run"));
        assertThat(releases.store().find("0.3.2").orElseThrow().state()).isEqualTo("succeeded");
    }

    @Test
    void withDryRunFirstAFailedDryRunStopsTheReleaseBeforeItStarts() throws IOException {
        runs = releases.runs(tmp.resolve("dist"), true);
        releases.failDryRuns = true;

        webhook(SECRET, false).handle(signed("release", "d-1", published()));
        releases.finishAll();

        assertThat(releases.received).extracting(r -> r.dryRun()).containsExactly(true);
        var record = releases.store().find("0.3.2").orElseThrow();
        assertThat(record.state()).isEqualTo("failed");
        assertThat(record.error()).contains("the dry run before the release failed").contains("the stand-in dry run broke");
    }

    @Test
    void aManualProductionRunIsNotPrecededByADryRun() {
        runs = releases.runs(tmp.resolve("dist"), true);

        assertThat(runs.start("0.3.2", null, false, "manual trigger").outcome()).isEqualTo(ReleaseRuns.Outcome.STARTED);
        releases.finishAll();

        assertThat(releases.received).extracting(r -> r.dryRun()).containsExactly(false);
    }

    /**
     * Stands in for the release route: each run waits until {@link #finishAll} and then writes its summary the way
     * the real route's last step does. Submissions are counted as they happen, so "no second run" needs no waiting.
     */
    static final class StubReleases implements AutoCloseable {

        final DefaultCamelContext context = new DefaultCamelContext();
        private final AtomicInteger submitted = new AtomicInteger();
        private final AtomicInteger completed = new AtomicInteger();
        private final CountDownLatch gate = new CountDownLatch(1);
        private final ExecutorService executor = new ThreadPoolExecutor(4, 4, 1, TimeUnit.SECONDS, new LinkedBlockingQueue<>()) {
            @Override
            public void execute(Runnable command) {
                submitted.incrementAndGet();
                super.execute(command);
            }
        };
        private final SummaryWriter summaries =
                new SummaryWriter(new Links("https://github.com", "sochdb/sochdb", "sochdb/sochdb-python-sdk", "https://pypi.org"),
                        new io.sochdb.release.files.TextFiles(context));

        private final Path stateDir = Files.createTempDirectory("stub-releases-state");
        private final StateDatabase db = StateDatabase.open("", null, null, stateDir);
        private final List<ReleaseRuns> registries = new java.util.concurrent.CopyOnWriteArrayList<>();
        final List<io.sochdb.release.run.ReleaseRequest> received = new java.util.concurrent.CopyOnWriteArrayList<>();
        volatile boolean failDryRuns;

        StubReleases() throws Exception {
            context.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("direct:release").process(e -> {
                        gate.await(30, TimeUnit.SECONDS);
                        ReleaseRun run = e.getMessage().getBody(ReleaseRun.class);
                        received.add(run.request());
                        if (failDryRuns && run.request().dryRun()) {
                            run.fail(new IllegalStateException("the stand-in dry run broke"));
                        }
                        e.getMessage().setBody(summaries.write(e.getMessage().getBody(ReleaseRun.class)));
                        completed.incrementAndGet();
                    });
                }
            });
            context.start();
        }

        /** A new registry over the same store, as a restarted process or another replica would have. */
        ReleaseRuns runs(Path dist) {
            return runs(dist, false);
        }

        ReleaseRuns runs(Path dist, boolean dryRunFirst) {
            ReleaseRuns runs = new ReleaseRuns(context.createProducerTemplate(), executor, dist,
                    new RunStore(db, Clock.systemUTC()), Replica.newId(), Duration.ofSeconds(30), run -> "{}", dryRunFirst);
            registries.add(runs);
            return runs;
        }

        RunStore store() {
            return new RunStore(db, Clock.systemUTC());
        }

        DeliveryStore deliveries() {
            return new DeliveryStore(db, Clock.systemUTC());
        }

        PollerStore pollerMemory() {
            return new PollerStore(db, Clock.systemUTC());
        }

        List<String> delivered() {
            return db.query("SELECT delivery_id FROM webhook_deliveries", row -> row.getString(1));
        }

        int submitted() {
            return submitted.get();
        }

        /** Lets every run finish, and waits until each has written its summary. */
        void finishAll() {
            gate.countDown();
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (completed.get() < submitted.get() || registries.stream().anyMatch(r -> !r.liveRuns().isEmpty())) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError(completed.get() + " of " + submitted.get() + " runs finished");
                }
                LockSupport.parkNanos(1_000_000);
            }
        }

        @Override
        public void close() {
            // Runs still held are let go, so none ends in a misleading "stopped" error during teardown.
            gate.countDown();
            executor.shutdown();
            try {
                executor.awaitTermination(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            context.stop();
            db.close();
        }
    }
}
