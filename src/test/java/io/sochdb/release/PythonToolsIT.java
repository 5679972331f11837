package io.sochdb.release;

import static io.sochdb.release.fixtures.Processes.cmd;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sochdb.release.fixtures.Fixtures;
import io.sochdb.release.fixtures.Processes;
import io.sochdb.release.fixtures.Processes.Result;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Runs the shaded jar's offline dry run once, then judges its output with the Python tools users and PyPI rely on:
 * Debian's python3 (venv, pip, wheel), twine, sha256sum, zipinfo and tar.
 */
class PythonToolsIT {

    private static final String VERSION = "0.3.2";
    private static final String LINUX = "x86_64-unknown-linux-gnu";
    private static final String MAC = "aarch64-apple-darwin";
    private static final String WINDOWS = "x86_64-pc-windows-msvc";
    private static final String ARM_LINUX = "aarch64-unknown-linux-gnu";
    private static final String INTEL_MAC = "x86_64-apple-darwin";
    private static final String LINUX_WHEEL = "sochdb_client-0.3.2-py3-none-manylinux_2_17_x86_64.whl";
    private static final String MAC_WHEEL = "sochdb_client-0.3.2-py3-none-macosx_11_0_arm64.whl";
    private static final String WINDOWS_WHEEL = "sochdb_client-0.3.2-py3-none-win_amd64.whl";
    private static final String ARM_LINUX_WHEEL = "sochdb_client-0.3.2-py3-none-manylinux_2_17_aarch64.whl";
    private static final String INTEL_MAC_WHEEL = "sochdb_client-0.3.2-py3-none-macosx_10_12_x86_64.whl";
    private static final String SDIST = "sochdb_client-0.3.2.tar.gz";
    private static final List<String> DISTRIBUTIONS = List.of(LINUX_WHEEL, ARM_LINUX_WHEEL, MAC_WHEEL, INTEL_MAC_WHEEL,
        WINDOWS_WHEEL, SDIST);
    private static final Map<String, String> WHEEL_TRIPLES = Map.of(LINUX_WHEEL, LINUX, MAC_WHEEL, MAC, WINDOWS_WHEEL, WINDOWS,
        ARM_LINUX_WHEEL, ARM_LINUX, INTEL_MAC_WHEEL, INTEL_MAC);
    private static final String DIST_INFO = "sochdb_client-0.3.2.dist-info/";
    private static final String PYTHON = "/usr/bin/python3";
    private static final Duration RELEASE_TIMEOUT = Duration.ofMinutes(3);
    private static final Duration TOOL_TIMEOUT = Duration.ofMinutes(2);

    private static Path work;
    private static Path archives;
    private static Path sdk;
    private static Path dist;
    private static Result release;
    private static long releaseEndedAt;

    @BeforeAll
    static void runReleaseOnce() throws IOException {
        work = Files.createTempDirectory(Files.createDirectories(Path.of(System.getProperty("java.io.tmpdir"))), "python-tools-it");
        archives = Fixtures.allPlatformArchives(work.resolve("archives"), VERSION);
        sdk = Fixtures.sdkSource(work.resolve("sdk"));
        dist = work.resolve("dist");
        release = runRelease(dist, work.resolve("run1"), Map.of());
        releaseEndedAt = System.nanoTime();
        assertThat(release.exitCode()).as(release.describe()).isZero();
        for (String name : List.of(LINUX_WHEEL, ARM_LINUX_WHEEL, MAC_WHEEL, INTEL_MAC_WHEEL, WINDOWS_WHEEL, SDIST,
            "SHA256SUMS", "summary.md", "summary.json")) {
            assertThat(dist.resolve(name)).as(name + " in --dist\n" + release.describe()).isRegularFile();
        }
    }

    @AfterAll
    static void cleanUp() throws IOException {
        if (work != null && !Boolean.getBoolean("sochdb.it.keep")) {
            try (Stream<Path> paths = Files.walk(work)) {
                paths.sorted((a, b) -> b.getNameCount() - a.getNameCount()).forEach(p -> p.toFile().delete());
            }
        }
    }

