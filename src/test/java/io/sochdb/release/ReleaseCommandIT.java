package io.sochdb.release;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.sochdb.release.fixtures.ArchiveOptions;
import io.sochdb.release.fixtures.Fixtures;
import io.sochdb.release.fixtures.Processes;

/** The command line contract, exercised through the packaged jar: exit codes, stdout and stderr, the dist folder. */
class ReleaseCommandIT {

    private static final Duration TIMEOUT = Duration.ofMinutes(5);

    @TempDir
    Path tmp;

    private static Processes.Result jar(List<String> jvmOptions, String... args) {
        return jar(jvmOptions, Map.of(), args);
    }

    private static Processes.Result jar(List<String> jvmOptions, Map<String, String> env, String... args) {
        List<String> command = new ArrayList<>(List.of("java"));
        command.addAll(jvmOptions);
        command.add("-jar");
        command.add(System.getProperty("release.jar"));
        command.addAll(List.of(args));
        return Processes.run(command, env, null, TIMEOUT);
    }

    private Processes.Result release(String version, Path archives, String... more) {
        List<String> args = new ArrayList<>(List.of("release", "--version", version, "--dry-run",
                "--archives", archives.toString(), "--sdk-source", Fixtures.sdkSource(tmp.resolve("sdk")).toString(),
                "--dist", tmp.resolve("dist").toString()));
        args.addAll(List.of(more));
        return jar(List.of(), args.toArray(String[]::new));
    }

    @Test
    void helpPrintsUsageAndExitsZero() {
        Processes.Result result = jar(List.of(), "--help");
        assertThat(result.exitCode()).as(result.describe()).isZero();
        assertThat(result.stdout()).contains("release --version V", "--archives DIR", "Exit codes");
    }

    @Test
    void anInvalidVersionIsExitTwoWithOneLineOnStderr() {
        Processes.Result result = release("1.0.0-foo", tmp);
        assertThat(result.exitCode()).as(result.describe()).isEqualTo(2);
        assertThat(result.stderr().strip()).doesNotContain("\n").contains("invalid version \"1.0.0-foo\"");
        assertThat(result.stdout()).isEmpty();
        assertThat(tmp.resolve("dist")).doesNotExist();
    }

    @Test
    void aRepeatedOptionIsExitTwoWithOneLineNamingIt() {
        Processes.Result result = jar(List.of(), "release", "--version", "0.3.2", "--version", "0.3.3", "--dry-run");
        assertThat(result.exitCode()).as(result.describe()).isEqualTo(2);
        assertThat(result.stderr().strip()).doesNotContain("\n").contains("--version is given more than once");
        assertThat(result.stdout()).isEmpty();
    }

    // The tag spelling is what people copy from GitHub: it releases 0.3.2 from the sochdb 0.3.2 archives.
    @Test
    void aVersionWrittenAsATagIsTheVersion() {
        Path archives = Fixtures.allPlatformArchives(tmp.resolve("archives"), "0.3.2");
        Processes.Result result = jar(List.of(), Map.of("VERIFY_INSTALL", "off"), "release", "--version", "v0.3.2",
                "--dry-run", "--archives", archives.toString(), "--sdk-source",
                Fixtures.sdkSource(tmp.resolve("sdk")).toString(), "--dist", tmp.resolve("dist").toString());
        assertThat(result.exitCode()).as(result.describe()).isZero();
        assertThat(result.stdout()).startsWith("# sochdb-client 0.3.2 (dry run): succeeded")
                .contains("sochdb_client-0.3.2-py3-none-macosx_10_12_x86_64.whl", "upstream sochdb 0.3.2 (");
    }

