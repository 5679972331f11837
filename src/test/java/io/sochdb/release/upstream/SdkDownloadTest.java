package io.sochdb.release.upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.sochdb.release.archive.ArchiveLimits;
import io.sochdb.release.archive.ArchiveReader;
import io.sochdb.release.archive.BadArchiveException;
import io.sochdb.release.fakes.FakeGitHub;
import io.sochdb.release.fakes.GitHubTarball;
import io.sochdb.release.fakes.Recorded;
import io.sochdb.release.fixtures.Fixtures;
import io.sochdb.release.github.GitHubClient;
import io.sochdb.release.github.GitHubException;
import io.sochdb.release.github.GitHubSettings;
import io.sochdb.release.sdk.SdkProject;

class SdkDownloadTest {

    private static final String REPO = "sochdb/sochdb-python-sdk";
    private static final String SHA = "3f2a9c1b7d4e5f60718293a4b5c6d7e8f9012345";

    @TempDir
    Path tmp;

    private FakeGitHub fake;
    private GitHubClient client;
    private Path cacheDir;
    private Map<String, byte[]> files;

    @BeforeEach
    void start() throws IOException {
        fake = FakeGitHub.start();
        client = new GitHubClient(new GitHubSettings(fake.apiUrl(), fake.uploadUrl(), "tok", "test", 3,
            Duration.ofMillis(10), Duration.ofMillis(50), Duration.ofSeconds(5)));
        cacheDir = tmp.resolve("cache");
        files = readTree(Fixtures.sdkSource(tmp.resolve("sdk")));
    }

    @AfterEach
    void stop() throws Exception {
        client.close();
        fake.close();
    }