    @Test
    void stdoutIsTheMarkdownSummaryAndDistHoldsNothingElse() throws IOException {
        try (Stream<Path> files = Files.list(dist)) {
            assertThat(files.map(p -> p.getFileName().toString())).as(release.describe()).containsExactlyInAnyOrder(
                LINUX_WHEEL, ARM_LINUX_WHEEL, MAC_WHEEL, INTEL_MAC_WHEEL, WINDOWS_WHEEL, SDIST, "SHA256SUMS", "summary.md",
                "summary.json");
        }
        assertThat(release.stdout().strip()).as(release.describe())
            .isEqualTo(Files.readString(dist.resolve("summary.md")).strip()).contains(DISTRIBUTIONS);
        assertThat(new ObjectMapper().readTree(dist.resolve("summary.json").toFile()).toString()).contains(VERSION);
    }

    @Test
    void sha256sumVerifiesEveryDistribution() {
        Result check = Processes.run(List.of("sha256sum", "-c", "SHA256SUMS"), Map.of(), dist, TOOL_TIMEOUT);
        assertThat(check.ok()).as(check.describe()).isTrue();
        for (String name : DISTRIBUTIONS) {
            assertThat(check.stdout().lines()).as(check.describe()).contains(name + ": OK");
        }
    }

    @Test
    void linuxWheelInstallsIntoAVenvAndItsConsoleScriptsRunTheBundledBinaries() throws IOException {
        Path venv = work.resolve("venv");
        ok(Processes.run(List.of(PYTHON, "-m", "venv", venv.toString()), Processes.pipEnv(), work, TOOL_TIMEOUT));
        String python = venv.resolve("bin/python").toString();
        // --no-compile: any .pyc found below came from the wheel, not from pip.
        ok(pip(python, "install", "--no-deps", "--no-compile", dist.resolve(LINUX_WHEEL).toString()));

        Path pkg;
        try (Stream<Path> found = Files.find(venv.resolve("lib"), 3, (p, a) -> p.endsWith("site-packages/sochdb"))) {
            pkg = found.findFirst().orElseThrow(() -> new AssertionError("no site-packages/sochdb under " + venv));
        }
        List<String> tree = relativeFiles(pkg.getParent()).stream()
            .filter(f -> f.startsWith("sochdb") || f.startsWith("tests/")).toList();
        assertThat(tree).as("installed files").contains("sochdb/memory/agent_memory.py",
                "sochdb/lib/" + LINUX + "/libsochdb_storage.so", "sochdb/lib/" + LINUX + "/libsochdb_index.so")
            .noneMatch(f -> f.startsWith("tests/") || f.endsWith(".pyc") || f.endsWith(".gitkeep"))
            .noneMatch(f -> f.matches("sochdb/(_bin|lib)/.*") && !f.matches("sochdb/(_bin|lib)/" + LINUX + "/.*"));
        // The SDK checkout's stale ELF header must lose to the program from the archive, which names itself.
        assertThat(Files.readString(pkg.resolve("_bin/" + LINUX + "/sochdb-bulk"), StandardCharsets.ISO_8859_1))
            .startsWith("\u007fELF").contains("sochdb-bulk 0.3.2");

        Result probe = ok(Processes.run(List.of(python, "-c", String.join("\n", "import os, sochdb",
            "print(sochdb.__version__)",
            "for n in ('sochdb-bulk', 'sochdb-server', 'sochdb-grpc-server'):",
            "    print(n, os.access(sochdb.bin_path(n), os.X_OK))")), Processes.pipEnv(), work, TOOL_TIMEOUT));
        assertThat(probe.stdout().lines()).as(probe.describe())
            .containsExactly(VERSION, "sochdb-bulk True", "sochdb-server True", "sochdb-grpc-server True");

        Result script = ok(Processes.run(List.of(venv.resolve("bin/sochdb-bulk").toString(), "hello"),
            Processes.pipEnv(), work, TOOL_TIMEOUT));
        assertThat(script.stdout().strip()).as(script.describe()).isEqualTo("sochdb-bulk 0.3.2 hello");

        Result show = ok(pip(python, "show", "sochdb-client"));
        assertThat(show.stdout().lines()).as(show.describe()).contains("Name: sochdb-client", "Version: 0.3.2");
        ok(pip(python, "check"));
    }

