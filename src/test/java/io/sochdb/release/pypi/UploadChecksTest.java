package io.sochdb.release.pypi;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.zip.Zip64Mode;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;
import org.apache.commons.compress.archivers.zip.ZipFile;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.sochdb.release.archive.ArchiveLimits;
import io.sochdb.release.archive.ArchiveReader;
import io.sochdb.release.failure.ReleaseFailedException;
import io.sochdb.release.fixtures.ArchiveOptions;
import io.sochdb.release.fixtures.Fixtures;
import io.sochdb.release.fixtures.RunSteps;
import io.sochdb.release.packaging.Digests;
import io.sochdb.release.packaging.ProjectName;
import io.sochdb.release.packaging.SourceDate;
import io.sochdb.release.packaging.Version;
import io.sochdb.release.platform.Platform;
import io.sochdb.release.run.Artifact;
import io.sochdb.release.run.BuildContext;
import io.sochdb.release.run.ReleasePlan;
import io.sochdb.release.run.ReleaseRequest;
import io.sochdb.release.run.ReleaseRun;
import io.sochdb.release.run.WheelJob;
import io.sochdb.release.sdist.SdistBuilder;
import io.sochdb.release.sdk.SdkProject;
import io.sochdb.release.wheel.WheelBuilder;

class UploadChecksTest {

    static final ProjectName NAME = new ProjectName("sochdb-client");
    static final Version VERSION = Version.parse("0.3.2");
    static final String WHEEL = "sochdb_client-0.3.2-py3-none-manylinux_2_17_x86_64.whl";
    static final String SDIST = "sochdb_client-0.3.2.tar.gz";
    static final String DI = "sochdb_client-0.3.2.dist-info/";
    static final String TOP = "sochdb_client-0.3.2/";
    static final String TWISTED = "sochdb/database.py";
    static final Platform LINUX = new Platform("x86_64-unknown-linux-gnu", "manylinux_2_17_x86_64",
        "sochdb-{version}-{triple}.tar.gz", List.of("sochdb-bulk", "sochdb-server"), List.of("libsochdb_storage.so"));

    @TempDir
    Path tmp;
    BuildContext build;
    Path wheel;
    Path sdist;

    @BeforeEach
    void buildRealFiles() throws IOException {
        SdkProject sdk = SdkProject.load(Fixtures.sdkSource(tmp.resolve("sdk")), "sochdb");
        build = new BuildContext(VERSION, "0.3.2", sdk, Files.createDirectories(tmp.resolve("staging")),
            new SourceDate(SourceDate.DEFAULT));
        Path archive = Fixtures.platformArchive(tmp.resolve("upstream"), "0.3.2", LINUX.triple(), ArchiveOptions.defaults());
        wheel = new WheelBuilder(new ArchiveReader(new ArchiveLimits(1L << 30, 3L << 30, 10_000)), "sochdb", "test", 6)
            .build(new WheelJob(LINUX, archive, build)).wheel().path();
        sdist = new SdistBuilder().build(build).path();
        Files.createDirectories(tmp.resolve("out"));
    }

    @Test
    void realFilesPassAndSoDoTheFaithfulRewritesEveryBadFileStartsFrom() throws IOException {
        assertThat(UploadChecks.wheel(wheel, NAME, VERSION)).isEmpty();
        assertThat(UploadChecks.sdist(sdist, NAME, VERSION)).isEmpty();
        // If these rewrites were flawed, every refusal below could come from the flaw instead of the tampering.
        assertThat(wheelProblems(zip(entries()))).isEmpty();
        assertThat(UploadChecks.sdist(tgz(SDIST, tarEntries()), NAME, VERSION)).isEmpty();
        // java.util.zip writes no data descriptor for stored entries, so this wheel is clean too.
        assertThat(wheelProblems(jdkZip(entries(), null))).isEmpty();
    }

    @Test
    void zipLayoutsPyPIRefusesAreEachNamed() throws IOException {
        Map<String, byte[]> e = entries();
        assertThat(wheelProblems(jdkZip(e, DI + "RECORD"))).contains(DI + "RECORD uses a data descriptor");
        assertThat(wheelProblems(zip(e, Twist.ENTRY_COMMENT))).containsExactly(TWISTED + " has an entry comment");
        assertThat(wheelProblems(zip(e, Twist.ARCHIVE_COMMENT))).containsExactly("the archive has a comment");
        assertThat(wheelProblems(zip(e, Twist.ZIP64))).contains(e.keySet().iterator().next() + " has a ZIP64 extra field");
        assertThat(wheelProblems(zip(e, Twist.BZIP2)))
            .containsExactly(TWISTED + " uses compression method 12 (only stored and deflated are accepted)");
        assertThat(wheelProblems(zip(e, Twist.DUPLICATE))).containsExactly(TWISTED + " appears twice");

        Path trailing = Files.copy(wheel, tmp.resolve("out").resolve(WHEEL), StandardCopyOption.REPLACE_EXISTING);
        Files.write(trailing, new byte[] {0, 1, 2, 3}, StandardOpenOption.APPEND);
        assertThat(wheelProblems(trailing)).containsExactly("the archive has trailing data after its end record");
    }