    /** The README's "Try it, offline", as a newcomer runs it: the repository's sample archives and sample SDK. */
    @Test
    void theReadmeTryItRunsFromWhatTheRepositoryHolds() throws IOException {
        Path archives = tmp.resolve("try/archives");
        Processes.Result made = Processes.run(List.of("python3", Path.of("sample/make-archives.py").toAbsolutePath().toString(),
                "--version", "0.3.2", "--out", archives.toString()), Map.of(), tmp, TIMEOUT);
        assertThat(made.exitCode()).as(made.describe()).isZero();
        try (Stream<Path> files = Files.list(archives)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder(
                    "sochdb-0.3.2-x86_64-unknown-linux-gnu.tar.gz", "sochdb-0.3.2-aarch64-unknown-linux-gnu.tar.gz",
                    "sochdb-0.3.2-aarch64-apple-darwin.tar.gz", "sochdb-0.3.2-x86_64-apple-darwin.tar.gz",
                    "sochdb-0.3.2-x86_64-pc-windows-msvc.zip");
        }

        Processes.Result result = jar(List.of(), "release", "--version", "0.3.2", "--dry-run", "--archives",
                archives.toString(), "--sdk-source", Path.of("bench/sdk").toAbsolutePath().toString(),
                "--dist", tmp.resolve("try/dist").toString());

        assertThat(result.exitCode()).as(result.describe()).isZero();
        assertThat(result.stdout()).startsWith("# sochdb-client 0.3.2 (dry run): succeeded")
                .doesNotContain("Not attached upstream");
        assertThat(result.stderr()).contains("Leaving out x86_64-unknown-linux-gnu/sochdb-mcp");
        try (Stream<Path> files = Files.list(tmp.resolve("try/dist"))) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("SHA256SUMS",
                    "sochdb_client-0.3.2-py3-none-macosx_10_12_x86_64.whl", "sochdb_client-0.3.2-py3-none-macosx_11_0_arm64.whl",
                    "sochdb_client-0.3.2-py3-none-manylinux_2_17_aarch64.whl",
                    "sochdb_client-0.3.2-py3-none-manylinux_2_17_x86_64.whl", "sochdb_client-0.3.2-py3-none-win_amd64.whl",
                    "sochdb_client-0.3.2.tar.gz", "summary.json", "summary.md");
        }
        Processes.Result sums = Processes.run(List.of("sha256sum", "-c", "SHA256SUMS"), Map.of(), tmp.resolve("try/dist"),
                TIMEOUT);
        assertThat(sums.exitCode()).as(sums.describe()).isZero();
    }

    @Test
    void anUnknownOptionIsExitTwo() {
        Processes.Result result = jar(List.of(), "release", "--version", "0.3.2", "--publish-everything");
        assertThat(result.exitCode()).as(result.describe()).isEqualTo(2);
        assertThat(result.stderr()).contains("--publish-everything");
    }

    @Test
    void anSdkSourceWithoutPyprojectIsExitTwo() throws IOException {
        Path empty = Files.createDirectories(tmp.resolve("empty-sdk"));
        Processes.Result result = jar(List.of(), "release", "--version", "0.3.2", "--dry-run", "--archives",
                tmp.toString(), "--sdk-source", empty.toString(), "--dist", tmp.resolve("dist").toString());
        assertThat(result.exitCode()).as(result.describe()).isEqualTo(2);
        assertThat(result.stderr()).contains("has no pyproject.toml");
    }

    @Test
    void aVersionUpstreamCouldNotHaveIsBlamedOnVersionWithAHint() {
        Processes.Result result = release("1!2.0", tmp);
        assertThat(result.exitCode()).as(result.describe()).isEqualTo(2);
        assertThat(result.stderr().strip()).doesNotContain("\n").doesNotContain("sochdb_version")
                .contains("--version \"1!2.0\" also names the upstream sochdb release", "--sochdb-version");
    }

    @Test
    void aMissingArchiveIsExitOneAndTheSummaryNamesTheStep() throws IOException {
        Path archives = Fixtures.allPlatformArchives(tmp.resolve("archives"), "0.3.2");
        Files.delete(archives.resolve("sochdb-0.3.2-aarch64-apple-darwin.tar.gz"));
        Processes.Result result = release("0.3.2", archives);

        assertThat(result.exitCode()).as(result.describe()).isEqualTo(1);
        assertThat(result.stdout()).contains("Failed at step `resolve`", "sochdb-0.3.2-aarch64-apple-darwin.tar.gz");
        assertThat(result.stderr()).contains("release failed at step resolve");
        assertThat(distFiles()).containsExactlyInAnyOrder("summary.md", "summary.json");
    }

    @Test
    void aCorruptArchiveIsExitOneAndLeavesNoWheel() throws IOException {
        Path archives = Fixtures.allPlatformArchives(tmp.resolve("archives"), "0.3.2");
        Fixtures.corrupt(archives.resolve("sochdb-0.3.2-x86_64-unknown-linux-gnu.tar.gz"));
        Processes.Result result = release("0.3.2", archives);

        assertThat(result.exitCode()).as(result.describe()).isEqualTo(1);
        assertThat(result.stdout()).contains("Failed at step `wheels`",
                "sochdb-0.3.2-x86_64-unknown-linux-gnu.tar.gz is corrupt or truncated");
        assertThat(distFiles()).containsExactlyInAnyOrder("summary.md", "summary.json");
    }

    /**
     * The wheel route streams: an archive several times larger than the heap goes through a JVM whose heap
     * could not hold even one of its files.
     */
    @Test
    void anArchiveLargerThanTheHeapStreamsThrough() throws IOException {
        long payload = 256L * 1024 * 1024;
        Path archives = Fixtures.allPlatformArchives(tmp.resolve("archives"), "0.3.2");
        Fixtures.platformArchive(archives, "0.3.2", "x86_64-unknown-linux-gnu",
                ArchiveOptions.defaults().withPayloadBytes(payload));
        // Above PyPI's default file limit on purpose: streaming is what is tested here.
        Processes.Result result = jar(List.of("-Xmx64m"), Map.of("PYPI_MAX_FILE_SIZE", String.valueOf(1L << 30)),
                "release", "--version", "0.3.2", "--dry-run",
                "--archives", archives.toString(), "--sdk-source", Fixtures.sdkSource(tmp.resolve("sdk")).toString(),
                "--dist", tmp.resolve("dist").toString());

        assertThat(result.exitCode()).as(result.describe()).isZero();
        try (ZipFile wheel = ZipFile.builder()
                .setPath(tmp.resolve("dist/sochdb_client-0.3.2-py3-none-manylinux_2_17_x86_64.whl")).get()) {
            ZipArchiveEntry library = wheel.getEntry("sochdb/lib/x86_64-unknown-linux-gnu/libsochdb_storage.so");
            assertThat(library.getSize()).isGreaterThan(payload);
        }
    }

    private List<String> distFiles() throws IOException {
        try (Stream<Path> files = Files.list(tmp.resolve("dist"))) {
            return files.map(p -> p.getFileName().toString()).toList();
        }
    }
}
