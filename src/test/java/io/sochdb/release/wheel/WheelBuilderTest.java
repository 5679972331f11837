package io.sochdb.release.wheel;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import io.sochdb.release.archive.ArchiveLimits;
import io.sochdb.release.archive.ArchiveReader;
import io.sochdb.release.fixtures.ArchiveOptions;
import io.sochdb.release.fixtures.Fixtures;
import io.sochdb.release.fixtures.UpstreamPlatforms;
import io.sochdb.release.packaging.SourceDate;
import io.sochdb.release.packaging.Version;
import io.sochdb.release.platform.Platform;
import io.sochdb.release.run.BuildContext;
import io.sochdb.release.run.WheelJob;
import io.sochdb.release.run.WheelOutcome;
import io.sochdb.release.sdk.SdkProject;

/** What a wheel holds; {@link WheelBuilderRobustnessTest} covers failures, reproducibility and size. */
class WheelBuilderTest {

    static final String VERSION = "0.3.2";
    static final String DIST_INFO = "sochdb_client-0.3.2.dist-info/";
    static final List<String> UNIX_EXES = List.of("sochdb-bulk", "sochdb-server", "sochdb-grpc-server");
    static final Platform LINUX = new Platform("x86_64-unknown-linux-gnu", "manylinux_2_17_x86_64",
        "sochdb-{version}-{triple}.tar.gz", UNIX_EXES, List.of("libsochdb_storage.so", "libsochdb_index.so"));
    static final Platform MAC = new Platform("aarch64-apple-darwin", "macosx_11_0_arm64",
        "sochdb-{version}-{triple}.tar.gz", UNIX_EXES, List.of("libsochdb_storage.dylib", "libsochdb_index.dylib"));
    static final Platform WINDOWS = UpstreamPlatforms.WINDOWS_X86_64;
    static final ArchiveLimits LIMITS = new ArchiveLimits(1L << 30, 3L << 30, 10_000);

    @TempDir
    Path tmp;

    static Stream<Platform> platforms() {
        return Stream.of(LINUX, MAC, WINDOWS);
    }

    @Test
    void linuxWheelHoldsPackageFilesThenBinariesThenDistInfoWithRecordLast() throws IOException {
        WheelOutcome outcome = build(tmp, LINUX, ArchiveOptions.defaults(), new SourceDate(SourceDate.DEFAULT));
        Path file = tmp.resolve("staging/sochdb_client-0.3.2-py3-none-manylinux_2_17_x86_64.whl");
        assertThat(outcome.wheel().path()).isEqualTo(file);
        assertThat(outcome.wheel().size()).isEqualTo(Files.size(file));
        assertThat(outcome.wheel().sha256()).isEqualTo(HexFormat.of().formatHex(sha256(Files.readAllBytes(file))));
        String bin = "sochdb/_bin/" + LINUX.triple() + "/";
        String lib = "sochdb/lib/" + LINUX.triple() + "/";
        List<String> binaries = List.of(bin + "sochdb-bulk", bin + "sochdb-server", bin + "sochdb-grpc-server",
            lib + "libsochdb_storage.so", lib + "libsochdb_index.so");
        assertThat(outcome.binaries()).containsExactlyElementsOf(binaries);
        assertThat(outcome.leftOut()).containsExactly(LINUX.triple() + "/sochdb-mcp");

        List<String> names = names(file);
        List<String> expected = new ArrayList<>(List.of("sochdb/__init__.py", "sochdb/cli_bulk.py", "sochdb/cli_grpc.py",
            "sochdb/cli_server.py", "sochdb/database.py", "sochdb/memory/__init__.py", "sochdb/memory/agent_memory.py"));
        expected.addAll(binaries);
        expected.addAll(List.of(DIST_INFO + "METADATA", DIST_INFO + "WHEEL", DIST_INFO + "entry_points.txt",
            DIST_INFO + "LICENSE", DIST_INFO + "RECORD"));
        assertThat(names).containsExactlyInAnyOrderElementsOf(expected);
        int firstDistInfo = indexOfFirst(names, DIST_INFO);
        assertThat(names.subList(firstDistInfo, names.size())).allMatch(n -> n.startsWith(DIST_INFO));
        assertThat(names.get(names.size() - 1)).isEqualTo(DIST_INFO + "RECORD");
        assertThat(names).noneMatch(n -> n.contains("mcp"));
    }