    @Test
    void fileNamePartsMustBeTheEscapedNameTheVersionAndAcceptedTags() throws IOException {
        assertThat(renamed("sochdb-client-0.3.2-py3-none-manylinux_2_17_x86_64.whl"))
            .contains("name part sochdb should be sochdb_client");
        assertThat(renamed("SochDB_client-0.3.2-py3-none-manylinux_2_17_x86_64.whl"))
            .containsExactly("name part SochDB_client should be sochdb_client");
        assertThat(renamed("sochdb_client-0.3.3-py3-none-manylinux_2_17_x86_64.whl"))
            .containsExactly("version part 0.3.3 should be 0.3.2");
        assertThat(renamed("sochdb_client-0.3.2-py3-none-linux_x86_64.whl")).singleElement().asString()
            .contains("\"linux_x86_64\" is not a platform tag PyPI accepts");
        assertThat(renamed("sochdb_client-0.3.2-py3-none-macosx_11_2_arm64.whl")).singleElement().asString()
            .contains("\"macosx_11_2_arm64\" is not a valid macOS tag").contains("macosx_11_0_arm64");
        assertThat(renamed("sochdb_client-0.3.2.zip")).singleElement().asString().startsWith("not a wheel file name");
        // An accepted tag that WHEEL does not declare: the renamed-wheel mistake.
        assertThat(renamed("sochdb_client-0.3.2-py3-none-win_amd64.whl"))
            .containsExactly("WHEEL does not declare Tag: py3-none-win_amd64, which its file name says");
    }

    @Test
    void metadataMustNameTheProjectAndVersionInAnySpellingThatNormalizesAlike() throws IOException {
        Map<String, byte[]> e = entries();
        assertThat(withMetadata(e, "Name: sochdb-client", "Name: SochDB.Client")).isEmpty();
        assertThat(withMetadata(e, "Name: sochdb-client", "Name: sochdb-server"))
            .containsExactly("METADATA names sochdb-server, not sochdb-client");
        assertThat(withMetadata(e, "Version: 0.3.2", "Version: 0.3.3"))
            .containsExactly("METADATA says version 0.3.3, not 0.3.2");
        e.remove(DI + "METADATA");
        assertThat(wheelProblems(zip(recorded(e)))).containsExactly("no " + DI + "METADATA");
    }

    /** Production bug: a METADATA without a header block passes, and UploadForm.of then fails on the null Name. */
    @Test
    void metadataWithoutNameOrVersionIsRefused() throws IOException {
        Map<String, byte[]> e = entries();
        e.put(DI + "METADATA", "\nSochDB Python SDK\n".getBytes(UTF_8));
        assertThat(wheelProblems(zip(recorded(e)))).anyMatch(p -> p.startsWith("METADATA"));
    }

    /** Production bug: an invalid Name throws InvalidInputException out of the check instead of being listed. */
    @Test
    void anInvalidMetadataNameIsListedNotThrown() throws IOException {
        assertThat(withMetadata(entries(), "Name: sochdb-client", "Name: sochdb client"))
            .containsExactly("METADATA names sochdb client, not sochdb-client");
    }

    @Test
    void recordMustListEveryFileWithItsHashAndSize() throws IOException {
        Map<String, byte[]> e = entries();
        Map<String, byte[]> tampered = new LinkedHashMap<>(e);
        tampered.put("sochdb/database.py", "print('tampered')\n".getBytes(UTF_8));
        assertThat(wheelProblems(zip(tampered)))
            .containsExactly("RECORD's hash or size of sochdb/database.py does not match the file");
        Map<String, byte[]> missing = new LinkedHashMap<>(e);
        missing.remove("sochdb/database.py");
        assertThat(wheelProblems(zip(missing)))
            .containsExactly("RECORD lists sochdb/database.py, which the wheel does not hold");
        Map<String, byte[]> unlisted = new LinkedHashMap<>();
        unlisted.put("sochdb/extra.py", new byte[] {'x'});
        unlisted.putAll(e);
        assertThat(wheelProblems(zip(unlisted))).containsExactly("RECORD does not list sochdb/extra.py");
        // RECORD is CSV: a quoted path with a comma must still be matched to its entry.
        unlisted.put("sochdb/a,\"b\".txt", new byte[] {'y'});
        assertThat(wheelProblems(zip(recorded(unlisted)))).isEmpty();
        e.remove(DI + "RECORD");
        assertThat(wheelProblems(zip(e))).containsExactly("no " + DI + "RECORD");
    }

