package io.sochdb.release.sdist;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.sochdb.release.fixtures.Fixtures;
import io.sochdb.release.packaging.SourceDate;
import io.sochdb.release.packaging.Version;
import io.sochdb.release.run.Artifact;
import io.sochdb.release.run.BuildContext;
import io.sochdb.release.sdk.SdkProject;

class SdistBuilderTest {

    private static final String VERSION = "0.3.2";
    private static final String TOP = "sochdb_client-0.3.2/";
    private static final SourceDate DEFAULT_DATE = new SourceDate(SourceDate.DEFAULT);

    @TempDir
    Path tmp;

    private record Entry(TarArchiveEntry header, byte[] content) {
        String text() {
            return new String(content, StandardCharsets.UTF_8);
        }
    }

    @Test
    void holdsMetadataBuildFilesAndPythonSourcesUnderOneTopFolder() throws IOException {
        Artifact artifact = build(tmp.resolve("a"), DEFAULT_DATE);
        Path file = tmp.resolve("a/staging/sochdb_client-0.3.2.tar.gz");
        assertThat(artifact.name()).isEqualTo("sochdb_client-0.3.2.tar.gz");
        assertThat(artifact.kind()).isEqualTo("sdist");
        assertThat(artifact.path()).isEqualTo(file);
        assertThat(artifact.size()).isEqualTo(Files.size(file));
        assertThat(artifact.sha256()).isEqualTo(sha256Hex(Files.readAllBytes(file)));
        try (Stream<Path> staged = Files.list(tmp.resolve("a/staging"))) {
            assertThat(staged.map(p -> p.getFileName().toString())).containsExactly("sochdb_client-0.3.2.tar.gz");
        }

        Map<String, Entry> entries = read(file);
        assertThat(entries.keySet()).allMatch(n -> n.startsWith(TOP)).containsExactlyInAnyOrder(
            TOP + "PKG-INFO", TOP + "pyproject.toml", TOP + "README.md", TOP + "LICENSE",
            TOP + "src/sochdb/__init__.py", TOP + "src/sochdb/cli_bulk.py", TOP + "src/sochdb/cli_grpc.py",
            TOP + "src/sochdb/cli_server.py", TOP + "src/sochdb/database.py", TOP + "src/sochdb/memory/__init__.py",
            TOP + "src/sochdb/memory/agent_memory.py");

        Path sdk = tmp.resolve("a/sdk");
        assertThat(entries.get(TOP + "PKG-INFO").text().lines())
            .startsWith("Metadata-Version: 2.1", "Name: sochdb-client", "Version: 0.3.2")
            .contains("Requires-Python: >=3.9", "Description-Content-Type: text/markdown");
        assertThat(entries.get(TOP + "README.md").content()).isEqualTo(Files.readAllBytes(sdk.resolve("README.md")));
        assertThat(entries.get(TOP + "LICENSE").content()).isEqualTo(Files.readAllBytes(sdk.resolve("LICENSE")));
        assertThat(entries.get(TOP + "src/sochdb/database.py").content())
            .isEqualTo(Files.readAllBytes(sdk.resolve("src/sochdb/database.py")));
        String init = Files.readString(sdk.resolve("src/sochdb/__init__.py"));
        assertThat(entries.get(TOP + "src/sochdb/__init__.py").text())
            .isEqualTo(init.replace("__version__ = \"0.0.1\"", "__version__ = \"0.3.2\"")
                .replace("__core_version__ = \"0.0.0\"", "__core_version__ = \"0.3.2\""))
            .isNotEqualTo(init);
    }

    @Test
    void pyprojectGetsTheReleaseVersionInProjectOnlyAndIsOtherwiseUnchanged() throws IOException {
        Path work = tmp.resolve("w");
        Path pyproject = Fixtures.sdkSource(work.resolve("sdk")).resolve("pyproject.toml");
        // Another table's version key, before and after [project], must survive untouched.
        String original = "[tool.bumpversion]\nversion = \"7.7.7\"\n\n" + Files.readString(pyproject)
            + "\n[tool.other]\nversion = \"8.8.8\"\n";
        Files.writeString(pyproject, original);
        String shipped = read(build(work, DEFAULT_DATE).path()).get(TOP + "pyproject.toml").text();
        assertThat(shipped).isEqualTo(original.replace("version = \"0.0.1\"", "version = \"0.3.2\""));
        assertThat(shipped).contains("version = \"7.7.7\"", "version = \"8.8.8\"").doesNotContain("0.0.1");
    }