    /** Raw bytes, since the fixture tree holds binaries (.pyc, ELF) that a text round trip would mangle. */
    private static Map<String, byte[]> readTree(Path root) throws IOException {
        Map<String, byte[]> tree = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path file : walk.filter(Files::isRegularFile).toList()) {
                tree.put(root.relativize(file).toString().replace('\\', '/'), Files.readAllBytes(file));
            }
        }
        return tree;
    }

    private SdkDownload download(Path cache) {
        return new SdkDownload(client, new ArchiveReader(new ArchiveLimits(64 << 20, 512 << 20, 20000), true), cache);
    }

    private SdkDownload.Fetched fetchMain() throws IOException {
        return download(cacheDir).fetch(REPO, "main");
    }

    private long tarballRequests() {
        return fake.requests().stream()
            .filter(r -> r.path().contains("/tarball/") || r.path().startsWith("/storage/")).count();
    }

    private Path base() {
        return cacheDir.resolve("sdk").resolve("sochdb_sochdb-python-sdk");
    }

    @Test
    void unpacksTheTarballOfTheResolvedCommit() throws Exception {
        fake.addTarball(REPO, "main", SHA, GitHubTarball.of(REPO, SHA, files));

        SdkDownload.Fetched fetched = fetchMain();

        assertThat(fetched.commit()).isEqualTo(SHA);
        assertThat(fetched.root()).isEqualTo(base().resolve(SHA));
        // GitHub's top folder ({owner}-{repo}-{sha7}) is gone: the project sits at the root.
        assertThat(fetched.root().resolve("pyproject.toml")).isRegularFile();
        assertThat(fetched.root().resolve("src/sochdb/__init__.py")).isRegularFile();
        assertThat(fetched.root().resolve(GitHubTarball.topFolder(REPO, SHA))).doesNotExist();
        assertThat(readTree(fetched.root())).containsOnlyKeys(files.keySet())
            .allSatisfy((path, bytes) -> assertThat(bytes).as(path).isEqualTo(files.get(path)));
        assertThat(SdkProject.load(fetched.root(), "sochdb").metadata().name().value()).isEqualTo("sochdb-client");
        // The download is pinned to the sha, so a branch moving meanwhile cannot change what is packaged.
        assertThat(fake.requests()).filteredOn(r -> r.path().startsWith("/api/") && r.path().contains("/tarball/"))
            .singleElement().extracting(Recorded::path).isEqualTo("/api/repos/" + REPO + "/tarball/" + SHA);
        assertThat(fake.violations()).isEmpty();
        try (Stream<Path> left = Files.list(base())) {
            assertThat(left.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder(SHA, SHA + ".complete");
        }
    }

    @Test
    void aSecondFetchUsesTheCache() throws Exception {
        fake.addTarball(REPO, "main", SHA, GitHubTarball.of(REPO, SHA, files));
        SdkDownload.Fetched first = fetchMain();
        assertThat(tarballRequests()).isEqualTo(2);

        SdkDownload.Fetched second = fetchMain();

        assertThat(second).isEqualTo(first);
        assertThat(tarballRequests()).isEqualTo(2);
    }

    @Test
    void anInterruptedEarlierUnpackIsRedoneFromScratch() throws Exception {
        fake.addTarball(REPO, "main", SHA, GitHubTarball.of(REPO, SHA, files));
        // No ".complete" marker: what an earlier run left when it died mid-unpack.
        Path root = Files.createDirectories(base().resolve(SHA));
        Files.writeString(root.resolve("stale.py"), "left over\n");

        SdkDownload.Fetched fetched = fetchMain();

        assertThat(fetched.root().resolve("stale.py")).doesNotExist();
        assertThat(fetched.root().resolve("pyproject.toml")).isRegularFile();
        assertThat(tarballRequests()).isEqualTo(2);
    }

    @Test
    void aSymlinkIsLeftOutAndTheRestUnpacked() throws Exception {
        fake.addTarball(REPO, "main", SHA, withSymlink("src/sochdb/passwd", "/etc/passwd"));

        SdkDownload.Fetched fetched = fetchMain();

        Path link = fetched.root().resolve("src/sochdb/passwd");
        assertThat(Files.exists(link, LinkOption.NOFOLLOW_LINKS)).isFalse();
        assertThat(readTree(fetched.root())).containsOnlyKeys(files.keySet());
        assertThat(SdkProject.load(fetched.root(), "sochdb").packageFiles()).isNotEmpty();
    }

    @Test
    void anEntryClimbingOutIsRefused() throws Exception {
        Map<String, String> hostile = new TreeMap<>();
        hostile.put("pyproject.toml", new String(files.get("pyproject.toml"), StandardCharsets.UTF_8));
        hostile.put("../../escaped.py", "print('out')\n");
        fake.addTarball(REPO, "main", SHA, GitHubTarball.ofText(REPO, SHA, hostile));

        assertThatThrownBy(this::fetchMain).isInstanceOf(BadArchiveException.class).hasMessageContaining("..");

        assertThat(base().resolve(SHA + ".complete")).doesNotExist();
        assertThat(base().resolve(SHA + ".tar.gz.part")).doesNotExist();
        try (Stream<Path> all = Files.walk(tmp)) {
            assertThat(all.map(p -> p.getFileName().toString())).doesNotContain("escaped.py");
        }
    }

    @Test
    void anUnknownRefIsA404() throws Exception {
        fake.addTarball(REPO, "main", SHA, GitHubTarball.of(REPO, SHA, files));

        assertThatThrownBy(() -> download(cacheDir).fetch(REPO, "no-such-branch"))
            .isInstanceOfSatisfying(GitHubException.class, e -> assertThat(e.status()).isEqualTo(404))
            .hasMessageContaining("no-such-branch").hasMessageContaining(REPO);
        assertThat(tarballRequests()).isZero();
    }

    /**
     * The default cache folder is the relative "./data/cache" (application.properties), so the unpack must work
     * below a path that is relative and not normalised.
     */
    @Test
    void unpacksBelowARelativeCacheFolderLikeTheDefault() throws Exception {
        fake.addTarball(REPO, "main", SHA, GitHubTarball.of(REPO, SHA, files));
        Path relative = Path.of(".").resolve(Path.of("").toAbsolutePath().relativize(tmp.resolve("rel-cache")));

        SdkDownload.Fetched fetched = download(relative).fetch(REPO, "main");

        assertThat(fetched.commit()).isEqualTo(SHA);
        assertThat(fetched.root().resolve("pyproject.toml")).isRegularFile();
    }

    /** GitHubTarball writes regular files only; a symlink needs a hand-made tarball of the same shape. */
    private byte[] withSymlink(String linkPath, String target) throws IOException {
        String top = GitHubTarball.topFolder(REPO, SHA) + "/";
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new GzipCompressorOutputStream(bytes))) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            TarArchiveEntry link = new TarArchiveEntry(top + linkPath, TarConstants.LF_SYMLINK);
            link.setLinkName(target);
            tar.putArchiveEntry(link);
            tar.closeArchiveEntry();
            for (Map.Entry<String, byte[]> file : files.entrySet()) {
                TarArchiveEntry entry = new TarArchiveEntry(top + file.getKey());
                entry.setSize(file.getValue().length);
                tar.putArchiveEntry(entry);
                tar.write(file.getValue());
                tar.closeArchiveEntry();
            }
        }
        return bytes.toByteArray();
    }
}
