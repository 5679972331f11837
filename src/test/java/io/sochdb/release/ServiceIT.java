package io.sochdb.release;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import io.sochdb.release.fakes.FakeGitHub;
import io.sochdb.release.fakes.FakePyPI;
import io.sochdb.release.fakes.FakeRelease;
import io.sochdb.release.fakes.Recorded;
import io.sochdb.release.fakes.Seeds;
import io.sochdb.release.service.WebhookSignature;

/**
 * The packaged jar in service mode, against a fake GitHub and a fake PyPI: each way a release starts (webhook,
 * manual trigger, poller), the status endpoints, health and metrics. One service for the whole class, as in
 * production, so the tests are ordered: later ones rely on the runs of earlier ones.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ServiceIT {

    private static final String GITHUB_TOKEN = "ghp_service_it_token_never_printed";
    private static final String WEBHOOK_SECRET = "whsec-service-it-never-printed";
    private static final String TRIGGER_TOKEN = "trigger-service-it-never-printed";
    // A bound for a wait, not a speed claim: a webhook run proves installation twice (its dry run, then the
    // release), five wheels and 25 install-proof cells each, on a busy 2-core machine (one proof alone took over a
    // minute there while other builds ran).
    private static final Duration RUN_DEADLINE = Duration.ofMinutes(8);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String UPSTREAM_LIST = "/api/repos/sochdb/sochdb/releases";

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    @TempDir
    static Path tmp;
    private final FakeGitHub github = FakeGitHub.start();
    private final FakePyPI pypi = FakePyPI.start();
    private final String pypiToken = pypi.newApiToken();
    private Process service;
    private ProcessBuilder launcher;
    private String api;
    private String management;

    @BeforeAll
    void startService() throws Exception {
        String jar = System.getProperty("release.jar");
        assertThat(jar).as("system property release.jar (set by failsafe)").isNotBlank();
        Seeds.upstreamRelease(github, tmp, "0.3.2");
        Seeds.upstreamRelease(github, tmp, "0.3.3");
        Seeds.sdkTarball(github, tmp, "0123456789abcdef0123456789abcdef01234567");
        github.requireToken(GITHUB_TOKEN);
        int serverPort = freePort();
        int managementPort = freePort();
        api = "http://127.0.0.1:" + serverPort;
        management = "http://127.0.0.1:" + managementPort;

        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", jar).directory(tmp.toFile()).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .redirectOutput(ProcessBuilder.Redirect.appendTo(tmp.resolve("service.out").toFile()))
                .redirectError(ProcessBuilder.Redirect.appendTo(tmp.resolve("service.err").toFile()));
        Map<String, String> env = builder.environment();
        // Nothing from this machine may point the service elsewhere or authenticate it another way.
        List.of("ACTIONS_ID_TOKEN_REQUEST_URL", "ACTIONS_ID_TOKEN_REQUEST_TOKEN", "PYPI_OIDC_TOKEN_FILE", "PYPI_OIDC_GCE",
                "SOCHDB_REPO", "SDK_REPO", "SDK_REF", "SOURCE_DATE_EPOCH", "RELEASE_PLATFORMS", "PYPI_UPLOAD_SDIST",
                "RELEASE_PRERELEASES", "STATE_DB_URL").forEach(env::remove);
        env.putAll(Map.ofEntries(Map.entry("SERVER_PORT", String.valueOf(serverPort)),
                Map.entry("MANAGEMENT_PORT", String.valueOf(managementPort)),
                Map.entry("GITHUB_API_URL", github.apiUrl()), Map.entry("GITHUB_UPLOAD_URL", github.uploadUrl()),
                Map.entry("GITHUB_TOKEN", GITHUB_TOKEN), Map.entry("PYPI_REPOSITORY_URL", pypi.repositoryUrl()),
                Map.entry("PYPI_URL", pypi.baseUrl()), Map.entry("PYPI_TOKEN", pypiToken),
                Map.entry("WEBHOOK_SECRET", WEBHOOK_SECRET), Map.entry("RELEASE_TRIGGER_TOKEN", TRIGGER_TOKEN),
                Map.entry("DIST_DIR", tmp.resolve("dist").toString()), Map.entry("STATE_DIR", tmp.resolve("state").toString()),
                Map.entry("CACHE_DIR", tmp.resolve("cache").toString()), Map.entry("GITHUB_RETRY_INITIAL_BACKOFF_MS", "10"),
                Map.entry("PYPI_RETRY_INITIAL_BACKOFF_MS", "10"), Map.entry("PYPI_VERIFY_TIMEOUT_SECONDS", "20"),
                // Camel's timer takes durations such as 2s for its period.
                Map.entry("SOCHDB_POLL_INTERVAL", "2s")));
        // No locale, as in a minimal container image: the signature is over raw bytes, and the payload is not ASCII.
        List.of("LANG", "LC_CTYPE").forEach(env::remove);
        env.put("LC_ALL", "POSIX");
        launcher = builder;
        service = builder.start();
        await("the service to be ready", Duration.ofSeconds(60), () -> {
            HttpResponse<String> ready = get(management + "/observe/health/ready");
            return ready != null && ready.statusCode() == 200 && ready.body().contains("UP");
        });
    }

    @AfterAll
    void stopService() throws Exception {
        if (service != null) {
            service.destroy();
            if (!service.waitFor(45, TimeUnit.SECONDS)) {
                service.descendants().forEach(ProcessHandle::destroyForcibly);
                service.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
        github.close();
        pypi.close();
    }

    @Test
    @Order(1)
    void aSignedPublishedReleaseIsReleasedOnGitHubAndPyPI() throws Exception {
        HttpResponse<String> accepted = webhook("release", "1f2e3d4c-0001", resource("release-published.json"), true);

        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
        assertThat(accepted.headers().firstValue("Location")).hasValue("/releases/0.3.2");
        JsonNode status = awaitRun("0.3.2");
        assertThat(status.path("dry_run").asBoolean()).isFalse();
        assertThat(status.path("platforms").findValuesAsText("status")).containsExactly("built", "built", "built", "built",
                "built");
        assertThat(status.path("artifacts")).hasSize(7).allSatisfy(a -> {
            assertThat(a.path("size").asLong()).isPositive();
            assertThat(a.path("sha256").asText()).matches("[0-9a-f]{64}");
        });
        assertThat(status.path("links").path("github_release").asText()).endsWith("/releases/tag/v0.3.2");
        FakeRelease release = github.release(Seeds.SDK, "v0.3.2");
        assertThat(release).isNotNull();
        assertThat(release.draft()).as("published").isFalse();
        assertThat(release.assets()).hasSize(7);
        assertThat(pypi.files().keySet().stream().filter(f -> f.contains("-0.3.2"))).hasSize(6);
    }

    @Test
    @Order(2)
    void aRedeliveryOrAnotherDeliveryForTheSameReleaseChangesNothing() throws Exception {
        int writes = github.writeRequests().size();
        int uploads = pypi.uploads().size();

        HttpResponse<String> again = webhook("release", "1f2e3d4c-0001", resource("release-published.json"), true);
        HttpResponse<String> another = webhook("release", "1f2e3d4c-0002", resource("release-published.json"), true);

        assertThat(again.statusCode()).as(again.body()).isEqualTo(200);
        assertThat(another.statusCode()).as(another.body()).isEqualTo(200);
        assertThat(github.writeRequests()).hasSize(writes);
        assertThat(pypi.uploads()).hasSize(uploads);
    }

    @Test
    @Order(3)
    void badSignaturesPingsAndOtherActions() throws Exception {
        String published = resource("release-published.json");
        assertThat(webhook("release", "1f2e3d4c-0003", published, false).statusCode()).as("forged").isEqualTo(401);
        HttpResponse<String> unsigned = http.send(HttpRequest.newBuilder(URI.create(api + "/webhooks/github"))
                .header("X-GitHub-Event", "release").POST(HttpRequest.BodyPublishers.ofString(published)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(unsigned.statusCode()).as("unsigned").isEqualTo(401);
        assertThat(webhook("ping", "1f2e3d4c-0004", resource("ping.json"), true).statusCode()).as("ping").isEqualTo(200);
        String created = published.replace("\"action\": \"published\"", "\"action\": \"created\"");
        assertThat(created).isNotEqualTo(published);
        assertThat(webhook("release", "1f2e3d4c-0005", created, true).statusCode()).as("created").isEqualTo(204);
    }

    @Test
    @Order(4)
    void theManualTriggerNeedsTheTokenAndRunsADryRun() throws Exception {
        int writes = github.writeRequests().size();
        String body = "{\"version\": \"0.3.3\", \"dry_run\": true}";
        assertThat(trigger(null, body).statusCode()).as("no token").isEqualTo(401);
        assertThat(trigger("Bearer " + WEBHOOK_SECRET, body).statusCode()).as("wrong token").isEqualTo(401);

        HttpResponse<String> accepted = trigger("Bearer " + TRIGGER_TOKEN, body);

        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
        assertThat(accepted.headers().firstValue("Location")).hasValue("/releases/0.3.3");
        assertThat(awaitRun("0.3.3").path("dry_run").asBoolean()).isTrue();
        assertThat(github.writeRequests()).as("a dry run writes nothing").hasSize(writes);
        assertThat(pypi.files().keySet()).noneMatch(f -> f.contains("-0.3.3"));
    }

    /**
     * A dry run of 0.3.3 holds the version when GitHub's webhook for v0.3.3 arrives: the webhook must not be answered
     * "already running" (GitHub never redelivers a 200) but wait behind the dry run, and 0.3.3 ends published.
     */
    @Test
    @Order(5)
    void aWebhookDuringADryRunOfTheSameVersionStillEndsInAPublishedRelease() throws Exception {
        int stalls = github.stallsBegun();
        // The dry run's first look at the upstream release is held, so the webhook surely meets it running.
        github.stallNext("GET", "/releases/tags/v0\\.3\\.3", 8000);
        assertThat(trigger("Bearer " + TRIGGER_TOKEN, "{\"version\": \"0.3.3\", \"dry_run\": true}").statusCode())
                .isEqualTo(202);
        await("the dry run to look for the upstream release", Duration.ofSeconds(30), () -> github.stallsBegun() > stalls);
        com.fasterxml.jackson.databind.node.ObjectNode payload =
                (com.fasterxml.jackson.databind.node.ObjectNode) JSON.readTree(resource("release-published.json"));
        payload.with("release").put("tag_name", "v0.3.3");

        HttpResponse<String> delivered = webhook("release", "1f2e3d4c-0303", JSON.writeValueAsString(payload), true);

        assertThat(delivered.statusCode()).as(delivered.body()).isEqualTo(202);
        assertThat(JSON.readTree(delivered.body()).path("message").asText()).contains("waits for the dry run");
        await("0.3.3 to be released", RUN_DEADLINE, () -> {
            HttpResponse<String> status = get(api + "/releases/0.3.3");
            JsonNode document = status == null ? null : JSON.readTree(status.body());
            return document != null && !document.path("dry_run").asBoolean(true)
                    && document.path("status").asText().equals("succeeded");
        });
        assertThat(github.release(Seeds.SDK, "v0.3.3").draft()).isFalse();
        assertThat(pypi.files().keySet().stream().filter(f -> f.contains("-0.3.3"))).hasSize(6);
    }

    @Test
    @Order(6)
    void theStatusListShowsEveryRun() throws Exception {
        HttpResponse<String> list = get(api + "/releases");
        assertThat(list.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(list.body()).findValuesAsText("version")).contains("0.3.2", "0.3.3");
        assertThat(get(api + "/releases/9.9.9").statusCode()).isEqualTo(404);
    }

    @Test
    @Order(7)
    void thePollerReleasesANewUpstreamReleaseOnce() throws Exception {
        // Two list reads mean the first poll, which takes what exists as its baseline, is over.
        await("the poller's first two polls", Duration.ofSeconds(30), () -> upstreamListReads().size() >= 2);
        Seeds.upstreamRelease(github, tmp, "0.3.4");

        JsonNode status = awaitRun("0.3.4");

        assertThat(status.path("dry_run").asBoolean()).isFalse();
        assertThat(github.release(Seeds.SDK, "v0.3.4").draft()).isFalse();
        assertThat(pypi.files().keySet().stream().filter(f -> f.contains("-0.3.4"))).hasSize(6);
        // More polls after the run must not start it again.
        int reads = upstreamListReads().size();
        await("two more polls", Duration.ofSeconds(30), () -> upstreamListReads().size() >= reads + 2);
        assertThat(startsLogged("0.3.4")).as("runs of 0.3.4 started").isEqualTo(1);
    }

    @Test
    @Order(8)
    void thePollerReadsConditionallyEveryTwoSeconds() throws Exception {
        // SOCHDB_POLL_INTERVAL=2s: read as two seconds, not as 2 ms nor the 1 h that stands in when it is empty.
        List<Recorded> polls = upstreamListReads();
        for (int i = 1; i < polls.size(); i++) {
            assertThat(Duration.between(polls.get(i - 1).at(), polls.get(i).at())).as("time between polls")
                    .isGreaterThan(Duration.ofMillis(1500)).isLessThan(Duration.ofSeconds(30));
        }
        // The ETag of the unchanged list; a poll that sends it back was answered 304 by the fake.
        HttpResponse<String> list = http.send(HttpRequest.newBuilder(URI.create(github.apiUrl()
                + "/repos/sochdb/sochdb/releases?per_page=100")).header("Authorization", "Bearer " + GITHUB_TOKEN).build(),
                HttpResponse.BodyHandlers.ofString());
        String etag = list.headers().firstValue("ETag").orElseThrow();
        await("a poll answered 304", Duration.ofSeconds(30),
                () -> upstreamListReads().stream().anyMatch(r -> etag.equals(r.header("If-None-Match"))));
    }

    @Test
    @Order(9)
    void metricsArePrometheusText() throws Exception {
        HttpResponse<String> metrics = get(management + "/observe/metrics");
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.body()).contains("camel_");
        assertThat(get(management + "/observe/health/live").statusCode()).isEqualTo(200);
    }

    @Test
    @Order(10)
    void secretsNeverReachTheServiceOutput() throws Exception {
        String output = Files.readString(tmp.resolve("service.out")) + Files.readString(tmp.resolve("service.err"));
        for (String version : List.of("0.3.2", "0.3.3", "0.3.4")) {
            output += Files.readString(tmp.resolve("dist").resolve(version).resolve("summary.json"));
        }
        String basic = Base64.getEncoder().encodeToString(("__token__:" + pypiToken).getBytes(StandardCharsets.UTF_8));
        for (String secret : List.of(GITHUB_TOKEN, pypiToken, WEBHOOK_SECRET, TRIGGER_TOKEN, basic)) {
            assertThat(output).as("service output and summaries").doesNotContain(secret);
        }
        assertThat(output).as("the service logged its runs").contains("Starting release 0.3.2");
        assertThat(github.violations()).isEmpty();
        assertThat(pypi.violations()).isEmpty();
    }

    @Test
    @Order(11)
    void theEmbeddedStoreKeepsTheHistoryAcrossARestart() throws Exception {
        service.destroy();
        assertThat(service.waitFor(45, TimeUnit.SECONDS)).as("stopped on SIGTERM").isTrue();
        int writes = github.writeRequests().size();
        service = launcher.start();
        await("the restarted service to be ready", Duration.ofSeconds(60), () -> {
            HttpResponse<String> ready = get(management + "/observe/health/ready");
            return ready != null && ready.statusCode() == 200;
        });

        JsonNode runs = JSON.readTree(get(api + "/releases").body());
        assertThat(runs.findValuesAsText("version")).contains("0.3.2", "0.3.3", "0.3.4");
        JsonNode released = JSON.readTree(get(api + "/releases/0.3.2").body());
        assertThat(released.path("status").asText()).isEqualTo("succeeded");
        assertThat(released.path("artifacts")).hasSize(7);
        assertThat(released.path("steps").findValuesAsText("state")).doesNotContain("pending", "running", "failed");
        // Neither the old delivery nor a new one for the released version starts anything.
        assertThat(webhook("release", "1f2e3d4c-0001", resource("release-published.json"), true).statusCode()).isEqualTo(200);
        assertThat(webhook("release", "1f2e3d4c-0099", resource("release-published.json"), true).statusCode()).isEqualTo(200);
        assertThat(github.writeRequests()).hasSize(writes);
        assertThat(Files.list(tmp.resolve("state")).map(p -> p.getFileName().toString()))
                .as("the embedded store under STATE_DIR").anyMatch(name -> name.startsWith("release-state"));
    }

    // ---- helpers --------------------------------------------------------------------------------------------------

    private HttpResponse<String> webhook(String event, String delivery, String body, boolean rightSecret) throws Exception {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        String signature = new WebhookSignature(rightSecret ? WEBHOOK_SECRET : "not-the-secret").header(bytes);
        return http.send(HttpRequest.newBuilder(URI.create(api + "/webhooks/github"))
                .header("Content-Type", "application/json").header("User-Agent", "GitHub-Hookshot/044aadd")
                .header("X-GitHub-Event", event).header("X-GitHub-Delivery", delivery)
                .header("X-GitHub-Hook-ID", "109948940").header("X-Hub-Signature-256", signature)
                .POST(HttpRequest.BodyPublishers.ofByteArray(bytes)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> trigger(String authorization, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(api + "/releases"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The answer, or null while nothing listens yet. */
    private HttpResponse<String> get(String url) throws InterruptedException {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            return null;
        }
    }

    /** Polls the status of a run until it has finished; a failed run fails the test with its error. */
    private JsonNode awaitRun(String version) throws Exception {
        JsonNode[] last = new JsonNode[1];
        await("release " + version + " to finish", RUN_DEADLINE, () -> {
            HttpResponse<String> status = get(api + "/releases/" + version);
            if (status == null || status.statusCode() != 200) {
                return false;
            }
            last[0] = JSON.readTree(status.body());
            String state = last[0].path("status").asText();
            if (state.equals("failed")) {
                fail("release " + version + " failed: " + last[0].toPrettyString() + "\n" + serviceLogTail());
            }
            return state.equals("succeeded");
        });
        assertThat(last[0].path("steps").findValuesAsText("state")).as("steps of " + version)
                .doesNotContain("failed", "running", "pending");
        return last[0];
    }

    private List<Recorded> upstreamListReads() {
        return github.requests().stream().filter(r -> r.method().equals("GET") && r.path().equals(UPSTREAM_LIST)).toList();
    }

    private long startsLogged(String version) throws IOException {
        return Files.readAllLines(tmp.resolve("service.err")).stream()
                .filter(l -> l.contains("Starting release " + version + " ")).count();
    }

    private void await(String what, Duration timeout, Callable<Boolean> done) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!done.call()) {
            if (!service.isAlive()) {
                fail("the service exited with " + service.exitValue() + " while waiting for " + what + "\n" + serviceLogTail());
            }
            if (System.nanoTime() > deadline) {
                fail("gave up after " + timeout + " waiting for " + what + "\n" + serviceLogTail());
            }
            Thread.sleep(100);
        }
    }

    private String serviceLogTail() {
        try {
            String err = Files.readString(tmp.resolve("service.err"));
            return "--- service stderr (tail) ---\n" + err.substring(Math.max(0, err.length() - 6000));
        } catch (IOException e) {
            return "(no service log: " + e.getMessage() + ")";
        }
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = ServiceIT.class.getResourceAsStream("/webhooks/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
