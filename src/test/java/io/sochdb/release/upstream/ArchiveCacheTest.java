package io.sochdb.release.upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.sochdb.release.failure.ReleaseFailedException;
import io.sochdb.release.fakes.FakeGitHub;
import io.sochdb.release.fakes.Recorded;
import io.sochdb.release.fixtures.ArchiveOptions;
import io.sochdb.release.fixtures.Fixtures;
import io.sochdb.release.github.GitHubClient;
import io.sochdb.release.github.GitHubException;
import io.sochdb.release.github.GitHubSettings;
import io.sochdb.release.packaging.Digests;
import io.sochdb.release.packaging.SourceDate;
import io.sochdb.release.packaging.Version;
import io.sochdb.release.platform.Platform;
import io.sochdb.release.run.BuildContext;
import io.sochdb.release.run.RemoteArchive;
import io.sochdb.release.run.WheelJob;
import io.sochdb.release.sdk.SdkProject;

class ArchiveCacheTest {

    private static final String REPO = "sochdb/sochdb";
    private static final String VERSION = "0.3.2";
    private static final String TRIPLE = "x86_64-unknown-linux-gnu";
    private static final String NAME = "sochdb-0.3.2-x86_64-unknown-linux-gnu.tar.gz";
    private static final Platform LINUX = new Platform(TRIPLE, "manylinux_2_17_x86_64",
        "sochdb-{version}-{triple}.tar.gz", List.of("sochdb-bulk", "sochdb-server", "sochdb-grpc-server"),
        List.of("libsochdb_storage.so", "libsochdb_index.so"));

    @TempDir
    Path tmp;

    private FakeGitHub fake;
    private GitHubClient client;
    private Path cacheDir;
    private Path folder;
    private Path source;
    private long assetId;
    private BuildContext build;

    @BeforeEach
    void start() throws IOException {
        fake = FakeGitHub.start();
        // A token, so that a client leaking it to the storage host shows up in violations().
        client = new GitHubClient(new GitHubSettings(fake.apiUrl(), fake.uploadUrl(), "tok", "test", 3,
            Duration.ofMillis(10), Duration.ofMillis(50), Duration.ofSeconds(5)));
        cacheDir = tmp.resolve("cache");
        folder = cacheDir.resolve("sochdb_sochdb");
        // Large enough that the download takes several reads, so a broken stream cannot pass for a whole one.
        source = Fixtures.platformArchive(tmp.resolve("upstream"), VERSION, TRIPLE,
            ArchiveOptions.defaults().withPayloadBytes(300_000));
        long release = fake.addRelease(REPO, "v" + VERSION, false);
        assetId = fake.addAsset(REPO, release, NAME, source);
        build = new BuildContext(Version.parse(VERSION), VERSION,
            SdkProject.load(Fixtures.sdkSource(tmp.resolve("sdk")), "sochdb"), tmp.resolve("staging"),
            new SourceDate(SourceDate.DEFAULT));
    }

    @AfterEach
    void stop() throws Exception {
        client.close();
        fake.close();
    }

    /** What the release route hands over: the asset as GitHubArchives saw it on the fake. */
    private RemoteArchive published() {
        return new GitHubArchives(client, REPO, Duration.ZERO, Duration.ofSeconds(1), Clock.systemUTC(), d -> {
            throw new AssertionError("no wait expected");
        }).resolve(List.of(LINUX), VERSION).found().get(LINUX);
    }

    private WheelJob job(RemoteArchive remote) {
        return new WheelJob(LINUX, NAME, null, remote, build);
    }

    private ArchiveCache cache() {
        return new ArchiveCache(client, cacheDir);
    }

    private List<Recorded> storageRequests() {
        return fake.requests().stream().filter(r -> r.path().startsWith("/storage/")).toList();
    }

