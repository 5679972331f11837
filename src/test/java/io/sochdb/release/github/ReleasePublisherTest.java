package io.sochdb.release.github;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.sochdb.release.failure.ReleaseFailedException;
import io.sochdb.release.fakes.FakeGitHub;
import io.sochdb.release.fakes.FakeRelease;
import io.sochdb.release.fakes.Recorded;
import io.sochdb.release.fixtures.Fixtures;
import io.sochdb.release.fixtures.RunSteps;
import io.sochdb.release.packaging.Digests;
import io.sochdb.release.packaging.SourceDate;
import io.sochdb.release.packaging.Version;
import io.sochdb.release.platform.Platform;
import io.sochdb.release.run.Artifact;
import io.sochdb.release.run.BuildContext;
import io.sochdb.release.run.ReleasePlan;
import io.sochdb.release.run.ReleaseRequest;
import io.sochdb.release.run.ReleaseRun;
import io.sochdb.release.run.WheelJob;
import io.sochdb.release.sdk.SdkProject;
import io.sochdb.release.summary.Links;

class ReleasePublisherTest {

    private static final String SDK = "sochdb/sochdb-python-sdk";
    private static final String TOKEN = "ghp_test_secret_token";
    private static final List<String> EXES = List.of("sochdb-bulk", "sochdb-server");
    private static final List<Platform> PLATFORMS = List.of(
        new Platform("x86_64-unknown-linux-gnu", "manylinux_2_17_x86_64", "sochdb-{version}-{triple}.tar.gz", EXES,
            List.of("libsochdb_storage.so")),
        new Platform("aarch64-apple-darwin", "macosx_11_0_arm64", "sochdb-{version}-{triple}.tar.gz", EXES,
            List.of("libsochdb_storage.dylib")),
        new Platform("x86_64-pc-windows-msvc", "win_amd64", "sochdb-{version}-{triple}.zip",
            List.of("sochdb-bulk.exe"), List.of("sochdb_storage.dll")));

    @TempDir
    Path tmp;

    private FakeGitHub fake;
    private GitHubClient client;
    private ReleasePublisher publisher;
    private SdkProject sdk;

    @BeforeEach
    void start() {
        fake = FakeGitHub.start();
        fake.addRepo(SDK);
        client = client(TOKEN);
        publisher = publisher(client);
        sdk = SdkProject.load(Fixtures.sdkSource(tmp.resolve("sdk")), "sochdb");
    }

    @AfterEach
    void stop() throws IOException {
        client.close();
        fake.close();
    }

    private GitHubClient client(String token) {
        return new GitHubClient(new GitHubSettings(fake.apiUrl(), fake.uploadUrl(), token, "test-agent", 4,
            Duration.ofMillis(10), Duration.ofMillis(50), Duration.ofSeconds(5)), d -> { });
    }

    private ReleasePublisher publisher(GitHubClient github) {
        return new ReleasePublisher(github, SDK, new ReleaseNotes(new Links(fake.baseUrl(), "sochdb/sochdb", SDK,
            "http://127.0.0.1:1/pypi"), "sochdb/sochdb", "sochdb"));
    }

    /** Three wheels, the sdist and SHA256SUMS, seeded from their names, so a second call rebuilds them identically. */
    private ReleaseRun run(String version, boolean dryRun, boolean replaceAssets) throws IOException {
        return run(version, dryRun, replaceAssets, List.of());
    }

    private ReleaseRun run(String version, boolean dryRun, boolean replaceAssets, List<Platform> notAttached)
            throws IOException {
        Path dist = Files.createDirectories(tmp.resolve("dist"));
        ReleaseRequest request = new ReleaseRequest(version, "0.3.2", dryRun, dist, tmp.resolve("archives"),
            tmp.resolve("sdk"), replaceAssets);
        BuildContext build = new BuildContext(Version.parse(version), "0.3.2", sdk, dist.resolve(".staging"),
            new SourceDate(SourceDate.DEFAULT));
        ReleaseRun run = new ReleaseRun(request, Clock.systemUTC());
        run.plan(new ReleasePlan(request, build, PLATFORMS.stream()
            .map(p -> new WheelJob(p, p.archiveName("0.3.2"), null, null, build)).toList(), notAttached));
        StringBuilder sums = new StringBuilder();
        for (Platform p : PLATFORMS) {
            sums.append(add(run, "sochdb_client-" + version + "-py3-none-" + p.tag() + ".whl", "wheel", p.triple(),
                random(dist, "sochdb_client-" + version + "-py3-none-" + p.tag() + ".whl", 40_000)));
        }
        sums.append(add(run, "sochdb_client-" + version + ".tar.gz", "sdist", null,
            random(dist, "sochdb_client-" + version + ".tar.gz", 9_000)));
        add(run, "SHA256SUMS", "checksums", null,
            Files.writeString(dist.resolve("SHA256SUMS"), sums, StandardCharsets.UTF_8));
        return run;
    }