    @Test
    void neverHoldsBinariesCompiledFilesOrTests() throws IOException {
        Path sdk = Fixtures.sdkSource(tmp.resolve("w/sdk"));
        // Leftovers of a local build in folders the release does not own, with and without telling names.
        byte[] elf = {0x7f, 'E', 'L', 'F', 2, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0};
        Files.createDirectories(sdk.resolve("src/sochdb/native"));
        Files.write(sdk.resolve("src/sochdb/native/libfast.so"), elf);
        Files.write(sdk.resolve("src/sochdb/native/helper"), elf);
        Files.write(sdk.resolve("src/sochdb/native/fast.dll"), new byte[] {'M', 'Z', (byte) 0x90, 0});
        Files.write(sdk.resolve("src/sochdb/native/tool.exe"), new byte[] {'M', 'Z', (byte) 0x90, 0});
        Files.write(sdk.resolve("src/sochdb/native/libfast.dylib"), new byte[] {(byte) 0xcf, (byte) 0xfa, (byte) 0xed, (byte) 0xfe});
        Files.writeString(sdk.resolve("src/sochdb/native/__init__.py"), "");

        Map<String, Entry> entries = read(build(tmp.resolve("w"), DEFAULT_DATE).path());
        assertThat(entries).containsKey(TOP + "src/sochdb/native/__init__.py");
        assertThat(entries.keySet()).noneMatch(n -> n.contains("/_bin/") || n.contains("/lib/") || n.contains("tests/")
            || n.contains("__pycache__") || n.endsWith(".pyc") || n.endsWith(".so") || n.endsWith(".dylib")
            || n.endsWith(".dll") || n.endsWith(".exe") || n.endsWith("/helper") || n.endsWith(".gitkeep"));
        assertThat(entries.values()).noneMatch(e -> e.content().length >= 4 && e.content()[0] == 0x7f
            && e.content()[1] == 'E' && e.content()[2] == 'L' && e.content()[3] == 'F');
    }

    @Test
    void entriesAreRegularFilesOwnedByRootWithOneModeAndOneTime() throws IOException {
        SourceDate date = new SourceDate(1_700_000_000L);
        Map<String, Entry> entries = read(build(tmp.resolve("w"), date).path());
        assertThat(entries).isNotEmpty();
        for (Entry e : entries.values()) {
            TarArchiveEntry h = e.header();
            String n = h.getName();
            assertThat(h.isFile()).as(n).isTrue();
            assertThat(h.getMode()).as(n).isEqualTo(0100644);
            assertThat(h.getLongUserId()).as(n).isZero();
            assertThat(h.getLongGroupId()).as(n).isZero();
            assertThat(h.getUserName()).as(n).isEmpty();
            assertThat(h.getGroupName()).as(n).isEmpty();
            assertThat(h.getModTime().toInstant()).as(n).isEqualTo(Instant.ofEpochSecond(1_700_000_000L));
            assertThat(h.getSize()).as(n).isEqualTo(e.content().length);
        }
    }

    @Test
    void gzipHeaderHasNoTimeAndNoFileName() throws IOException {
        byte[] raw = Files.readAllBytes(build(tmp.resolve("w"), new SourceDate(1_700_000_000L)).path());
        assertThat(raw[0] & 0xff).isEqualTo(0x1f);
        assertThat(raw[1] & 0xff).isEqualTo(0x8b);
        assertThat(raw[3] & 0x08).as("FNAME flag").isZero();
        assertThat(raw[3] & 0x10).as("FCOMMENT flag").isZero();
        assertThat(new byte[] {raw[4], raw[5], raw[6], raw[7]}).as("MTIME").containsOnly(0);
    }

    @Test
    void equalInputsGiveByteIdenticalSdistsWhileTheSourceDateShowsInTheBytes() throws IOException {
        // Separate SDK copies written at different moments: file times and paths must not leak in.
        Path first = build(tmp.resolve("one"), DEFAULT_DATE).path();
        Path second = build(tmp.resolve("second-copy"), DEFAULT_DATE).path();
        assertThat(Files.mismatch(first, second)).isEqualTo(-1L);
        Path later = build(tmp.resolve("later"), new SourceDate(1_700_000_000L)).path();
        Path laterAgain = build(tmp.resolve("later-again"), new SourceDate(1_700_000_000L)).path();
        assertThat(Files.mismatch(first, later)).isNotEqualTo(-1L);
        assertThat(Files.mismatch(later, laterAgain)).isEqualTo(-1L);
    }

    /** SDK in work/sdk (written unless present), sdist in work/staging. */
    private static Artifact build(Path work, SourceDate date) throws IOException {
        Path sdk = work.resolve("sdk");
        if (!Files.exists(sdk)) {
            Fixtures.sdkSource(sdk);
        }
        Path staging = Files.createDirectories(work.resolve("staging"));
        BuildContext context = new BuildContext(Version.parse(VERSION), VERSION, SdkProject.load(sdk, "sochdb"),
            staging, date);
        return new SdistBuilder().build(context);
    }

    private static Map<String, Entry> read(Path sdist) throws IOException {
        Map<String, Entry> entries = new LinkedHashMap<>();
        try (TarArchiveInputStream tar = new TarArchiveInputStream(
            new GzipCompressorInputStream(Files.newInputStream(sdist)))) {
            for (TarArchiveEntry e = tar.getNextEntry(); e != null; e = tar.getNextEntry()) {
                assertThat(entries.put(e.getName(), new Entry(e, tar.readAllBytes()))).as(e.getName()).isNull();
            }
        }
        return entries;
    }

    private static String sha256Hex(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