    @ParameterizedTest(name = "{0} python {1}")
    @CsvSource({"macosx_11_0_arm64, 3.9, " + MAC_WHEEL + ", aarch64-apple-darwin/sochdb-bulk",
        "macosx_11_0_arm64, 3.13, " + MAC_WHEEL + ", aarch64-apple-darwin/sochdb-bulk",
        "win_amd64, 3.9, " + WINDOWS_WHEEL + ", x86_64-pc-windows-msvc/sochdb-bulk.exe",
        "win_amd64, 3.13, " + WINDOWS_WHEEL + ", x86_64-pc-windows-msvc/sochdb-bulk.exe",
        // Graviton and Intel Macs: the aarch64 wheel for glibc 2.17 and later, the Intel one for macOS 10.12 and later.
        "manylinux_2_17_aarch64, 3.9, " + ARM_LINUX_WHEEL + ", aarch64-unknown-linux-gnu/sochdb-bulk",
        "manylinux_2_17_aarch64, 3.13, " + ARM_LINUX_WHEEL + ", aarch64-unknown-linux-gnu/sochdb-bulk",
        "macosx_10_12_x86_64, 3.9, " + INTEL_MAC_WHEEL + ", x86_64-apple-darwin/sochdb-bulk",
        "macosx_14_0_x86_64, 3.13, " + INTEL_MAC_WHEEL + ", x86_64-apple-darwin/sochdb-bulk"})
    void pipPicksTheWheelForAForeignPlatform(String platform, String pythonVersion, String wheel, String binary)
        throws IOException {
        Path target = work.resolve("target-" + platform + "-" + pythonVersion);
        Result install = ok(pip(PYTHON, "install", "--target", target.toString(), "--no-deps", "--no-compile",
            "--only-binary=:all:", "--platform", platform, "--python-version", pythonVersion,
            "--find-links", dist.toString(), "sochdb-client==" + VERSION));
        assertThat(install.stdout()).as(install.describe()).contains(wheel);
        assertThat(target.resolve("sochdb/_bin/" + binary)).as(install.describe()).isRegularFile();
        String tripleDir = binary.substring(0, binary.indexOf('/') + 1);
        assertThat(relativeFiles(target.resolve("sochdb/_bin"))).as("files under sochdb/_bin")
            .hasSize(binary.endsWith(".exe") ? 2 : 3).allMatch(f -> f.startsWith(tripleDir));
        assertThat(relativeFiles(target.resolve("sochdb/lib"))).as("files under sochdb/lib")
            .isNotEmpty().allMatch(f -> f.startsWith(tripleDir));
    }

    @ParameterizedTest
    @ValueSource(strings = {LINUX_WHEEL, ARM_LINUX_WHEEL, MAC_WHEEL, INTEL_MAC_WHEEL, WINDOWS_WHEEL})
    void wheelUnpackVerifiesRecordAndRecordListsEveryEntry(String wheel) throws IOException {
        ok(Processes.run(List.of(PYTHON, "-m", "wheel", "unpack", "-d", work.resolve("unpacked").toString(),
            dist.resolve(wheel).toString()), Processes.pipEnv(), work, TOOL_TIMEOUT));
        try (ZipFile zip = new ZipFile(dist.resolve(wheel).toFile())) {
            Set<String> entries = new HashSet<>();
            zip.stream().filter(e -> !e.isDirectory()).forEach(e -> entries.add(e.getName()));
            Map<String, String> record = new HashMap<>();
            new String(zip.getInputStream(zip.getEntry(DIST_INFO + "RECORD")).readAllBytes(), StandardCharsets.UTF_8)
                .lines().forEach(line -> record.put(line.substring(0, line.indexOf(',')), line));
            assertThat(record.keySet()).as("RECORD of " + wheel).containsExactlyInAnyOrderElementsOf(entries);
            assertThat(record.get(DIST_INFO + "RECORD")).isEqualTo(DIST_INFO + "RECORD,,");
        }
    }

