package io.sochdb.release.github;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.sochdb.release.fakes.FakeGitHub;
import io.sochdb.release.fakes.Recorded;
import io.sochdb.release.packaging.Digests;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GitHubClientTest {

    private static final String REPO = "sochdb/sochdb-python-sdk";
    private static final String TOKEN = "ghp_test_secret_token";
    private static final String ASSETS = "/uploads/.+/assets$";

    @TempDir
    Path tmp;

    private FakeGitHub fake;
    /** What the client asked to sleep for; nothing really sleeps, so rate-limit waits cost no time. */
    private final List<Duration> waits = new CopyOnWriteArrayList<>();
    private final List<GitHubClient> clients = new CopyOnWriteArrayList<>();
    private GitHubClient client;

    @BeforeEach
    void start() {
        fake = FakeGitHub.start();
        fake.addRepo(REPO);
        client = client(TOKEN);
    }

    @AfterEach
    void stop() throws Exception {
        for (GitHubClient c : clients) {
            c.close();
        }
        fake.close();
    }

    private GitHubSettings settings(String token) {
        return new GitHubSettings(fake.apiUrl(), fake.uploadUrl(), token, "test-agent", 4, Duration.ofMillis(10),
            Duration.ofMillis(50), Duration.ofSeconds(5));
    }

    private GitHubClient client(String token) {
        GitHubClient c = new GitHubClient(settings(token), waits::add);
        clients.add(c);
        return c;
    }

    private Path file(String name, int size, long seed) throws Exception {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return Files.write(tmp.resolve(name), bytes);
    }

    private List<Recorded> requestsTo(String pathRegex) {
        Pattern pattern = Pattern.compile(pathRegex);
        return fake.requests().stream().filter(r -> pattern.matcher(r.path()).find()).toList();
    }

    @Test
    void everyRequestCarriesGitHubHeadersAndTheTokenButStorageNeverSeesIt() throws Exception {
        // The fake answers 401 to anything but exactly "Bearer <token>", so success proves the header's value.
        fake.requireToken(TOKEN);
        long id = fake.addRelease(REPO, "v1.0.0", false);
        long assetId = fake.addAsset(REPO, id, "seeded.txt", "seeded".getBytes(StandardCharsets.UTF_8));
        fake.addTarball(REPO, "main", "a".repeat(40), new byte[] {1, 2, 3});

        assertThat(client.releaseByTag(REPO, "v1.0.0")).isPresent();
        assertThat(client.releases(REPO)).hasSize(1);
        assertThat(client.commitSha(REPO, "main")).isEqualTo("a".repeat(40));
        Release created = client.createRelease(REPO, Map.of("tag_name", "v2.0.0", "draft", true)).orElseThrow();
        client.uploadAsset(REPO, created.id(), file("a.whl", 1000, 1), "a.whl", "application/zip").orElseThrow();
        client.downloadAsset(REPO, assetId, tmp.resolve("seeded.out"));
        client.downloadTarball(REPO, "main", tmp.resolve("src.tar.gz"));

        List<Recorded> github = fake.requests().stream().filter(r -> !r.path().startsWith("/storage/")).toList();
        assertThat(github).hasSize(7);
        for (Recorded r : github) {
            boolean download = r.path().endsWith("/releases/assets/" + assetId) || r.path().contains("/tarball/");
            assertThat(r.header("Accept")).as(r.toString())
                .isEqualTo(download ? "application/octet-stream" : "application/vnd.github+json");
            assertThat(r.header("X-GitHub-Api-Version")).as(r.toString()).isEqualTo("2022-11-28");
            assertThat(r.header("User-Agent")).as(r.toString()).isEqualTo("test-agent");
            assertThat(r.header("Authorization")).as(r.toString()).isEqualTo("Bearer [redacted]");
        }
        List<Recorded> storage = requestsTo("^/storage/");
        assertThat(storage).hasSize(2).allSatisfy(r -> assertThat(r.header("Authorization")).isNull());
        assertThat(fake.violations()).isEmpty();

        fake.requireToken(null);
        client(null).releases(REPO);
        assertThat(fake.requests()).last().satisfies(r -> {
            assertThat(r.header("Authorization")).isNull();
            assertThat(r.header("X-GitHub-Api-Version")).isEqualTo("2022-11-28");
        });
    }

    @Test
    void releaseByTagHidesDraftsWhileTheListingFollowsEveryPageAndKeepsThem() {
        fake.addRelease(REPO, "v0.0.0", true);
        for (int i = 1; i <= 104; i++) {
            fake.addRelease(REPO, "v0.0." + i, false);
        }
        assertThat(client.releaseByTag(REPO, "v0.0.0")).isEmpty();
        assertThat(client.releaseByTag(REPO, "v0.0.7")).get().extracting(Release::tagName).isEqualTo("v0.0.7");

        List<Release> all = client.releases(REPO);
        assertThat(all).hasSize(105).extracting(Release::tagName).doesNotHaveDuplicates().contains("v0.0.104");
        assertThat(all).filteredOn(Release::draft).extracting(Release::tagName).containsExactly("v0.0.0");
        assertThat(requestsTo("/releases$")).extracting(Recorded::query)
            .containsExactly("per_page=100", "per_page=100&page=2");
    }

    @Test
    void createsAReleaseOnceAndReportsADuplicateTagAsEmpty() {
        Optional<Release> created = client.createRelease(REPO, Map.of("tag_name", "v1.0.0", "name", "Release v1.0.0",
            "draft", true, "prerelease", true));
        assertThat(created).get().extracting(Release::tagName, Release::draft, Release::prerelease)
            .containsExactly("v1.0.0", true, true);
        assertThat(fake.release(REPO, "v1.0.0").id()).isEqualTo(created.get().id());
        assertThat(client.createRelease(REPO, Map.of("tag_name", "v1.0.0"))).isEmpty();
        assertThat(fake.writeRequests()).hasSize(2);
    }

    @Test
    void uploadStreamsTheFileWithItsLengthAndReportsADuplicateNameAsEmpty() throws Exception {
        long releaseId = fake.addRelease(REPO, "v1.0.0", true);
        Path wheel = file("x.whl", 300_000, 7);
        Asset asset = client.uploadAsset(REPO, releaseId, wheel, "x.whl", "application/zip").orElseThrow();

        assertThat(asset).extracting(Asset::name, Asset::size, Asset::state).containsExactly("x.whl", 300_000L, "uploaded");
        assertThat(asset.digest()).isEqualTo("sha256:" + Digests.sha256Hex(wheel));
        assertThat(fake.assetBytes(asset.id())).isEqualTo(Files.readAllBytes(wheel));
        // Content-Length, not chunked: GitHub's upload endpoint wants the size up front.
        Recorded upload = requestsTo(ASSETS).get(0);
        assertThat(upload.header("Content-Length")).isEqualTo("300000");
        assertThat(upload.bodyBytes()).isEqualTo(300_000);
        assertThat(upload.header("Content-Type")).startsWith("application/zip");
        assertThat(upload.query()).isEqualTo("name=x.whl");

        assertThat(client.uploadAsset(REPO, releaseId, wheel, "x.whl", "application/zip")).isEmpty();
        assertThat(fake.release(REPO, "v1.0.0").assets()).hasSize(1);
        assertThat(fake.violations()).isEmpty();
    }

    @Test
    void downloadsFollowTheRedirectWithoutTheTokenAndKeepEveryByte() throws Exception {
        long releaseId = fake.addRelease(REPO, "v1.0.0", false);
        Path source = file("big.bin", 1_000_000, 3);
        long assetId = fake.addAsset(REPO, releaseId, "big.bin", source);
        byte[] tarball = Files.readAllBytes(file("src.tar.gz", 50_000, 4));
        fake.addTarball(REPO, "v1.0.0", "b".repeat(40), tarball);

        client.downloadAsset(REPO, assetId, tmp.resolve("asset.out"));
        client.downloadTarball(REPO, "v1.0.0", tmp.resolve("tarball.out"));

        assertThat(tmp.resolve("asset.out")).hasBinaryContent(Files.readAllBytes(source));
        assertThat(tmp.resolve("tarball.out")).hasBinaryContent(tarball);
        assertThat(fake.violations()).isEmpty();
        assertThat(requestsTo("^/api/")).hasSize(2)
            .allSatisfy(r -> assertThat(r.header("Authorization")).isEqualTo("Bearer [redacted]"));
        assertThat(requestsTo("^/storage/")).extracting(Recorded::path)
            .containsExactly("/storage/assets/" + assetId, "/storage/tarball/" + REPO + "/" + "b".repeat(40));
        assertThat(requestsTo("^/storage/")).allSatisfy(r -> assertThat(r.header("Authorization")).isNull());
    }

    @Test
    void retriesA502UploadWithGrowingWaits() throws Exception {
        long releaseId = fake.addRelease(REPO, "v1.0.0", true);
        fake.failNext("POST", ASSETS, 502, 2);
        Asset asset = client.uploadAsset(REPO, releaseId, file("a.whl", 5000, 1), "a.whl", "application/zip")
            .orElseThrow();

        assertThat(asset.size()).isEqualTo(5000);
        assertThat(requestsTo(ASSETS)).hasSize(3).allSatisfy(r -> assertThat(r.bodyBytes()).isEqualTo(5000));
        // Backoff 10 ms then 20 ms, each jittered to half..all of itself.
        assertThat(waits).hasSize(2);
        assertThat(waits.get(0)).isBetween(Duration.ofMillis(5), Duration.ofMillis(10));
        assertThat(waits.get(1)).isBetween(Duration.ofMillis(10), Duration.ofMillis(20));
        assertThat(waits.get(1)).isGreaterThanOrEqualTo(waits.get(0));
        assertThat(fake.release(REPO, "v1.0.0").assets()).hasSize(1);
    }

    @Test
    void retriesAGetWhoseConnectionDropped() {
        fake.addRelease(REPO, "v1.0.0", false);
        fake.dropNext("GET", "/releases/tags/", 1);
        assertThat(client.releaseByTag(REPO, "v1.0.0")).get().extracting(Release::tagName).isEqualTo("v1.0.0");
        assertThat(requestsTo("/releases/tags/")).hasSize(2);
        assertThat(waits).hasSize(1);
        assertThat(fake.pendingFaults()).isZero();
    }

    @Test
    void givesUpAfterMaxAttemptsOfDroppedConnectionsAndSaysHowMany() {
        fake.dropNext("GET", "/releases", 4);
        GitHubException e = catchThrowableOfType(GitHubException.class, () -> client.releases(REPO));
        assertThat(e.getMessage()).contains("list releases of " + REPO).contains("after 4 attempts");
        assertThat(requestsTo("/releases$")).hasSize(4);
        assertThat(waits).hasSize(3);
    }

    @Test
    void givesUpAfterMaxAttemptsOf5xxAndSaysHowMany() {
        fake.failNext("GET", "/releases", 503, 4);
        GitHubException e = catchThrowableOfType(GitHubException.class, () -> client.releases(REPO));
        assertThat(e.status()).isEqualTo(503);
        assertThat(requestsTo("/releases$")).hasSize(4);
        // A CI log must show that this was retried, not one unlucky answer. Fails today: after the last 5xx
        // GitHubHttp returns the reply and GitHubErrors.of says only "GitHub answered 503 (Server Error)".
        assertThat(e.getMessage()).contains("503").contains("4 attempts");
    }

    @Test
    void waitsAsLongAsRetryAfterSays() {
        fake.addRelease(REPO, "v1.0.0", false);
        fake.rateLimitNext("GET", "/releases/tags/", 2);
        assertThat(client.releaseByTag(REPO, "v1.0.0")).isPresent();
        assertThat(waits).containsExactly(Duration.ofSeconds(2));
        assertThat(requestsTo("/releases/tags/")).hasSize(2);
    }

    @Test
    void waitsForThePrimaryRateLimitToReset() {
        fake.addRelease(REPO, "v1.0.0", false);
        fake.rateLimitResetNext("GET", "/releases/tags/", Instant.now().getEpochSecond() + 3);
        assertThat(client.releaseByTag(REPO, "v1.0.0")).isPresent();
        // Until the reset second has passed: 3 s plus one for the clock's granularity, less if a second ticked.
        assertThat(waits).singleElement().satisfies(w -> assertThat(w).isBetween(Duration.ofSeconds(3),
            Duration.ofSeconds(4)));
    }

    @Test
    void failsAtOnceWhenTheRateLimitResetsTooLate() {
        fake.rateLimitResetNext("GET", "/releases", Instant.now().getEpochSecond() + 600);
        GitHubException e = catchThrowableOfType(GitHubException.class, () -> client.releases(REPO));
        assertThat(e.status()).isEqualTo(403);
        assertThat(e.getMessage()).contains("rate limit").contains("5 s");
        assertThat(waits).isEmpty();
        assertThat(requestsTo("/releases$")).hasSize(1);
    }

    @Test
    void errorsSayWhatToFixAndNeverShowTheToken() {
        List<String> messages = new ArrayList<>();
        fake.dropNext("GET", "/releases", 4);
        messages.add(catchThrowableOfType(GitHubException.class, () -> client.releases(REPO)).getMessage());

        fake.failNext("POST", "/releases$", 403, 1);
        GitHubException forbidden = catchThrowableOfType(GitHubException.class,
            () -> client.createRelease(REPO, Map.of("tag_name", "v1.0.0")));
        assertThat(forbidden.status()).isEqualTo(403);
        assertThat(forbidden.getMessage()).contains("contents: write");
        messages.add(forbidden.getMessage());

        fake.requireToken("ghp_the_right_one");
        GitHubException unauthorized = catchThrowableOfType(GitHubException.class, () -> client.releases(REPO));
        assertThat(unauthorized.status()).isEqualTo(401);
        assertThat(unauthorized.getMessage()).contains("GITHUB_TOKEN");
        messages.add(unauthorized.getMessage());

        messages.add(settings(TOKEN).toString());
        messages.add(settings(" " + TOKEN + "\n").toString());
        assertThat(messages).hasSize(5).allSatisfy(m -> assertThat(m).doesNotContain(TOKEN));
        assertThat(settings(TOKEN).toString()).contains("token=***");
        assertThat(settings(null).toString()).contains("token=none");
    }

    @Test
    void retryWarningsReachTheLogWithoutTheToken() {
        PrintStream original = System.err;
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        // slf4j-simple with logFile=System.err looks System.err up on every write (only cacheOutputStream=true
        // pins it), so swapping the stream captures what the client logs.
        System.setErr(new PrintStream(log, true, StandardCharsets.UTF_8));
        try {
            fake.dropNext("GET", "/releases", 1);
            fake.rateLimitNext("GET", "/releases", 1);
            fake.requireToken("ghp_the_right_one");
            assertThatThrownBy(() -> client.releases(REPO)).isInstanceOf(GitHubException.class);
        } finally {
            System.setErr(original);
        }
        String captured = log.toString(StandardCharsets.UTF_8);
        // Without this the check below would pass on an empty log. Fails today: httpclient5 drags in slf4j-api
        // 1.7.36, which cannot bind slf4j-simple 2.x, so every logger is NOP, in tests and in the shaded jar.
        assertThat(captured).contains("retrying").contains("rate limited");
        assertThat(captured).doesNotContain(TOKEN);
    }

    @Test
    void aSecondReadOfTheSameReleaseIsConditionalAndGetsTheCachedData() throws Exception {
        long id = fake.addRelease(REPO, "v1.0.0", false);
        fake.addAsset(REPO, id, "a.txt", "a".getBytes(StandardCharsets.UTF_8));
        Release first = client.releaseByTag(REPO, "v1.0.0").orElseThrow();
        Release second = client.releaseByTag(REPO, "v1.0.0").orElseThrow();

        assertThat(second).isEqualTo(first);
        assertThat(second.asset("a.txt")).isNotNull();
        List<Recorded> reads = requestsTo("/releases/tags/v1.0.0");
        assertThat(reads).hasSize(2);
        assertThat(reads.get(0).header("If-None-Match")).isNull();
        String etag = reads.get(1).header("If-None-Match");
        assertThat(etag).startsWith("W/\"");
        // Replaying that validator shows the fake answered the client's second read with 304.
        int status = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(fake.apiUrl() + "/repos/" + REPO
            + "/releases/tags/v1.0.0")).header("If-None-Match", etag).build(), BodyHandlers.discarding()).statusCode();
        assertThat(status).isEqualTo(304);

        // A change must not be hidden by the cache: a new ETag, a 200, fresh data.
        fake.addAsset(REPO, id, "b.txt", "b".getBytes(StandardCharsets.UTF_8));
        assertThat(client.releaseByTag(REPO, "v1.0.0").orElseThrow().assets()).extracting(Asset::name)
            .containsExactly("a.txt", "b.txt");
    }
}
