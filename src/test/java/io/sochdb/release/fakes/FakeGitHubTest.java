package io.sochdb.release.fakes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FakeGitHubTest {

    private static final String REPO = "sochdb/sochdb-python-sdk";
    private static final ObjectMapper JSON = new ObjectMapper();

    private FakeGitHub github;
    private RawHttp api;

    @BeforeEach
    void start() {
        github = FakeGitHub.start();
        github.addRepo(REPO);
        api = new RawHttp(github, REPO);
    }

    @AfterEach
    void stop() {
        github.close();
    }

    @Test
    void createsReleasesAndRefusesADuplicateTag() throws Exception {
        HttpResponse<String> created = api.createRelease("v1.0.0", false);
        assertThat(created.statusCode()).isEqualTo(201);
        JsonNode release = JSON.readTree(created.body());
        assertThat(release.get("tag_name").asText()).isEqualTo("v1.0.0");
        assertThat(release.get("id").asLong()).isGreaterThan(Integer.MAX_VALUE);
        assertThat(release.get("html_url").asText()).isEqualTo(github.baseUrl() + "/" + REPO + "/releases/tag/v1.0.0");
        assertThat(release.get("upload_url").asText()).isEqualTo(github.uploadUrl() + "/repos/" + REPO + "/releases/"
            + release.get("id").asLong() + "/assets{?name,label}");

        HttpResponse<String> duplicate = api.createRelease("v1.0.0", true);
        assertThat(duplicate.statusCode()).isEqualTo(422);
        JsonNode error = JSON.readTree(duplicate.body()).get("errors").get(0);
        assertThat(error.get("code").asText()).isEqualTo("already_exists");
        assertThat(error.get("field").asText()).isEqualTo("tag_name");
        assertThat(github.writeRequests()).hasSize(2);
        assertThat(github.violations()).isEmpty();
    }

    @Test
    void findsOnlyPublishedReleasesByTag() throws Exception {
        long id = JSON.readTree(api.createRelease("v2.0.0", true).body()).get("id").asLong();
        assertThat(api.get("/repos/" + REPO + "/releases/tags/v2.0.0").statusCode()).isEqualTo(404);
        assertThat(api.get("/repos/" + REPO + "/releases/" + id).statusCode()).isEqualTo(200);
        assertThat(github.release(REPO, "v2.0.0").draft()).isTrue();

        HttpResponse<String> patched = api.send("PATCH", github.apiUrl() + "/repos/" + REPO + "/releases/" + id,
            "{\"draft\": false}");
        assertThat(patched.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(patched.body()).get("published_at").isNull()).isFalse();
        HttpResponse<String> byTag = api.get("/repos/" + REPO + "/releases/tags/v2.0.0");
        assertThat(byTag.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(byTag.body()).get("id").asLong()).isEqualTo(id);
    }

    @Test
    void uploadsAnAssetOnceAndServesItThroughStorage() throws Exception {
        long id = github.addRelease(REPO, "v1.0.0", true);
        byte[] content = "wheel bytes".getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> uploaded = api.upload(id, "a.whl", content);
        assertThat(uploaded.statusCode()).isEqualTo(201);
        JsonNode asset = JSON.readTree(uploaded.body());
        assertThat(asset.get("state").asText()).isEqualTo("uploaded");
        assertThat(asset.get("size").asLong()).isEqualTo(content.length);
        assertThat(asset.get("digest").asText()).isEqualTo("sha256:" + RawHttp.sha256(content));
        assertThat(api.upload(id, "a.whl", content).statusCode()).isEqualTo(422);

        HttpResponse<String> redirect = api.http.send(HttpRequest.newBuilder(URI.create(asset.get("url").asText()))
            .header("Accept", "application/octet-stream").build(), BodyHandlers.ofString());
        assertThat(redirect.statusCode()).isEqualTo(302);
        String location = redirect.headers().firstValue("Location").orElseThrow();
        assertThat(location).startsWith(github.baseUrl() + "/storage/assets/");
        HttpResponse<byte[]> bytes = api.fetch(location);
        assertThat(bytes.statusCode()).isEqualTo(200);
        assertThat(bytes.body()).isEqualTo(content);
        assertThat(bytes.headers().firstValueAsLong("Content-Length")).hasValue(content.length);

        HttpResponse<String> withToken = api.http.send(HttpRequest.newBuilder(URI.create(location))
            .header("Authorization", "Bearer secret-token").build(), BodyHandlers.ofString());
        assertThat(withToken.statusCode()).isEqualTo(400);
        assertThat(github.violations()).singleElement().asString().contains("Authorization")
            .doesNotContain("secret-token");
        assertThat(github.requests()).last().extracting(r -> r.header("Authorization")).isEqualTo("Bearer [redacted]");
    }

    @Test
    void streamsALargeUploadAndKeepsANameThatAStubHolds(@TempDir Path dir) throws Exception {
        long id = github.addRelease(REPO, "v1.0.0", true);
        byte[] content = new byte[8 * 1024 * 1024];
        new Random(42).nextBytes(content);
        Path file = Files.write(dir.resolve("big.whl"), content);
        HttpResponse<String> uploaded = api.http.send(HttpRequest.newBuilder(URI.create(api.uploadUri(id, "big.whl")))
            .header("Content-Type", "application/octet-stream").POST(BodyPublishers.ofFile(file)).build(),
            BodyHandlers.ofString());
        assertThat(uploaded.statusCode()).isEqualTo(201);
        long assetId = JSON.readTree(uploaded.body()).get("id").asLong();
        assertThat(github.assetBytes(assetId)).isEqualTo(content);
        assertThat(github.release(REPO, "v1.0.0").asset("big.whl").digest())
            .isEqualTo("sha256:" + RawHttp.sha256(content));

        long stub = github.addStubAsset(REPO, id, "broken.whl");
        assertThat(github.release(REPO, "v1.0.0").asset("broken.whl").state()).isEqualTo("starter");
        assertThat(api.upload(id, "broken.whl", content).statusCode()).isEqualTo(422);
        String stubUrl = github.apiUrl() + "/repos/" + REPO + "/releases/assets/" + stub;
        assertThat(api.send("DELETE", stubUrl, null).statusCode()).isEqualTo(204);
        assertThat(api.upload(id, "broken.whl", content).statusCode()).isEqualTo(201);
    }

    @Test
    void answersAMatchingIfNoneMatchWith304() throws Exception {
        github.addRelease(REPO, "v1.0.0", false);
        HttpResponse<String> first = api.get("/repos/" + REPO + "/releases/tags/v1.0.0");
        String etag = first.headers().firstValue("ETag").orElseThrow();
        assertThat(first.headers().firstValue("x-ratelimit-remaining")).isPresent();
        assertThat(first.headers().firstValue("x-ratelimit-reset")).isPresent();
        HttpResponse<String> second = api.http.send(api.request("/repos/" + REPO + "/releases/tags/v1.0.0")
            .header("If-None-Match", etag).build(), BodyHandlers.ofString());
        assertThat(second.statusCode()).isEqualTo(304);
        assertThat(second.body()).isEmpty();
    }

    @Test
    void injectsFailuresInTheOrderQueued() throws Exception {
        long id = github.addRelease(REPO, "v1.0.0", true);
        github.failNext("POST", "/uploads/.+/assets$", 502, 2);
        assertThat(api.upload(id, "a.whl", new byte[100]).statusCode()).isEqualTo(502);
        assertThat(api.upload(id, "a.whl", new byte[100]).statusCode()).isEqualTo(502);
        assertThat(api.upload(id, "a.whl", new byte[100]).statusCode()).isEqualTo(201);
        assertThat(github.writeRequests()).hasSize(3).allMatch(r -> r.bodyBytes() == 100);

        github.rateLimitNext("GET", "/releases/tags/", 7);
        HttpResponse<String> limited = api.get("/repos/" + REPO + "/releases/tags/v1.0.0");
        assertThat(limited.statusCode()).isEqualTo(403);
        assertThat(limited.headers().firstValue("Retry-After")).hasValue("7");
        assertThat(limited.body()).contains("secondary rate limit");

        github.rateLimitResetNext("GET", "/releases$", 1_900_000_000L);
        HttpResponse<String> exhausted = api.get("/repos/" + REPO + "/releases");
        assertThat(exhausted.statusCode()).isEqualTo(403);
        assertThat(exhausted.headers().firstValue("x-ratelimit-remaining")).hasValue("0");
        assertThat(exhausted.headers().firstValue("x-ratelimit-reset")).hasValue("1900000000");

        github.dropNext("GET", "/releases$", 1);
        assertThatThrownBy(() -> api.get("/repos/" + REPO + "/releases")).isInstanceOf(IOException.class);
        assertThat(api.get("/repos/" + REPO + "/releases").statusCode()).isEqualTo(200);
        assertThat(github.pendingFaults()).isZero();
    }

    @Test
    void dropsBeforeOrAfterServingTheRequest() throws Exception {
        github.dropNext("POST", "/releases$", 1);
        assertThatThrownBy(() -> api.createRelease("v1.0.0", true)).isInstanceOf(IOException.class);
        assertThat(github.release(REPO, "v1.0.0")).isNull();

        github.dropResponseNext("POST", "/releases$", 1);
        assertThatThrownBy(() -> api.createRelease("v1.0.0", true)).isInstanceOf(IOException.class);
        assertThat(github.release(REPO, "v1.0.0").draft()).isTrue();
        assertThat(api.createRelease("v1.0.0", true).statusCode()).isEqualTo(422);
        assertThat(github.writeRequests()).hasSize(3);
    }

    @Test
    void anUploadThatBreaksOffLeavesAStarterStub() throws Exception {
        long id = github.addRelease(REPO, "v1.0.0", true);
        try (Socket socket = new Socket(InetAddress.getByName("127.0.0.1"), github.port())) {
            String head = "POST /uploads/repos/" + REPO + "/releases/" + id + "/assets?name=cut.whl HTTP/1.1\r\n"
                + "Host: 127.0.0.1\r\nContent-Type: application/octet-stream\r\nContent-Length: 1000\r\n\r\n";
            socket.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().write(new byte[10]);
            socket.getOutputStream().flush();
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (github.release(REPO, "v1.0.0").asset("cut.whl") == null && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        FakeRelease.Asset stub = github.release(REPO, "v1.0.0").asset("cut.whl");
        assertThat(stub.state()).isEqualTo("starter");
        assertThat(stub.size()).isZero();
        assertThat(github.requests()).singleElement().extracting(Recorded::bodyBytes).isEqualTo(10L);
    }

    @Test
    void requiresTheTokenWhenAsked() throws Exception {
        github.addRelease(REPO, "v1.0.0", false);
        github.requireToken("t0ken");
        assertThat(api.get("/repos/" + REPO + "/releases/tags/v1.0.0").statusCode()).isEqualTo(401);
        HttpResponse<String> ok = api.http.send(api.request("/repos/" + REPO + "/releases/tags/v1.0.0")
            .header("Authorization", "Bearer t0ken").build(), BodyHandlers.ofString());
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(github.requests().get(1).header("Authorization")).isEqualTo("Bearer [redacted]");
    }

    @Test
    void pagesTheListNewestFirstWithLinkHeaders() throws Exception {
        for (int i = 1; i <= 5; i++) {
            github.addRelease(REPO, "v0." + i, i == 5);
        }
        List<String> tags = new ArrayList<>();
        String next = github.apiUrl() + "/repos/" + REPO + "/releases?per_page=2";
        int pages = 0;
        while (next != null) {
            HttpResponse<String> page = api.http.send(HttpRequest.newBuilder(URI.create(next)).build(),
                BodyHandlers.ofString());
            JSON.readTree(page.body()).forEach(r -> tags.add(r.get("tag_name").asText()));
            next = page.headers().firstValue("Link").map(RawHttp::nextLink).orElse(null);
            pages++;
        }
        assertThat(pages).isEqualTo(3);
        assertThat(tags).containsExactly("v0.5", "v0.4", "v0.3", "v0.2", "v0.1");
    }

    @Test
    void showsAScheduledAssetOnlyAfterEnoughReads() throws Exception {
        long id = github.addRelease(REPO, "v1.0.0", false);
        long late = github.scheduleAsset(REPO, id, "late.whl", new byte[] {1, 2, 3}, 2);
        for (int read = 1; read <= 2; read++) {
            JsonNode release = JSON.readTree(api.get("/repos/" + REPO + "/releases/tags/v1.0.0").body());
            assertThat(release.get("assets")).as("read %d", read).isEmpty();
        }
        JsonNode assets = JSON.readTree(api.get("/repos/" + REPO + "/releases/" + id).body()).get("assets");
        assertThat(assets).hasSize(1);
        assertThat(assets.get(0).get("id").asLong()).isEqualTo(late);
        assertThat(github.assetBytes(late)).containsExactly(1, 2, 3);
    }

    @Test
    void redirectsTarballsToStorage() throws Exception {
        String sha = "0123456789abcdef0123456789abcdef01234567";
        github.addTarball(REPO, "v1.0.0", sha, GitHubTarball.ofText(REPO, sha, Map.of("src/a.py", "print(1)\n")));
        JsonNode commit = JSON.readTree(api.get("/repos/" + REPO + "/commits/v1.0.0").body());
        assertThat(commit.get("sha").asText()).isEqualTo(sha);
        assertThat(api.get("/repos/" + REPO + "/commits/nope").statusCode()).isEqualTo(404);

        HttpResponse<String> redirect = api.get("/repos/" + REPO + "/tarball/v1.0.0");
        assertThat(redirect.statusCode()).isEqualTo(302);
        String location = redirect.headers().firstValue("Location").orElseThrow();
        assertThat(location).isEqualTo(github.baseUrl() + "/storage/tarball/" + REPO + "/" + sha);
        HttpResponse<byte[]> tarball = api.fetch(location);
        assertThat(tarball.statusCode()).isEqualTo(200);

        List<String> names = new ArrayList<>();
        try (TarArchiveInputStream tar = new TarArchiveInputStream(new GzipCompressorInputStream(
            new ByteArrayInputStream(tarball.body())))) {
            for (TarArchiveEntry e; (e = tar.getNextEntry()) != null; ) {
                names.add(e.getName());
                // git archive's global header (the commit) is applied to every entry by Commons Compress.
                assertThat(e.getExtraPaxHeader("comment")).isEqualTo(sha);
            }
        }
        assertThat(names).containsExactly("sochdb-sochdb-python-sdk-0123456/", "sochdb-sochdb-python-sdk-0123456/src/",
            "sochdb-sochdb-python-sdk-0123456/src/a.py");
        assertThat(github.violations()).isEmpty();
    }
}