    @Test
    void everyMalformedEntryPointLineIsNamedAndGoodOnesPass() throws IOException {
        Map<String, byte[]> e = entries();
        String good = text(e.get(DI + "entry_points.txt"));
        assertThat(good).contains("sochdb-bulk = sochdb.cli_bulk:main");
        e.put(DI + "entry_points.txt", (good + "# a comment\nno equals sign here\nbad = has spaces:main\n"
            + "extras = pkg.mod:fn [extra1, extra2]\n").getBytes(UTF_8));
        assertThat(wheelProblems(zip(recorded(e)))).containsExactly(
            "entry_points.txt has an invalid line: no equals sign here",
            "entry_points.txt has an invalid line: bad = has spaces:main");
    }

    @Test
    void sdistNeedsItsNameOneTopFolderAndAMatchingPkgInfo() throws IOException {
        Map<String, byte[]> t = tarEntries();
        Path renamed = Files.copy(sdist, tmp.resolve("out/sochdb-client-0.3.2.tar.gz"));
        assertThat(UploadChecks.sdist(renamed, NAME, VERSION))
            .containsExactly("an sdist must be named sochdb_client-0.3.2.tar.gz");
        Map<String, byte[]> outside = new LinkedHashMap<>(t);
        outside.put("setup.py", new byte[] {'x'});
        outside.put("sochdb_client-0.3.2x/evil.py", new byte[] {'x'});
        assertThat(UploadChecks.sdist(tgz(SDIST, outside), NAME, VERSION)).containsExactly(
            "setup.py is outside the single top folder " + TOP, "sochdb_client-0.3.2x/evil.py is outside the single top folder " + TOP);
        Map<String, byte[]> versioned = new LinkedHashMap<>(t);
        versioned.put(TOP + "PKG-INFO", text(t.get(TOP + "PKG-INFO")).replace("Version: 0.3.2", "Version: 0.3.3")
            .getBytes(UTF_8));
        assertThat(UploadChecks.sdist(tgz(SDIST, versioned), NAME, VERSION))
            .containsExactly("PKG-INFO says version 0.3.3, not 0.3.2");
        t.remove(TOP + "PKG-INFO");
        // A PKG-INFO anywhere but the top folder does not count.
        t.put(TOP + "src/PKG-INFO", new byte[] {'x'});
        assertThat(UploadChecks.sdist(tgz(SDIST, t), NAME, VERSION)).containsExactly("no PKG-INFO in " + TOP);
    }

    @Test
    void checkPassesFilesAtExactlyTheLimitAndRefusesTheLargerOneByteBelowIt() throws IOException {
        Path larger = Files.size(wheel) > Files.size(sdist) ? wheel : sdist;
        long size = Files.size(larger);
        ReleaseRun run = run(wheel, sdist);
        new UploadChecks(size).check(RunSteps.in(run, "checks"));
        assertThat(checksDetail(run)).isEqualTo("2 files pass PyPI's upload checks");
        assertThatThrownBy(() -> new UploadChecks(size - 1).check(RunSteps.in(run(wheel, sdist), "checks"))).hasMessage("PyPI would refuse "
            + larger.getFileName() + ": " + size + " bytes, more than the upload limit of " + (size - 1)
            + " (PYPI_MAX_FILE_SIZE; PyPI's default is 100 MiB)");
    }

    @Test
    void checkRefusesWithEveryProblemOfEveryFileAndRecordsNoPass() throws IOException {
        Files.write(wheel, new byte[] {9}, StandardOpenOption.APPEND);
        Map<String, byte[]> t = tarEntries();
        t.remove(TOP + "PKG-INFO");
        Path badSdist = tgz(SDIST, t);
        ReleaseRun run = run(wheel, badSdist);
        assertThatThrownBy(() -> new UploadChecks(10).check(RunSteps.in(run, "checks")))
            .isInstanceOf(ReleaseFailedException.class)
            .hasMessageStartingWith("PyPI would refuse ")
            .hasMessageContaining(WHEEL + ": " + Files.size(wheel) + " bytes, more than the upload limit of 10")
            .hasMessageContaining(WHEEL + ": the archive has trailing data after its end record")
            .hasMessageContaining(SDIST + ": " + Files.size(badSdist) + " bytes, more than the upload limit of 10")
            .hasMessageContaining(SDIST + ": no PKG-INFO in " + TOP)
            .message().doesNotContain("SHA256SUMS");
        assertThat(checksDetail(run)).isNull();
    }