    @ParameterizedTest
    @MethodSource("platforms")
    void binariesArriveUnchangedWithExecutableModesAndWheelTagAgreesWithFileName(Platform platform) throws IOException {
        WheelOutcome outcome = build(tmp, platform, ArchiveOptions.defaults(), new SourceDate(SourceDate.DEFAULT));
        String tag = platform.tag();
        assertThat(outcome.wheel().name()).isEqualTo("sochdb_client-0.3.2-py3-none-" + tag + ".whl");
        Map<String, byte[]> upstream = archiveFiles(tmp.resolve("upstream").resolve(platform.archiveName(VERSION)));
        try (ZipFile zip = ZipFile.builder().setPath(outcome.wheel().path()).get()) {
            for (String exe : platform.executables()) {
                ZipArchiveEntry e = zip.getEntry("sochdb/_bin/" + platform.triple() + "/" + exe);
                assertThat(e).as(exe).isNotNull();
                // Upstream drops the x bit (tar 0644, zip without unix mode); the wheel must restore it.
                assertThat(e.getPlatform()).isEqualTo(ZipArchiveEntry.PLATFORM_UNIX);
                assertThat(e.getUnixMode()).as(exe).isEqualTo(0100755);
                assertThat(bytes(zip, e)).isEqualTo(upstream.get(platform.triple() + "/" + exe));
            }
            for (String lib : platform.libraries()) {
                ZipArchiveEntry e = zip.getEntry("sochdb/lib/" + platform.triple() + "/" + lib);
                assertThat(e).as(lib).isNotNull();
                assertThat(e.getUnixMode()).as(lib).isEqualTo(0100644);
                assertThat(bytes(zip, e)).isEqualTo(upstream.get(platform.triple() + "/" + lib));
            }
            assertThat(zip.getEntry("sochdb/database.py").getUnixMode()).isEqualTo(0100644);
            assertThat(Collections.list(zip.getEntries())).map(ZipArchiveEntry::getName)
                .filteredOn(n -> n.startsWith("sochdb/_bin/") || n.startsWith("sochdb/lib/"))
                .allMatch(n -> n.startsWith("sochdb/_bin/" + platform.triple() + "/")
                    || n.startsWith("sochdb/lib/" + platform.triple() + "/"));
            assertThat(text(zip, DIST_INFO + "WHEEL")).isEqualTo("Wheel-Version: 1.0\nGenerator: test-gen\n"
                + "Root-Is-Purelib: false\nTag: py3-none-" + tag + "\n");
        }
    }

    @Test
    void developerLeftoversInTheSdkTreeNeverShip() throws IOException {
        WheelOutcome outcome = build(tmp, LINUX, ArchiveOptions.defaults(), new SourceDate(SourceDate.DEFAULT));
        List<String> names = names(outcome.wheel().path());
        assertThat(names).noneMatch(n -> n.startsWith("tests/") || n.contains("/tests/") || n.contains("__pycache__")
            || n.endsWith(".pyc") || n.endsWith(".gitkeep"));
        try (ZipFile zip = ZipFile.builder().setPath(outcome.wheel().path()).get()) {
            // The SDK tree holds a stale bare ELF header as sochdb-bulk; the wheel must carry upstream's program instead.
            String bulk = text(zip, "sochdb/_bin/" + LINUX.triple() + "/sochdb-bulk");
            assertThat(bulk).startsWith("\u007fELF").contains("sochdb-bulk " + VERSION);
        }
    }

    @Test
    void packageVersionIsStampedAndMetadataDescribesTheProject() throws IOException {
        WheelOutcome outcome = build(tmp, MAC, ArchiveOptions.defaults(), new SourceDate(SourceDate.DEFAULT));
        try (ZipFile zip = ZipFile.builder().setPath(outcome.wheel().path()).get()) {
            String init = text(zip, "sochdb/__init__.py");
            assertThat(init).contains("\n__version__ = \"0.3.2\"\n").doesNotContain("0.0.1");
            assertThat(text(zip, "sochdb/database.py"))
                .isEqualTo(Files.readString(tmp.resolve("sdk/src/sochdb/database.py")));

            String metadata = text(zip, DIST_INFO + "METADATA");
            String[] parts = metadata.split("\n\n", 2);
            assertThat(parts[0].lines()).startsWith("Metadata-Version: 2.1", "Name: sochdb-client", "Version: 0.3.2")
                .contains("Requires-Python: >=3.9", "Provides-Extra: analytics",
                    "Requires-Dist: posthog>=3.0.0; extra == \"analytics\"",
                    "Classifier: Development Status :: 4 - Beta", "Classifier: Topic :: Database",
                    "Project-URL: Homepage, https://sochdb.dev",
                    "Project-URL: Repository, https://github.com/sochdb/sochdb-python-sdk",
                    "Project-URL: Bug Tracker, https://github.com/sochdb/sochdb-python-sdk/issues",
                    "Description-Content-Type: text/markdown")
                .noneMatch(l -> l.startsWith("Requires-Dist:") && !l.contains("extra =="));
            assertThat(parts[1]).isEqualTo(Files.readString(tmp.resolve("sdk/README.md")));

            assertThat(text(zip, DIST_INFO + "entry_points.txt")).isEqualTo("[console_scripts]\n"
                + "sochdb-bulk = sochdb.cli_bulk:main\nsochdb-server = sochdb.cli_server:main\n"
                + "sochdb-grpc-server = sochdb.cli_grpc:main\n");
            assertThat(text(zip, DIST_INFO + "LICENSE")).isEqualTo(Files.readString(tmp.resolve("sdk/LICENSE")));
        }
    }