    @Test
    void wheelsHoldTheSdkPackageOneTriplesBinariesAndDistInfo() throws IOException {
        for (Map.Entry<String, String> w : WHEEL_TRIPLES.entrySet()) {
            try (ZipFile zip = new ZipFile(dist.resolve(w.getKey()).toFile())) {
                List<String> names = zip.stream().map(ZipEntry::getName).toList();
                assertThat(names).as(w.getKey()).contains("sochdb/__init__.py", "sochdb/cli_bulk.py",
                        "sochdb/memory/agent_memory.py", DIST_INFO + "METADATA", DIST_INFO + "WHEEL",
                        DIST_INFO + "RECORD", DIST_INFO + "entry_points.txt")
                    .anyMatch(n -> n.startsWith(DIST_INFO) && n.contains("LICENSE"))
                    .anyMatch(n -> n.startsWith("sochdb/_bin/" + w.getValue() + "/sochdb-bulk"))
                    .anyMatch(n -> n.startsWith("sochdb/lib/" + w.getValue() + "/") && n.contains("sochdb_storage."))
                    .noneMatch(n -> n.startsWith("tests/") || n.endsWith(".pyc") || n.endsWith(".gitkeep"))
                    .noneMatch(n -> n.matches("sochdb/(_bin|lib)/.*") && !n.matches("sochdb/(_bin|lib)/" + w.getValue() + "/.*"));
                String wheelFile = text(zip, DIST_INFO + "WHEEL");
                String tag = w.getKey().substring("sochdb_client-0.3.2-".length(), w.getKey().length() - 4);
                assertThat(wheelFile.lines()).as(wheelFile).contains("Tag: " + tag, "Root-Is-Purelib: false");
                assertThat(text(zip, DIST_INFO + "METADATA").lines()).contains("Name: sochdb-client", "Version: 0.3.2");
                assertThat(text(zip, DIST_INFO + "entry_points.txt"))
                    .contains("sochdb-bulk = sochdb.cli_bulk:main", "sochdb-grpc-server = sochdb.cli_grpc:main");
                assertThat(text(zip, "sochdb/__init__.py")).contains("__version__ = \"0.3.2\"");
            }
        }
    }

    @Test
    void twineCheckStrictPassesEveryDistribution() {
        List<String> command = cmd(List.of("/usr/bin/twine", "--no-color", "check", "--strict"),
            DISTRIBUTIONS.stream().map(n -> dist.resolve(n).toString()).toArray(String[]::new));
        Result check = ok(Processes.run(command, Map.of("COLUMNS", "250"), work, TOOL_TIMEOUT));
        assertThat(check.stdout().split("PASSED", -1)).as(check.describe()).hasSize(DISTRIBUTIONS.size() + 1);
        assertThat(check.stdout() + check.stderr()).as(check.describe()).doesNotContain("WARNING", "ERROR");
    }

    @ParameterizedTest
    @ValueSource(strings = {LINUX_WHEEL, ARM_LINUX_WHEEL, MAC_WHEEL, INTEL_MAC_WHEEL, WINDOWS_WHEEL})
    void zipinfoShowsNoDataDescriptorsUnixModesAndDistInfoLast(String wheel) {
        String path = dist.resolve(wheel).toString();
        Result verbose = ok(Processes.run(TOOL_TIMEOUT, "unzip", "-Z", "-v", path));
        List<String> headers = verbose.stdout().lines().filter(l -> l.contains("extended local header:")).toList();
        List<String> order = ok(Processes.run(TOOL_TIMEOUT, "unzip", "-Z1", path)).stdout().lines().toList();
        assertThat(headers).as(verbose.describe()).hasSameSizeAs(order).allMatch(l -> l.strip().endsWith("no"));
        int firstDistInfo = order.indexOf(order.stream().filter(n -> n.startsWith(DIST_INFO)).findFirst().orElseThrow());
        assertThat(order.subList(firstDistInfo, order.size())).as("central directory order").allMatch(n -> n.startsWith(DIST_INFO));

        Result brief = ok(Processes.run(TOOL_TIMEOUT, "unzip", "-Z", path));
        for (String line : brief.stdout().lines().filter(l -> l.contains(" sochdb/_bin/") || l.contains(" sochdb/lib/")).toList()) {
            String expected = line.contains(" sochdb/_bin/") ? "-rwxr-xr-x" : "-rw-r--r--";
            assertThat(line).as(brief.describe()).startsWith(expected).contains(" unx ");
        }
    }