    // --- helpers ---

    private ReleaseRun run(Path wheelFile, Path sdistFile) throws IOException {
        ReleaseRequest request = new ReleaseRequest("0.3.2", "0.3.2", true, tmp.resolve("dist"), null, tmp.resolve("sdk"));
        ReleaseRun run = new ReleaseRun(request, Clock.systemUTC());
        run.plan(new ReleasePlan(request, build, List.of()));
        Path sums = Files.writeString(tmp.resolve("out/SHA256SUMS"), "0".repeat(64) + "  " + WHEEL + "\n");
        for (Path file : List.of(wheelFile, sdistFile, sums)) {
            String name = file.getFileName().toString();
            String kind = name.endsWith(".whl") ? "wheel" : name.endsWith(".tar.gz") ? "sdist" : "checksums";
            run.artifact(new Artifact(name, kind, null, Files.size(file), Digests.sha256Hex(file), file));
        }
        return run;
    }

    private static String checksDetail(ReleaseRun run) {
        return run.steps().stream().filter(s -> s.name().equals("checks")).findFirst().orElseThrow().detail();
    }

    private List<String> renamed(String name) throws IOException {
        return wheelProblems(Files.copy(wheel, tmp.resolve("out").resolve(name)));
    }

    private List<String> withMetadata(Map<String, byte[]> e, String line, String replacement) throws IOException {
        Map<String, byte[]> changed = new LinkedHashMap<>(e);
        String metadata = text(e.get(DI + "METADATA"));
        assertThat(metadata).contains(line + "\n");
        changed.put(DI + "METADATA", metadata.replace(line + "\n", replacement + "\n").getBytes(UTF_8));
        return wheelProblems(zip(recorded(changed)));
    }

    /** Binaries are not inflated again: their RECORD size is checked against the central directory. */
    @Test
    void aLargeEntryWhoseRecordSizeIsWrongIsFoundWithoutRehashing() throws IOException {
        String big = "sochdb/lib/x86_64-unknown-linux-gnu/libsochdb_storage.so";
        Map<String, byte[]> e = new LinkedHashMap<>(entries());
        e.put(big, new byte[(int) UploadChecks.REHASH_LIMIT + 4096]);
        Map<String, byte[]> listed = recorded(e);
        assertThat(wheelProblems(zip(listed))).isEmpty();
        listed.put(big, new byte[(int) UploadChecks.REHASH_LIMIT + 8192]);
        assertThat(wheelProblems(zip(listed)))
            .containsExactly("RECORD's hash or size of " + big + " does not match the file");
    }

    @Test
    void localHeadersMustAgreeWithTheCentralDirectory() throws IOException {
        Path file = zip(entries());
        byte[] bytes = Files.readAllBytes(file);
        bytes[14] ^= 0x5a;   // CRC-32 of the first local header
        Files.write(file, bytes);
        assertThat(wheelProblems(file)).containsExactly(
            "sochdb/__init__.py: its local header and the central directory disagree on CRC or sizes");
    }

    private static List<String> wheelProblems(Path file) throws IOException {
        return UploadChecks.wheel(file, NAME, VERSION);
    }