    @ParameterizedTest
    @MethodSource("platforms")
    void recordListsEveryOtherEntryWithItsSha256AndSize(Platform platform) throws IOException {
        WheelOutcome outcome = build(tmp, platform, ArchiveOptions.defaults(), new SourceDate(SourceDate.DEFAULT));
        try (ZipFile zip = ZipFile.builder().setPath(outcome.wheel().path()).get()) {
            Map<String, String> expected = new LinkedHashMap<>();
            for (ZipArchiveEntry e : Collections.list(zip.getEntriesInPhysicalOrder())) {
                byte[] content = bytes(zip, e);
                assertThat((long) content.length).as("size of " + e.getName()).isEqualTo(e.getSize());
                String hash = Base64.getUrlEncoder().withoutPadding().encodeToString(sha256(content));
                expected.put(e.getName(), e.getName().equals(DIST_INFO + "RECORD")
                    ? DIST_INFO + "RECORD,," : e.getName() + ",sha256=" + hash + "," + content.length);
            }
            List<String> record = text(zip, DIST_INFO + "RECORD").lines().toList();
            assertThat(record).containsExactlyInAnyOrderElementsOf(expected.values());
            // urlsafe base64 of 32 bytes without its one padding character is 43 characters.
            assertThat(record.subList(0, record.size() - 1))
                .allMatch(l -> l.matches("[^,]+,sha256=[A-Za-z0-9_-]{43},[0-9]+"));
            assertThat(record.get(record.size() - 1)).isEqualTo(DIST_INFO + "RECORD,,");
        }
    }

    @Test
    void zipHasSizesInLocalHeadersNoExtrasNoCommentsAndOneTimestamp() throws IOException {
        WheelOutcome outcome = build(tmp, WINDOWS, ArchiveOptions.defaults(), new SourceDate(SourceDate.DEFAULT));
        // 1980-01-01 00:00:00 in DOS fields: date (0 << 9 | 1 << 5 | 1), time 0.
        assertRawZip(outcome.wheel().path(), 0x21, 0);
    }

    @Test
    void binariesAtTheArchiveTopLevelAreFoundToo() throws IOException {
        for (Platform platform : List.of(LINUX, WINDOWS)) {
            Path work = tmp.resolve(platform.tag());
            WheelOutcome outcome = build(work, platform, ArchiveOptions.defaults().withTopLevel(true),
                new SourceDate(SourceDate.DEFAULT));
            List<String> expected = new ArrayList<>();
            platform.executables().forEach(f -> expected.add("sochdb/_bin/" + platform.triple() + "/" + f));
            platform.libraries().forEach(f -> expected.add("sochdb/lib/" + platform.triple() + "/" + f));
            assertThat(outcome.binaries()).containsExactlyInAnyOrderElementsOf(expected);
            assertThat(names(outcome.wheel().path())).containsAll(expected);
        }
    }

    @Test
    void theWheelCarriesTheReleaseVersionAndTheBundledEngineVersion() throws IOException {
        Fixtures.sdkSource(tmp.resolve("sdk"));
        Path archive = Fixtures.platformArchive(tmp.resolve("upstream"), "1.0.0-rc1", LINUX.triple(), ArchiveOptions.defaults());
        BuildContext build = new BuildContext(Version.parse("1.0.1"), "1.0.0-rc1", SdkProject.load(tmp.resolve("sdk"), "sochdb"),
            Files.createDirectories(tmp.resolve("staging")), new SourceDate(SourceDate.DEFAULT));
        WheelOutcome outcome = builder(LIMITS).build(new WheelJob(LINUX, archive, build));

        try (ZipFile zip = ZipFile.builder().setPath(outcome.wheel().path()).get()) {
            String init = new String(bytes(zip, zip.getEntry("sochdb/__init__.py")), StandardCharsets.UTF_8);
            assertThat(init).contains("__version__ = \"1.0.1\"", "__core_version__ = \"1.0.0-rc1\"");
        }
    }

    // --- shared with WheelBuilderRobustnessTest ---

    static WheelBuilder builder(ArchiveLimits limits) {
        return new WheelBuilder(new ArchiveReader(limits), "sochdb", "test-gen", 6);
    }