    @Test
    void sdistHasOneTopFolderWithSourcesAndNoBinariesOrJunk() {
        Path sdist = dist.resolve(SDIST);
        Result listing = ok(Processes.run(TOOL_TIMEOUT, "tar", "-tzvf", sdist.toString()));
        // tar -v columns: mode, owner/group, size, date, time, name
        List<String> names = listing.stdout().lines().map(l -> l.split("\\s+", 6)[5]).toList();
        String top = "sochdb_client-0.3.2/";
        assertThat(names).as(listing.describe()).allMatch(n -> n.startsWith(top) || n.equals(top.substring(0, top.length() - 1)))
            .contains(top + "PKG-INFO", top + "pyproject.toml", top + "README.md", top + "LICENSE", top + "src/sochdb/__init__.py")
            .noneMatch(n -> n.contains("/_bin/") || n.matches(".*\\.(so|dylib|dll|exe|pyc)$") || n.contains("/tests/"));
        Result pyproject = ok(Processes.run(TOOL_TIMEOUT, "tar", "-xzOf", sdist.toString(), top + "pyproject.toml"));
        assertThat(pyproject.stdout()).contains("version = \"0.3.2\"").doesNotContain("0.0.1");
        Result pkgInfo = ok(Processes.run(TOOL_TIMEOUT, "tar", "-xzOf", sdist.toString(), top + "PKG-INFO"));
        assertThat(pkgInfo.stdout().lines()).contains("Name: sochdb-client", "Version: 0.3.2");
    }

    @Test
    void secondRunGivesByteIdenticalDistributions() throws Exception {
        // Zip times have 2-second steps: let the clock move past one so a time-stamped build would differ.
        long waitMs = 2100 - (System.nanoTime() - releaseEndedAt) / 1_000_000;
        if (waitMs > 0) {
            Thread.sleep(waitMs);
        }
        Path dist2 = work.resolve("dist2");
        // Another zone too: zip entry times are local times, and CI's zone need not be the developer's.
        Result again = runRelease(dist2, work.resolve("run2"), Map.of("TZ", "Pacific/Auckland"));
        assertThat(again.exitCode()).as(again.describe()).isZero();
        for (String name : DISTRIBUTIONS) {
            assertThat(sha256(dist2.resolve(name))).as(name + " of the second run").isEqualTo(sha256(dist.resolve(name)));
        }
        assertThat(Files.readString(dist2.resolve("SHA256SUMS"))).isEqualTo(Files.readString(dist.resolve("SHA256SUMS")));
    }

    private static Result runRelease(Path distDir, Path runDir, Map<String, String> extraEnv) throws IOException {
        String jar = System.getProperty("release.jar");
        assertThat(jar).as("system property release.jar (set by failsafe)").isNotBlank();
        assertThat(Path.of(jar)).as("the shaded jar; run `mvn verify`").isRegularFile();
        Files.createDirectories(runDir);
        Map<String, String> env = new HashMap<>();
        // Nothing from this machine may turn the offline dry run into something else.
        for (String name : List.of("GITHUB_TOKEN", "PYPI_TOKEN", "WEBHOOK_SECRET", "RELEASE_TRIGGER_TOKEN",
            "SOCHDB_POLL_INTERVAL", "STATE_DB_URL", "DIST_DIR", "SOURCE_DATE_EPOCH")) {
            env.put(name, null);
        }
        env.putAll(extraEnv);
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", jar,
            "release", "--version", VERSION, "--dry-run", "--archives", archives.toString(),
            "--sdk-source", sdk.toString(), "--dist", distDir.toString());
        return Processes.run(command, env, runDir, RELEASE_TIMEOUT, runDir.resolve("stdout.txt"), runDir.resolve("stderr.txt"));
    }

    private static Result pip(String python, String... args) {
        List<String> command = new ArrayList<>(List.of(python, "-m", "pip", "--isolated", args[0]));
        if (args[0].equals("install")) {
            // --isolated drops PIP_NO_INDEX, so offline-ness is said on the command line.
            command.addAll(List.of("--no-index", "--root-user-action=ignore"));
        }
        command.addAll(Arrays.asList(args).subList(1, args.length));
        return Processes.run(command, Processes.pipEnv(), work, TOOL_TIMEOUT);
    }

    private static Result ok(Result result) {
        assertThat(result.ok()).as(result.describe()).isTrue();
        return result;
    }

    private static List<String> relativeFiles(Path root) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(Files::isRegularFile).map(p -> root.relativize(p).toString()).sorted().toList();
        }
    }

    private static String text(ZipFile zip, String name) throws IOException {
        ZipEntry entry = zip.getEntry(name);
        assertThat(entry).as(name + " in " + zip.getName()).isNotNull();
        return new String(zip.getInputStream(entry).readAllBytes(), StandardCharsets.UTF_8);
    }

    private static String sha256(Path file) throws Exception {
        return java.util.HexFormat.of().formatHex(
            java.security.MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }
}