    private Map<String, byte[]> entries() throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        try (ZipFile zip = ZipFile.builder().setPath(wheel).get()) {
            for (ZipArchiveEntry entry : Collections.list(zip.getEntriesInPhysicalOrder())) {
                entries.put(entry.getName(), zip.getInputStream(entry).readAllBytes());
            }
        }
        return entries;
    }

    /** The entries with RECORD rewritten to match them, as a builder would have written it. */
    private static Map<String, byte[]> recorded(Map<String, byte[]> entries) {
        Map<String, byte[]> out = new LinkedHashMap<>(entries);
        out.remove(DI + "RECORD");
        StringBuilder record = new StringBuilder();
        out.forEach((name, content) -> record.append(name.contains(",") || name.contains("\"")
                ? '"' + name.replace("\"", "\"\"") + '"' : name)
            .append(",sha256=").append(Base64.getUrlEncoder().withoutPadding()
                .encodeToString(Digests.sha256().digest(content))).append(',').append(content.length).append('\n'));
        out.put(DI + "RECORD", record.append(DI).append("RECORD,,\n").toString().getBytes(UTF_8));
        return out;
    }

    enum Twist { NONE, ENTRY_COMMENT, ARCHIVE_COMMENT, ZIP64, BZIP2, DUPLICATE }

    private Path zip(Map<String, byte[]> entries) throws IOException {
        return zip(entries, Twist.NONE);
    }

    /** WHEEL written like WheelWriter does (seekable, no extras) but for one twist, on TWISTED where per entry. */
    private Path zip(Map<String, byte[]> entries, Twist twist) throws IOException {
        List<Map.Entry<String, byte[]>> all = new ArrayList<>(entries.entrySet());
        if (twist == Twist.DUPLICATE) {
            all.add(Map.entry(TWISTED, entries.get(TWISTED)));
        }
        Path file = tmp.resolve("out").resolve(WHEEL);
        Files.deleteIfExists(file);
        try (ZipArchiveOutputStream out = new ZipArchiveOutputStream(file)) {
            out.setUseZip64(twist == Twist.ZIP64 ? Zip64Mode.Always : Zip64Mode.Never);
            out.setComment(twist == Twist.ARCHIVE_COMMENT ? "made by hand" : "");
            for (Map.Entry<String, byte[]> e : all) {
                ZipArchiveEntry entry = new ZipArchiveEntry(e.getKey());
                entry.setTime(Fixtures.MTIME.toEpochMilli());
                boolean twisted = e.getKey().equals(TWISTED);
                entry.setComment(twisted && twist == Twist.ENTRY_COMMENT ? "hand-written" : null);
                if (twisted && twist == Twist.BZIP2) {
                    // Commons Compress cannot bzip2 an entry itself, but copies one compressed elsewhere.
                    ByteArrayOutputStream bz = new ByteArrayOutputStream();
                    try (OutputStream b = new BZip2CompressorOutputStream(bz)) {
                        b.write(e.getValue());
                    }
                    entry.setMethod(12);
                    entry.setSize(e.getValue().length);
                    entry.setCompressedSize(bz.size());
                    entry.setCrc(crc(e.getValue()));
                    out.addRawArchiveEntry(entry, new ByteArrayInputStream(bz.toByteArray()));
                    continue;
                }
                entry.setMethod(ZipEntry.DEFLATED);
                out.putArchiveEntry(entry);
                out.write(e.getValue());
                out.closeArchiveEntry();
            }
        }
        return file;
    }

    /** java.util.zip: entries are stored, except {@code deflated}, which thereby gets a data descriptor. */
    private Path jdkZip(Map<String, byte[]> entries, String deflated) throws IOException {
        Path file = tmp.resolve("out").resolve(WHEEL);
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(file))) {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                ZipEntry entry = new ZipEntry(e.getKey());
                entry.setTime(Fixtures.MTIME.toEpochMilli());
                if (e.getKey().equals(deflated)) {
                    entry.setMethod(ZipEntry.DEFLATED);
                } else {
                    entry.setMethod(ZipEntry.STORED);
                    entry.setSize(e.getValue().length);
                    entry.setCrc(crc(e.getValue()));
                }
                out.putNextEntry(entry);
                out.write(e.getValue());
                out.closeEntry();
            }
        }
        return file;
    }

    private Map<String, byte[]> tarEntries() throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        try (TarArchiveInputStream tar = new TarArchiveInputStream(new GzipCompressorInputStream(Files.newInputStream(sdist)))) {
            for (TarArchiveEntry e = tar.getNextEntry(); e != null; e = tar.getNextEntry()) {
                entries.put(e.getName(), tar.readAllBytes());
            }
        }
        return entries;
    }

    private Path tgz(String name, Map<String, byte[]> entries) throws IOException {
        Path file = tmp.resolve("out").resolve(name);
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new GzipCompressorOutputStream(Files.newOutputStream(file)))) {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                TarArchiveEntry entry = new TarArchiveEntry(e.getKey());
                entry.setSize(e.getValue().length);
                tar.putArchiveEntry(entry);
                tar.write(e.getValue());
                tar.closeArchiveEntry();
            }
        }
        return file;
    }

    private static long crc(byte[] content) {
        CRC32 crc = new CRC32();
        crc.update(content);
        return crc.getValue();
    }

    private static String text(byte[] content) {
        return new String(content, UTF_8);
    }
}