    /** SDK in work/sdk, archive in work/upstream, wheel in work/staging. */
    static WheelOutcome build(Path work, Platform platform, ArchiveOptions options, SourceDate date) throws IOException {
        Path archive = Fixtures.platformArchive(work.resolve("upstream"), VERSION, platform.triple(), options);
        return builder(LIMITS).build(new WheelJob(platform, archive, context(work, date)));
    }

    static BuildContext context(Path work, SourceDate date) throws IOException {
        Path sdk = work.resolve("sdk");
        if (!Files.exists(sdk)) {
            Fixtures.sdkSource(sdk);
        }
        Path staging = Files.createDirectories(work.resolve("staging"));
        return new BuildContext(Version.parse(VERSION), VERSION, SdkProject.load(sdk, "sochdb"), staging, date);
    }

    static List<String> names(Path wheel) throws IOException {
        try (ZipFile zip = ZipFile.builder().setPath(wheel).get()) {
            return Collections.list(zip.getEntriesInPhysicalOrder()).stream().map(ZipArchiveEntry::getName).toList();
        }
    }

    static byte[] bytes(ZipFile zip, ZipArchiveEntry entry) throws IOException {
        try (var in = zip.getInputStream(entry)) {
            return in.readAllBytes();
        }
    }

    static String text(ZipFile zip, String name) throws IOException {
        ZipArchiveEntry entry = zip.getEntry(name);
        assertThat(entry).as(name).isNotNull();
        return new String(bytes(zip, entry), StandardCharsets.UTF_8);
    }

    static byte[] sha256(byte[] content) {
        return sha256Digest().digest(content);
    }

    static MessageDigest sha256Digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Upstream's files, read with Commons Compress directly rather than through the code under test. */
    static Map<String, byte[]> archiveFiles(Path archive) throws IOException {
        Map<String, byte[]> files = new LinkedHashMap<>();
        if (archive.toString().endsWith(".zip")) {
            try (ZipFile zip = ZipFile.builder().setPath(archive).get()) {
                for (ZipArchiveEntry e : Collections.list(zip.getEntries())) {
                    files.put(e.getName(), bytes(zip, e));
                }
            }
            return files;
        }
        try (var tar = new org.apache.commons.compress.archivers.tar.TarArchiveInputStream(
            new org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream(Files.newInputStream(archive)))) {
            for (var e = tar.getNextEntry(); e != null; e = tar.getNextEntry()) {
                files.put(e.getName(), tar.readAllBytes());
            }
        }
        return files;
    }

    /**
     * PyPI rejects data descriptors and ZIP64 extras, and reproducibility needs fixed times, so the local headers
     * themselves are checked, not only what ZipFile reports from the central directory.
     */
    static void assertRawZip(Path wheel, int dosDate, int dosTime) throws IOException {
        ByteBuffer raw = ByteBuffer.wrap(Files.readAllBytes(wheel)).order(ByteOrder.LITTLE_ENDIAN);
        int end = raw.capacity() - 22;
        assertThat(raw.getInt(end)).as("end of central directory without an archive comment").isEqualTo(0x06054b50);
        try (ZipFile zip = ZipFile.builder().setPath(wheel).get()) {
            for (ZipArchiveEntry e : Collections.list(zip.getEntriesInPhysicalOrder())) {
                String n = e.getName();
                assertThat(e.getGeneralPurposeBit().usesDataDescriptor()).as(n).isFalse();
                assertThat(e.getExtraFields(true)).as(n).isEmpty();
                assertThat(e.getCentralDirectoryExtra()).as(n).isEmpty();
                assertThat(e.getComment()).as(n).isNullOrEmpty();
                int at = (int) e.getLocalHeaderOffset();
                assertThat(raw.getInt(at)).as(n).isEqualTo(0x04034b50);
                assertThat(raw.getShort(at + 6) & 0x08).as(n + " local bit 3").isZero();
                assertThat(raw.getShort(at + 10) & 0xffff).as(n + " DOS time").isEqualTo(dosTime);
                assertThat(raw.getShort(at + 12) & 0xffff).as(n + " DOS date").isEqualTo(dosDate);
                assertThat(raw.getInt(at + 14) & 0xffffffffL).as(n + " local crc").isEqualTo(e.getCrc());
                assertThat(raw.getInt(at + 18) & 0xffffffffL).as(n + " local csize").isEqualTo(e.getCompressedSize());
                assertThat(raw.getInt(at + 22) & 0xffffffffL).as(n + " local size").isEqualTo(e.getSize());
                assertThat(raw.getShort(at + 28)).as(n + " local extra length").isZero();
            }
        }
    }

    private static int indexOfFirst(List<String> names, String prefix) {
        for (int i = 0; i < names.size(); i++) {
            if (names.get(i).startsWith(prefix)) {
                return i;
            }
        }
        return -1;
    }
}
