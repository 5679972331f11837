package io.sochdb.release.wheel;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;
import org.apache.commons.compress.archivers.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.sochdb.release.archive.ArchiveReader;
import io.sochdb.release.compliance.ComplianceGate;
import io.sochdb.release.fixtures.ArchiveOptions;
import io.sochdb.release.fixtures.Fixtures;
import io.sochdb.release.packaging.SourceDate;
import io.sochdb.release.run.WheelJob;
import io.sochdb.release.run.WheelOutcome;
import static io.sochdb.release.wheel.WheelBuilderTest.LIMITS;
import static io.sochdb.release.wheel.WheelBuilderTest.VERSION;
import static io.sochdb.release.wheel.WheelBuilderTest.WINDOWS;

/** Entries that upstream's zip already deflated go into the wheel as they are, with our name, mode and time. */
class WheelRawCopyTest {

    @TempDir
    Path tmp;

    @Test
    void deflatedEntriesKeepUpstreamsBytesAndGetOurModeTimeAndRecordHashOfTheirContent() throws IOException {
        Path upstream = upstreamAtLevel(tmp.resolve("a"), 1);
        WheelOutcome outcome = build(tmp.resolve("a"), upstream, true);
        Path wheel = outcome.wheel().path();
        Map<String, String> record = record(wheel);
        try (ZipFile theirs = ZipFile.builder().setPath(upstream).get();
             ZipFile ours = ZipFile.builder().setPath(wheel).get()) {
            for (ZipArchiveEntry source : Collections.list(theirs.getEntries())) {
                String file = source.getName().substring(source.getName().lastIndexOf('/') + 1);
                boolean executable = WINDOWS.executables().contains(file);
                String path = "sochdb/" + (executable ? "_bin/" : "lib/") + WINDOWS.triple() + "/" + file;
                ZipArchiveEntry entry = ours.getEntry(path);
                assertThat(entry).as(path).isNotNull();
                assertThat(raw(ours, entry)).as(path + ": upstream's compressed bytes").isEqualTo(raw(theirs, source));
                assertThat(entry.getCrc()).isEqualTo(source.getCrc());
                assertThat(entry.getUnixMode()).as(path).isEqualTo(executable ? 0100755 : 0100644);
                byte[] content = WheelBuilderTest.bytes(theirs, source);
                assertThat(WheelBuilderTest.bytes(ours, entry)).isEqualTo(content);
                assertThat(record.get(path)).isEqualTo("sha256=" + Base64.getUrlEncoder().withoutPadding()
                    .encodeToString(WheelBuilderTest.sha256(content)) + "," + content.length);
            }
        }
        WheelBuilderTest.assertRawZip(wheel, 0x21, 0);
    }

    @Test
    void withoutRawCopyTheSameContentIsDeflatedAgainAtOurLevel() throws IOException {
        Path upstream = upstreamAtLevel(tmp.resolve("a"), 1);
        WheelOutcome copied = build(tmp.resolve("a"), upstream, true);
        Path again = Files.createDirectories(tmp.resolve("b/upstream")).resolve(upstream.getFileName());
        Files.copy(upstream, again);
        WheelOutcome recompressed = build(tmp.resolve("b"), again, false);
        assertThat(record(recompressed.wheel().path())).isEqualTo(record(copied.wheel().path()));
        String exe = "sochdb/_bin/" + WINDOWS.triple() + "/sochdb-bulk.exe";
        try (ZipFile a = ZipFile.builder().setPath(copied.wheel().path()).get();
             ZipFile b = ZipFile.builder().setPath(recompressed.wheel().path()).get()) {
            assertThat(raw(b, b.getEntry(exe))).isNotEqualTo(raw(a, a.getEntry(exe)));
            assertThat(WheelBuilderTest.bytes(b, b.getEntry(exe))).isEqualTo(WheelBuilderTest.bytes(a, a.getEntry(exe)));
        }
        WheelBuilderTest.assertRawZip(recompressed.wheel().path(), 0x21, 0);
    }

    @Test
    void rawCopiedWheelsAreByteIdenticalAcrossBuilds() throws IOException {
        Path upstream = upstreamAtLevel(tmp.resolve("a"), 9);
        byte[] first = Files.readAllBytes(build(tmp.resolve("a"), upstream, true).wheel().path());
        Path again = Files.createDirectories(tmp.resolve("b/upstream")).resolve(upstream.getFileName());
        Files.copy(upstream, again);
        assertThat(Files.readAllBytes(build(tmp.resolve("b"), again, true).wheel().path())).isEqualTo(first);
    }

    /** The fixture's Windows zip, rewritten at another deflate level than the wheel's 6, so a copy is visible. */
    private static Path upstreamAtLevel(Path work, int level) throws IOException {
        Path plain = Fixtures.platformArchive(work.resolve("plain"), VERSION, WINDOWS.triple(),
            ArchiveOptions.defaults());
        Path out = Files.createDirectories(work.resolve("upstream")).resolve(plain.getFileName());
        try (ZipFile in = ZipFile.builder().setPath(plain).get(); ZipArchiveOutputStream zip = new ZipArchiveOutputStream(out)) {
            zip.setLevel(level);
            for (ZipArchiveEntry e : Collections.list(in.getEntriesInPhysicalOrder())) {
                if (e.isDirectory()) {
                    continue;
                }
                ZipArchiveEntry copy = new ZipArchiveEntry(e.getName());
                copy.setMethod(ZipArchiveEntry.DEFLATED);
                copy.setTime(e.getTime());
                zip.putArchiveEntry(copy);
                zip.write(WheelBuilderTest.bytes(in, e));
                zip.closeArchiveEntry();
            }
        }
        return out;
    }

    private static WheelOutcome build(Path work, Path archive, boolean copyDeflated) throws IOException {
        WheelBuilder builder = new WheelBuilder(new ArchiveReader(LIMITS), "sochdb", "test-gen", 6,
            ComplianceGate.standard(), copyDeflated);
        return builder.build(new WheelJob(WINDOWS, archive, WheelBuilderTest.context(work, new SourceDate(SourceDate.DEFAULT))));
    }

    private static byte[] raw(ZipFile zip, ZipArchiveEntry entry) throws IOException {
        try (InputStream in = zip.getRawInputStream(entry)) {
            return in.readAllBytes();
        }
    }

    /** RECORD as path to "hash,size". */
    private static Map<String, String> record(Path wheel) throws IOException {
        Map<String, String> lines = new LinkedHashMap<>();
        try (ZipFile zip = ZipFile.builder().setPath(wheel).get()) {
            for (String line : WheelBuilderTest.text(zip, WheelBuilderTest.DIST_INFO + "RECORD").split("\n")) {
                int comma = line.indexOf(',');
                lines.put(line.substring(0, comma), line.substring(comma + 1));
            }
        }
        return lines;
    }
}