    private List<String> cacheFiles() throws IOException {
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(folder)) {
            return files.map(f -> f.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void downloadsTheAssetIntoTheCache() throws Exception {
        RemoteArchive remote = published();
        assertThat(remote.sha256()).isEqualTo(Digests.sha256Hex(source));

        WheelJob fetched = cache().fetch(job(remote));

        assertThat(fetched.archive()).isEqualTo(folder.resolve(NAME));
        assertThat(fetched.archive().getFileName().toString()).isEqualTo(NAME);
        assertThat(fetched.archive()).hasSameBinaryContentAs(source);
        assertThat(Files.mismatch(fetched.archive(), source)).isEqualTo(-1L);
        assertThat(fetched.remote()).isEqualTo(remote);
        assertThat(fetched.platform()).isEqualTo(LINUX);
        assertThat(fetched.archiveName()).isEqualTo(NAME);
        assertThat(fetched.build()).isSameAs(build);
        assertThat(cacheFiles()).containsExactly(NAME, NAME + ".sha256");
        assertThat(Files.readString(folder.resolve(NAME + ".sha256"))).isEqualTo(remote.sha256() + "\n");
    }

    @Test
    void theTokenGoesToTheApiButNeverToStorage() throws Exception {
        cache().fetch(job(published()));

        assertThat(fake.violations()).isEmpty();
        assertThat(storageRequests()).hasSize(1)
            .allSatisfy(r -> assertThat(r.header("Authorization")).isNull());
        assertThat(fake.requests()).filteredOn(r -> r.path().equals("/api/repos/" + REPO + "/releases/assets/" + assetId))
            .singleElement().satisfies(r -> {
                assertThat(r.header("Authorization")).startsWith("Bearer ");
                assertThat(r.header("Accept")).isEqualTo("application/octet-stream");
            });
    }

    @Test
    void aSecondFetchReusesTheCacheWithoutAnyRequest() throws Exception {
        RemoteArchive remote = published();
        cache().fetch(job(remote));
        int before = fake.requests().size();

        WheelJob again = cache().fetch(job(remote));

        assertThat(again.archive()).hasSameBinaryContentAs(source);
        assertThat(fake.requests()).hasSize(before);
        assertThat(storageRequests()).hasSize(1);
    }

    @Test
    void aTamperedCachedFileIsDownloadedAgain() throws Exception {
        RemoteArchive remote = published();
        Path cached = cache().fetch(job(remote)).archive();
        byte[] bytes = Files.readAllBytes(cached);
        bytes[bytes.length / 2] ^= 0x01;
        Files.write(cached, bytes);

        WheelJob again = cache().fetch(job(remote));

        assertThat(again.archive()).hasSameBinaryContentAs(source);
        assertThat(storageRequests()).hasSize(2);
    }

    @Test
    void aDigestMismatchFailsNamingBothDigestsAndLeavesNothing() throws Exception {
        String wrong = "0123456789abcdef".repeat(4);
        fake.setDigest(assetId, "sha256:" + wrong);
        RemoteArchive remote = published();
        assertThat(remote.sha256()).isEqualTo(wrong);

        assertThatThrownBy(() -> cache().fetch(job(remote)))
            .isInstanceOf(ReleaseFailedException.class)
            .hasMessage("Download of " + NAME + " has sha256 " + Digests.sha256Hex(source) + ", but GitHub states "
                + wrong + "; the file was deleted");
        assertThat(cacheFiles()).isEmpty();
    }

    @Test
    void aSizeMismatchFailsAndLeavesNothing() throws Exception {
        RemoteArchive stated = published();
        long size = Files.size(source);
        RemoteArchive remote = new RemoteArchive(REPO, stated.assetId(), NAME, size + 1, stated.sha256(),
            stated.downloadUrl());

        assertThatThrownBy(() -> cache().fetch(job(remote)))
            .isInstanceOf(ReleaseFailedException.class)
            .hasMessage("Download of " + NAME + " is " + size + " bytes, but GitHub states " + (size + 1)
                + "; the file was deleted");
        assertThat(cacheFiles()).isEmpty();
    }

    @Test
    void withoutADigestTheSizeCheckAloneDecides() throws Exception {
        fake.clearDigest(assetId);
        RemoteArchive remote = published();
        assertThat(remote.sha256()).isNull();

        Path cached = cache().fetch(job(remote)).archive();

        assertThat(cached).hasSameBinaryContentAs(source);
        // The digest computed locally still guards the cached copy for the next run.
        assertThat(Files.readString(folder.resolve(NAME + ".sha256")).strip()).isEqualTo(Digests.sha256Hex(source));
        cache().fetch(job(remote));
        assertThat(storageRequests()).hasSize(1);
    }

    @Test
    void aLocalJobPassesThroughUntouched() throws Exception {
        Path local = Files.writeString(tmp.resolve(NAME), "local archive", StandardCharsets.UTF_8);
        WheelJob job = new WheelJob(LINUX, local, build);

        assertThat(cache().fetch(job)).isSameAs(job);
        assertThat(fake.requests()).isEmpty();
        assertThat(cacheDir).doesNotExist();
    }

    @Test
    void aDroppedDownloadIsRetried() throws Exception {
        RemoteArchive remote = published();
        fake.dropNext("GET", "^/storage/assets/", 1);

        WheelJob fetched = cache().fetch(job(remote));

        assertThat(fetched.archive()).hasSameBinaryContentAs(source);
        assertThat(fake.pendingFaults()).isZero();
        assertThat(storageRequests()).hasSize(2);
        assertThat(cacheFiles()).containsExactly(NAME, NAME + ".sha256");
    }

    @Test
    void aDownloadThatKeepsBreakingFailsWithoutLeavingAPart() throws Exception {
        RemoteArchive remote = published();
        fake.dropNext("GET", "^/storage/assets/", 3);

        assertThatThrownBy(() -> cache().fetch(job(remote)))
            .isInstanceOf(GitHubException.class)
            .hasMessageContaining("after 3 attempts");
        assertThat(fake.pendingFaults()).isZero();
        assertThat(cacheFiles()).isEmpty();
    }
}
