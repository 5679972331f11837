package io.sochdb.release;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.sochdb.release.fakes.FakeGitHub;
import io.sochdb.release.fakes.FakePyPI;
import io.sochdb.release.fakes.FakeRelease;
import io.sochdb.release.fakes.PyPIUpload;
import io.sochdb.release.fakes.Recorded;
import io.sochdb.release.fakes.Seeds;
import io.sochdb.release.fixtures.Postgres;
import io.sochdb.release.fixtures.ServiceProcess;
import io.sochdb.release.service.WebhookSignature;

/**
 * Replicas of the real jar sharing one PostgreSQL, against a fake GitHub and a fake PyPI: duplicated triggers,
 * killed processes and a flaky network, and each version still released exactly once and completely.
 */
class ReliabilityIT {

    private static final String GITHUB_TOKEN = "ghp_reliability_it_never_printed";
    private static final String WEBHOOK_SECRET = "whsec-reliability-it-never-printed";
    private static final String TRIGGER_TOKEN = "trigger-reliability-it-never-printed";
    private static final Duration RUN_DEADLINE = Duration.ofSeconds(120);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SDK_RELEASES = "/api/repos/" + Seeds.SDK + "/releases";

    @TempDir
    Path tmp;
    private FakeGitHub github;
    private FakePyPI pypi;
    private String pypiToken;
    private Postgres.Database database;
    private final List<ServiceProcess> replicas = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        Postgres.require();
        github = FakeGitHub.start();
        pypi = FakePyPI.start();
        pypiToken = pypi.newApiToken();
        database = Postgres.freshDatabase();
        Seeds.upstreamRelease(github, tmp, "0.3.2");
        Seeds.sdkTarball(github, tmp, "0123456789abcdef0123456789abcdef01234567");
        github.requireToken(GITHUB_TOKEN);
    }

    @AfterEach
    void stop() throws Exception {
        for (ServiceProcess replica : replicas) {
            replica.close();
        }
        String output = replicas.stream().map(ServiceProcess::log).collect(Collectors.joining("\n"));
        for (String secret : List.of(GITHUB_TOKEN, pypiToken, WEBHOOK_SECRET, TRIGGER_TOKEN, database.password())) {
            assertThat(output).as("replica logs").doesNotContain(secret);
        }
        assertThat(github.violations()).isEmpty();
        assertThat(pypi.violations()).isEmpty();
        github.close();
        pypi.close();
    }

    @Test
    void theSameWebhookAtTwoReplicasAndAManualTriggerReleaseOnce() throws Exception {
        ServiceProcess a = replica("a", Map.of());
        ServiceProcess b = replica("b", Map.of());
        byte[] body = resource("release-published.json");

        List<HttpResponse<String>> answers = simultaneously(
                () -> webhook(a, "5e1a1c00-0001", body),
                () -> webhook(b, "5e1a1c00-0001", body),
                () -> trigger(b, "{\"version\": \"0.3.2\"}"));

        assertThat(answers).extracting(HttpResponse::statusCode).as(answers.toString())
                .containsOnlyOnce(202).allMatch(s -> s == 202 || s == 200 || s == 409);
        JsonNode status = awaitSucceeded(a, "0.3.2");
        assertThat(statusOf(b, "0.3.2").path("status").asText()).as("any replica answers alike").isEqualTo("succeeded");
        assertThat(status.path("run").path("attempt").asInt()).isEqualTo(1);
        assertReleasedOnce("0.3.2");
        // A redelivery to the other replica, after the run: nothing new.
        int writes = github.writeRequests().size();
        assertThat(webhook(a, "5e1a1c00-0001", body).statusCode()).isEqualTo(200);
        assertThat(webhook(b, "5e1a1c00-0002", body).statusCode()).isEqualTo(200);
        assertThat(github.writeRequests()).hasSize(writes);
    }

    @Test
    void killingTheReplicaThatHoldsARunMovesItToTheOther() throws Exception {
        ServiceProcess a = replica("a", Map.of());
        ServiceProcess b = replica("b", Map.of());
        // The first asset upload is held, so that the run is in the middle of uploading when its replica dies.
        github.stallNext("POST", "^/uploads/", 2_000);

        assertThat(trigger(a, "{\"version\": \"0.3.2\"}").statusCode()).isEqualTo(202);
        a.await("to be in the middle of an upload", RUN_DEADLINE, () -> github.stallsBegun() > 0);
        a.kill();

        JsonNode status = awaitSucceeded(b, "0.3.2");
        assertThat(status.path("run").path("attempt").asInt()).as("taken over once").isEqualTo(2);
        assertThat(status.path("run").path("owner").asText()).startsWith("b/");
        assertThat(b.log()).contains("Resuming release 0.3.2").contains("taken over from a/");
        assertReleasedOnce("0.3.2");
    }

    @Test
    void aReplicaFrozenPastItsLeaseStopsWhenItWakesAndTheOtherFinishes() throws Exception {
        ServiceProcess a = replica("a", Map.of());
        ServiceProcess b = replica("b", Map.of());
        github.stallNext("POST", "^/uploads/", 1_000);

        assertThat(trigger(a, "{\"version\": \"0.3.2\"}").statusCode()).isEqualTo(202);
        a.await("to be in the middle of an upload", RUN_DEADLINE, () -> github.stallsBegun() > 0);
        a.pause();
        JsonNode status;
        try {
            status = awaitSucceeded(b, "0.3.2");
        } finally {
            a.resume();
        }
        a.await("to notice that it lost the run", RUN_DEADLINE, () -> a.log().contains("was given up here")
                || a.log().contains("another replica had taken it over"));

        assertThat(status.path("run").path("owner").asText()).startsWith("b/");
        assertReleasedOnce("0.3.2");
        assertThat(statusOf(b, "0.3.2").path("status").asText()).as("the woken replica changed nothing")
                .isEqualTo("succeeded");
    }

    @Test
    void aReplicaKilledWhileUploadingToPyPIFinishesTheRunAfterItsRestart() throws Exception {
        Path folder = tmp.resolve("a");
        ServiceProcess a = replica("a", folder, Map.of());
        pypi.stallNext("POST", "^/legacy/", 2_000);

        assertThat(trigger(a, "{\"version\": \"0.3.2\"}").statusCode()).isEqualTo(202);
        a.await("to be in the middle of a PyPI upload", RUN_DEADLINE, () -> pypi.stallsBegun() > 0);
        a.kill();
        ServiceProcess again = replica("a", folder, Map.of());

        JsonNode status = awaitSucceeded(again, "0.3.2");
        assertThat(status.path("run").path("attempt").asInt()).isEqualTo(2);
        assertThat(status.path("steps").findValuesAsText("state")).doesNotContain("failed", "pending", "running");
        assertReleasedOnce("0.3.2");
    }

    @Test
    void onlyTheLeaderPollsAndAnotherTakesOverWhenItDies() throws Exception {
        Map<String, String> polling = Map.of("SOCHDB_POLL_INTERVAL", "1s", "CLUSTER_LEASE_SECONDS", "3");
        ServiceProcess a = replica("a", polling);
        ServiceProcess b = replica("b", polling);
        a.await("a leader to be elected", Duration.ofSeconds(30),
                () -> a.log().contains(" leads for poller") || b.log().contains(" leads for poller"));
        ServiceProcess leader = a.log().contains(" leads for poller") ? a : b;
        ServiceProcess other = leader == a ? b : a;
        int before = upstreamPolls();
        leader.await("four polls", Duration.ofSeconds(30), () -> upstreamPolls() >= before + 4);

        assertThat(pollerExchanges(leader)).as("polls on the leader").isPositive();
        assertThat(pollerExchanges(other)).as("polls on the other replica").isZero();
        assertThat(other.log()).doesNotContain(" leads for poller");

        leader.kill();
        other.await("to take the leadership over", Duration.ofSeconds(30), () -> other.log().contains(" leads for poller"));
        Seeds.upstreamRelease(github, tmp, "0.3.3");
        awaitSucceeded(other, "0.3.3");
        assertThat(pollerExchanges(other)).isPositive();
        assertReleasedOnce("0.3.3");
    }

    @Test
    void aFlakyNetworkStillEndsInOneCompleteRelease() throws Exception {
        ServiceProcess a = replica("a", Map.of());
        replica("b", Map.of());
        github.failNext("POST", "^/api/repos/" + Seeds.SDK + "/releases$", 502, 1);
        github.dropNext("POST", "^/uploads/", 1);
        github.dropResponseNext("POST", "^/uploads/", 1);
        github.failNext("POST", "^/uploads/", 502, 1);
        github.stallNext("PATCH", "^/api/repos/" + Seeds.SDK + "/releases/", 1_500);
        pypi.failNext("POST", "^/legacy/", 502, 1);
        pypi.dropNext("POST", "^/legacy/", 1);
        pypi.dropResponseNext("POST", "^/legacy/", 1);
        pypi.stallNext("POST", "^/legacy/", 1_500);

        assertThat(trigger(a, "{\"version\": \"0.3.2\"}").statusCode()).isEqualTo(202);

        awaitSucceeded(a, "0.3.2");
        assertThat(github.pendingFaults()).as("every GitHub fault was met").isZero();
        assertThat(pypi.pendingFaults()).as("every PyPI fault was met").isZero();
        assertReleasedCompletely("0.3.2");
        assertThat(github.requests().stream().filter(r -> r.method().equals("POST") && r.path().equals(SDK_RELEASES)))
                .as("release creations: the one the 502 stopped, and one more").hasSize(2);
    }

    // ---- helpers --------------------------------------------------------------------------------------------------

    /** One GitHub release, published, holding each file once; PyPI holding each file once, never sent twice. */
    private void assertReleasedOnce(String version) {
        assertReleasedCompletely(version);
        List<Recorded> creates = github.requests().stream()
                .filter(r -> r.method().equals("POST") && r.path().equals(SDK_RELEASES)).toList();
        assertThat(creates).as("release creations").hasSize(1);
        String assets = "/uploads/repos/" + Seeds.SDK + "/releases/" + github.release(Seeds.SDK, "v" + version).id() + "/assets";
        List<Recorded> uploads = github.requests().stream()
                .filter(r -> r.method().equals("POST") && r.path().equals(assets)).toList();
        assertThat(uploads).as("asset uploads").hasSize(7);
        assertThat(pypi.uploads().stream().filter(u -> u.filename() != null && u.filename().contains("-" + version)))
                .as("PyPI uploads").hasSize(6);
        assertThat(github.requests().stream().filter(r -> r.method().equals("POST")
                && r.path().equals("/api/repos/" + Seeds.SDK + "/pulls"))).as("CHANGELOG pull requests").hasSize(1);
    }

    /** Everything where it belongs, once: a flaky network may make the client send a request again. */
    private void assertReleasedCompletely(String version) {
        FakeRelease release = github.release(Seeds.SDK, "v" + version);
        assertThat(release).isNotNull();
        assertThat(release.draft()).as("published").isFalse();
        assertThat(release.assets()).hasSize(7);
        Map<String, String> onPypi = pypi.files().entrySet().stream().filter(e -> e.getKey().contains("-" + version))
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
        assertThat(onPypi).hasSize(6);
        Map<String, Long> stored = pypi.uploads().stream()
                .filter(u -> u.status() == 200 && u.filename() != null && u.filename().contains("-" + version))
                .collect(Collectors.groupingBy(PyPIUpload::sha256, Collectors.counting()));
        assertThat(stored.keySet()).as("one content per file name").hasSize(6);
    }

    private ServiceProcess replica(String name, Map<String, String> extra) throws Exception {
        return replica(name, tmp.resolve(name + "-" + replicas.size()), extra);
    }

    private ServiceProcess replica(String name, Path folder, Map<String, String> extra) throws Exception {
        Map<String, String> env = new HashMap<>(Map.ofEntries(
                Map.entry("GITHUB_API_URL", github.apiUrl()), Map.entry("GITHUB_UPLOAD_URL", github.uploadUrl()),
                Map.entry("GITHUB_TOKEN", GITHUB_TOKEN), Map.entry("PYPI_REPOSITORY_URL", pypi.repositoryUrl()),
                Map.entry("PYPI_URL", pypi.baseUrl()), Map.entry("PYPI_TOKEN", pypiToken),
                Map.entry("WEBHOOK_SECRET", WEBHOOK_SECRET), Map.entry("RELEASE_TRIGGER_TOKEN", TRIGGER_TOKEN),
                Map.entry("STATE_DB_URL", database.url()), Map.entry("STATE_DB_USER", database.user()),
                Map.entry("STATE_DB_PASSWORD", database.password()), Map.entry("STATE_LEASE_SECONDS", "3"),
                Map.entry("DIST_DIR", folder.resolve("dist").toString()),
                Map.entry("STATE_DIR", folder.resolve("state").toString()),
                Map.entry("CACHE_DIR", folder.resolve("cache").toString()),
                Map.entry("GITHUB_RETRY_INITIAL_BACKOFF_MS", "10"), Map.entry("PYPI_RETRY_INITIAL_BACKOFF_MS", "10"),
                Map.entry("PYPI_VERIFY_TIMEOUT_SECONDS", "20"), Map.entry("SHUTDOWN_GRACE_SECONDS", "5"),
                // FullReleaseIT proves installation; here it would only add pip's time to every run.
                Map.entry("VERIFY_INSTALL", "off")));
        env.putAll(extra);
        ServiceProcess replica = ServiceProcess.start(name, folder, env);
        replicas.add(replica);
        return replica;
    }

    @SafeVarargs
    private static List<HttpResponse<String>> simultaneously(Callable<HttpResponse<String>>... calls) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(calls.length);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<HttpResponse<String>>> futures = new ArrayList<>();
        for (Callable<HttpResponse<String>> call : calls) {
            futures.add(pool.submit(() -> {
                go.await();
                return call.call();
            }));
        }
        go.countDown();
        List<HttpResponse<String>> answers = new ArrayList<>();
        for (Future<HttpResponse<String>> future : futures) {
            answers.add(future.get());
        }
        pool.shutdown();
        return answers;
    }

    private static HttpResponse<String> webhook(ServiceProcess replica, String delivery, byte[] body) throws Exception {
        return replica.post("/webhooks/github", Map.of("Content-Type", "application/json", "X-GitHub-Event", "release",
                "X-GitHub-Delivery", delivery, "X-Hub-Signature-256", new WebhookSignature(WEBHOOK_SECRET).header(body)),
                body);
    }

    private static HttpResponse<String> trigger(ServiceProcess replica, String body) throws Exception {
        return replica.post("/releases", Map.of("Content-Type", "application/json", "Authorization",
                "Bearer " + TRIGGER_TOKEN), body.getBytes(StandardCharsets.UTF_8));
    }

    private static JsonNode statusOf(ServiceProcess replica, String version) throws Exception {
        HttpResponse<String> status = replica.get(replica.api() + "/releases/" + version);
        return status == null || status.statusCode() != 200 ? null : JSON.readTree(status.body());
    }

    private JsonNode awaitSucceeded(ServiceProcess replica, String version) throws Exception {
        JsonNode[] last = new JsonNode[1];
        replica.await("release " + version + " to succeed", RUN_DEADLINE, () -> {
            last[0] = statusOf(replica, version);
            if (last[0] != null && last[0].path("status").asText().equals("failed")
                    && last[0].path("run").path("needs_person").asBoolean()) {
                throw new AssertionError("release " + version + " failed: " + last[0].toPrettyString() + "\n"
                        + replica.logTail());
            }
            return last[0] != null && last[0].path("status").asText().equals("succeeded");
        });
        return last[0];
    }

    private int upstreamPolls() {
        return (int) github.requests().stream()
                .filter(r -> r.method().equals("GET") && r.path().equals("/api/repos/" + Seeds.UPSTREAM + "/releases"))
                .count();
    }

    /** The poller route's exchanges, from the replica's Prometheus metrics. */
    private static double pollerExchanges(ServiceProcess replica) throws Exception {
        HttpResponse<String> metrics = replica.get(replica.management() + "/observe/metrics");
        assertThat(metrics).isNotNull();
        return metrics.body().lines()
                .filter(l -> l.startsWith("camel_exchanges_total{") && l.contains("routeId=\"poller\""))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = ReliabilityIT.class.getResourceAsStream("/webhooks/" + name)) {
            return in.readAllBytes();
        }
    }
}