    private static Path random(Path dist, String name, int size) throws IOException {
        byte[] bytes = new byte[size];
        new Random(name.hashCode()).nextBytes(bytes);
        return Files.write(dist.resolve(name), bytes);
    }

    private static String add(ReleaseRun run, String name, String kind, String platform, Path file) throws IOException {
        String sha = Digests.sha256Hex(file);
        run.artifact(new Artifact(name, kind, platform, Files.size(file), sha, file));
        return sha + "  " + name + "\n";
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    private List<Recorded> uploads() {
        return fake.requests().stream().filter(r -> r.path().startsWith("/uploads/")).toList();
    }

    private static String describe(Recorded r) {
        return r.method() + " " + r.path() + (r.query() == null ? "" : "?" + r.query());
    }

    /** Every built file is on the release exactly once, uploaded, with GitHub's digest and the local bytes. */
    private void assertComplete(String tag, ReleaseRun run) throws IOException {
        FakeRelease release = fake.release(SDK, tag);
        assertThat(release.assets()).extracting(FakeRelease.Asset::name)
            .containsExactlyInAnyOrderElementsOf(run.artifacts().stream().map(Artifact::name).toList());
        for (Artifact file : run.artifacts()) {
            FakeRelease.Asset asset = release.asset(file.name());
            assertThat(asset.state()).as(file.name()).isEqualTo("uploaded");
            assertThat(asset.digest()).as(file.name()).isEqualTo("sha256:" + file.sha256());
            assertThat(fake.assetBytes(asset.id())).as(file.name()).isEqualTo(Files.readAllBytes(file.path()));
        }
        assertThat(fake.violations()).isEmpty();
    }

    private static ReleaseRun.Step step(ReleaseRun run, String name) {
        return run.steps().stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void stagesADraftWithNotesAndEveryFileThenPublishesIt() throws Exception {
        ReleaseRun run = run("0.3.2", false, false);
        publisher.stage(RunSteps.in(run, "github-draft"));

        FakeRelease draft = fake.release(SDK, "v0.3.2");
        assertThat(draft.draft()).isTrue();
        assertThat(draft.prerelease()).isFalse();
        assertThat(draft.name()).isEqualTo("Release v0.3.2");
        assertThat(fake.writeRequests()).filteredOn(r -> r.path().equals("/api/repos/" + SDK + "/releases"))
            .hasSize(1);
        assertThat(draft.body())
            .contains("pip install sochdb-client==0.3.2")
            .contains("(" + fake.baseUrl() + "/sochdb/sochdb/releases/tag/v0.3.2)")
            .contains("| x86_64-unknown-linux-gnu | `manylinux_2_17_x86_64` | "
                + "`sochdb_client-0.3.2-py3-none-manylinux_2_17_x86_64.whl` |")
            .contains("| x86_64-pc-windows-msvc | `win_amd64` | `sochdb_client-0.3.2-py3-none-win_amd64.whl` |");
        run.artifacts().stream().filter(a -> !a.kind().equals("checksums"))
            .forEach(a -> assertThat(draft.body()).contains("| `" + a.name() + "` | `" + a.sha256() + "` |"));
        assertComplete("v0.3.2", run);
        assertThat(draft.asset("sochdb_client-0.3.2.tar.gz").contentType()).isEqualTo("application/gzip");
        assertThat(draft.asset("SHA256SUMS").contentType()).startsWith("text/plain");
        assertThat(step(run, "github-draft").detail()).contains("5 uploaded");

        publisher.publish(RunSteps.in(run, "github-publish"));
        FakeRelease published = fake.release(SDK, "v0.3.2");
        assertThat(published.id()).isEqualTo(draft.id());
        assertThat(published.draft()).isFalse();
        assertThat(published.publishedAt()).isNotNull();
        assertThat(published.makeLatest()).isEqualTo("true");
        assertThat(fake.writeRequests()).filteredOn(r -> r.method().equals("PATCH")).hasSize(1);
        assertThat(run.links()).containsEntry("github_release", fake.baseUrl() + "/" + SDK + "/releases/tag/v0.3.2");
    }

    @Test
    void theNotesNamePlatformsWhoseArchiveUpstreamDidNotAttach() throws Exception {
        List<Platform> absent = List.of(
            new Platform("aarch64-unknown-linux-gnu", "manylinux_2_17_aarch64", "sochdb-{version}-{triple}.tar.gz", EXES,
                List.of("libsochdb_storage.so"), false),
            new Platform("x86_64-apple-darwin", "macosx_10_12_x86_64", "sochdb-{version}-{triple}.tar.gz", EXES,
                List.of("libsochdb_storage.dylib"), false));
        ReleaseRun run = run("0.3.2", false, false, absent);
        publisher.stage(RunSteps.in(run, "github-draft"));

        String body = fake.release(SDK, "v0.3.2").body();
        assertThat(body)
            .contains("| aarch64-unknown-linux-gnu | - | not attached upstream |")
            .contains("| x86_64-apple-darwin | - | not attached upstream |")
            .contains("Not attached upstream: `aarch64-unknown-linux-gnu`, `x86_64-apple-darwin`. The sochdb 0.3.2 release"
                + " has no archive for these platforms, so this release has no wheel for them");
        assertThat(fake.release(SDK, "v0.3.2").assets()).hasSize(5);

        // Every platform there: no such sentence.
        assertThat(new ReleaseNotes(new Links(fake.baseUrl(), "sochdb/sochdb", SDK, "http://127.0.0.1:1/pypi"),
            "sochdb/sochdb", "sochdb").render(run(("0.3.3"), false, false))).doesNotContain("not attached upstream");
    }

    @Test
    void aSecondFullRunWritesNothing() throws Exception {
        ReleaseRun first = run("0.3.2", false, false);
        publisher.stage(RunSteps.in(first, "github-draft"));
        publisher.publish(RunSteps.in(first, "github-publish"));
        int writes = fake.writeRequests().size();

        ReleaseRun again = run("0.3.2", false, false);
        publisher.stage(RunSteps.in(again, "github-draft"));
        publisher.publish(RunSteps.in(again, "github-publish"));

        assertThat(fake.writeRequests()).hasSize(writes);
        assertThat(fake.requests()).noneMatch(r -> r.path().startsWith("/storage/"));
        assertThat(step(again, "github-draft").detail()).contains("0 uploaded, 5 already there");
        assertThat(step(again, "github-publish").detail()).startsWith("already published");
        assertThat(again.links()).containsKey("github_release");
    }

    @Test
    void resumesADraftUploadingOnlyWhatIsMissingAfterClearingTheStub() throws Exception {
        ReleaseRun run = run("0.3.2", false, false);
        List<Artifact> files = run.artifacts();
        long releaseId = fake.addRelease(SDK, "v0.3.2", true);
        long kept = fake.addAsset(SDK, releaseId, files.get(0).name(), files.get(0).path());
        long stub = fake.addStubAsset(SDK, releaseId, files.get(1).name());

        publisher.stage(RunSteps.in(run, "github-draft"));

        String uploads = "POST /uploads/repos/" + SDK + "/releases/" + releaseId + "/assets?name=";
        assertThat(fake.writeRequests()).extracting(ReleasePublisherTest::describe).containsExactly(
            "DELETE /api/repos/" + SDK + "/releases/assets/" + stub,
            uploads + files.get(1).name(), uploads + files.get(2).name(), uploads + files.get(3).name(),
            uploads + files.get(4).name());
        assertComplete("v0.3.2", run);
        assertThat(fake.release(SDK, "v0.3.2").id()).isEqualTo(releaseId);
        assertThat(fake.release(SDK, "v0.3.2").asset(files.get(0).name()).id()).isEqualTo(kept);
    }

    @Test
    void refusesToOverwriteADifferentAssetUnlessAskedTo() throws Exception {
        ReleaseRun run = run("0.3.2", false, false);
        Artifact wheel = run.artifacts().get(0);
        long releaseId = fake.addRelease(SDK, "v0.3.2", false);
        byte[] other = "an older build of this wheel".getBytes(StandardCharsets.UTF_8);
        long old = fake.addAsset(SDK, releaseId, wheel.name(), other);

        assertThatThrownBy(() -> publisher.stage(RunSteps.in(run, "github-draft"))).isInstanceOf(ReleaseFailedException.class)
            .hasMessageContaining(wheel.name()).hasMessageContaining(sha256(other))
            .hasMessageContaining(wheel.sha256());
        assertThat(fake.writeRequests()).isEmpty();
        assertThat(fake.assetBytes(old)).isEqualTo(other);

        ReleaseRun replacing = run("0.3.2", false, true);
        publisher.stage(RunSteps.in(replacing, "github-draft"));
        assertThat(fake.assetBytes(old)).isNull();
        assertThat(fake.writeRequests()).extracting(ReleasePublisherTest::describe)
            .contains("DELETE /api/repos/" + SDK + "/releases/assets/" + old);
        assertComplete("v0.3.2", replacing);
    }

    @Test
    void comparesAnAssetWithoutDigestByDownloadingIt() throws Exception {
        ReleaseRun run = run("0.3.2", false, false);
        long releaseId = fake.addRelease(SDK, "v0.3.2", false);
        long unhashed = 0;
        for (Artifact file : run.artifacts()) {
            long id = fake.addAsset(SDK, releaseId, file.name(), file.path());
            unhashed = unhashed == 0 ? id : unhashed;
        }
        fake.clearDigest(unhashed);

        publisher.stage(RunSteps.in(run, "github-draft"));

        assertThat(fake.writeRequests()).isEmpty();
        assertThat(fake.requests()).filteredOn(r -> r.path().startsWith("/storage/")).extracting(Recorded::path)
            .containsExactly("/storage/assets/" + unhashed);
        assertThat(fake.violations()).isEmpty();
        assertThat(step(run, "github-draft").detail()).contains("0 uploaded");
    }

    @Test
    void retriesAnUploadThatGot502Twice() throws Exception {
        ReleaseRun run = run("0.3.2", false, false);
        fake.failNext("POST", "^/uploads/", 502, 2);
        publisher.stage(RunSteps.in(run, "github-draft"));
        publisher.publish(RunSteps.in(run, "github-publish"));

        assertThat(fake.pendingFaults()).isZero();
        assertThat(uploads()).hasSize(5 + 2);
        assertComplete("v0.3.2", run);
        assertThat(fake.release(SDK, "v0.3.2").draft()).isFalse();
    }

    @Test
    void anUploadStoredButUnansweredEndsWithoutADuplicate() throws Exception {
        ReleaseRun run = run("0.3.2", false, false);
        fake.dropResponseNext("POST", "^/uploads/", 1);
        publisher.stage(RunSteps.in(run, "github-draft"));

        assertThat(fake.pendingFaults()).isZero();
        // The retry met 422 already_exists and accepted the identical asset it had stored itself.
        assertThat(uploads()).hasSize(5 + 1);
        assertThat(fake.writeRequests()).noneMatch(r -> r.method().equals("DELETE"));
        assertComplete("v0.3.2", run);
    }

    @Test
    void aDryRunSendsNoRequestAndSkipsBothSteps() throws Exception {
        ReleaseRun run = run("0.3.2", true, false);
        publisher.stage(RunSteps.in(run, "github-draft"));
        publisher.publish(RunSteps.in(run, "github-publish"));

        assertThat(fake.requests()).isEmpty();
        assertThat(step(run, "github-draft").state()).isEqualTo(ReleaseRun.State.SKIPPED);
        assertThat(step(run, "github-publish").state()).isEqualTo(ReleaseRun.State.SKIPPED);
        assertThat(step(run, "github-draft").detail()).contains("dry run").contains("5 assets");
    }

    @Test
    void withoutATokenStagingStopsBeforeAnyRequest() throws Exception {
        ReleaseRun run = run("0.3.2", false, false);
        try (GitHubClient anonymous = client(null)) {
            assertThatThrownBy(() -> publisher(anonymous).stage(RunSteps.in(run, "github-draft"))).isInstanceOf(ReleaseFailedException.class)
                .hasMessageContaining("GITHUB_TOKEN");
        }
        assertThat(fake.requests()).isEmpty();
        assertThat(fake.release(SDK, "v0.3.2")).isNull();
    }

    @Test
    void aPrereleaseIsMarkedSoAndNeverMadeLatest() throws Exception {
        ReleaseRun run = run("1.0.0rc1", false, false);
        publisher.stage(RunSteps.in(run, "github-draft"));
        FakeRelease draft = fake.release(SDK, "v1.0.0rc1");
        assertThat(draft.prerelease()).isTrue();
        assertThat(draft.draft()).isTrue();
        assertThat(draft.body()).contains("pip install sochdb-client==1.0.0rc1");

        publisher.publish(RunSteps.in(run, "github-publish"));
        FakeRelease published = fake.release(SDK, "v1.0.0rc1");
        assertThat(published.draft()).isFalse();
        assertThat(published.prerelease()).isTrue();
        assertThat(published.makeLatest()).isEqualTo("false");
        assertComplete("v1.0.0rc1", run);
    }
}
