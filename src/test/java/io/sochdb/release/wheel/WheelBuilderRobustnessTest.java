package io.sochdb.release.wheel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.List;
import java.util.TimeZone;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipFile;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.sochdb.release.archive.ArchiveLimits;
import io.sochdb.release.archive.BadArchiveException;
import io.sochdb.release.fixtures.ArchiveOptions;
import io.sochdb.release.fixtures.Fixtures;
import io.sochdb.release.packaging.SourceDate;
import io.sochdb.release.platform.Platform;
import io.sochdb.release.run.WheelJob;
import io.sochdb.release.run.WheelOutcome;
import static io.sochdb.release.wheel.WheelBuilderTest.LINUX;
import static io.sochdb.release.wheel.WheelBuilderTest.VERSION;
import static io.sochdb.release.wheel.WheelBuilderTest.WINDOWS;
import static io.sochdb.release.wheel.WheelBuilderTest.build;

/** Failures leave nothing behind, equal inputs give equal bytes, and big binaries stream through. */
class WheelBuilderRobustnessTest {

    private static final SourceDate DEFAULT_DATE = new SourceDate(SourceDate.DEFAULT);

    @TempDir
    Path tmp;

    @Test
    void missingExecutableNamesTheArchiveTheFileAndWhereItLooked() {
        assertThatThrownBy(() -> build(tmp, LINUX, ArchiveOptions.defaults().withOmit("sochdb-grpc-server"), DEFAULT_DATE))
            .isInstanceOf(BadArchiveException.class)
            .hasMessageContaining("sochdb-0.3.2-x86_64-unknown-linux-gnu.tar.gz lacks sochdb-grpc-server "
                + "(looked in x86_64-unknown-linux-gnu/ and the top level)");
        assertStagingEmpty();
    }

    @Test
    void missingLibraryInAZipIsReportedToo() {
        assertThatThrownBy(() -> build(tmp, WINDOWS, ArchiveOptions.defaults().withOmit("sochdb_index.dll"), DEFAULT_DATE))
            .isInstanceOf(BadArchiveException.class)
            .hasMessageContaining("sochdb-0.3.2-x86_64-pc-windows-msvc.zip lacks sochdb_index.dll");
        assertStagingEmpty();
    }

    @Test
    void sameFileUnderTheTripleAndAtTheTopLevelIsAmbiguous() {
        ArchiveOptions options = ArchiveOptions.defaults().withExtraEntry("sochdb-bulk", "#!/bin/sh\n".getBytes());
        assertThatThrownBy(() -> build(tmp, LINUX, options, DEFAULT_DATE))
            .isInstanceOf(BadArchiveException.class)
            .hasMessageContaining("sochdb-0.3.2-x86_64-unknown-linux-gnu.tar.gz")
            .hasMessageContaining("sochdb-bulk")
            .hasMessageContaining("twice");
        assertStagingEmpty();
    }

    @Test
    void archiveRefusedHalfwayThroughTheWheelLeavesNoPartialFile() throws IOException {
        // The storage library is the third binary: by then the package files and two executables are in the wheel.
        Path archive = Fixtures.platformArchive(tmp.resolve("upstream"), VERSION, WINDOWS.triple(),
            ArchiveOptions.defaults().withPayloadBytes(1 << 20));
        WheelJob job = new WheelJob(WINDOWS, archive, WheelBuilderTest.context(tmp, DEFAULT_DATE));
        assertThatThrownBy(() -> WheelBuilderTest.builder(new ArchiveLimits(512 * 1024, 1L << 30, 100)).build(job))
            .isInstanceOf(BadArchiveException.class)
            .hasMessageContaining("sochdb_storage.dll");
        assertStagingEmpty();

        Path corrupt = Fixtures.corrupt(Fixtures.platformArchive(tmp.resolve("upstream"), VERSION, LINUX.triple(),
            ArchiveOptions.defaults().withPayloadBytes(1 << 20)));
        WheelJob corruptJob = new WheelJob(LINUX, corrupt, WheelBuilderTest.context(tmp, DEFAULT_DATE));
        assertThatThrownBy(() -> WheelBuilderTest.builder(WheelBuilderTest.LIMITS).build(corruptJob))
            .isInstanceOf(BadArchiveException.class)
            .hasMessageContaining("corrupt or truncated");
        assertStagingEmpty();
    }

    @Test
    void equalInputsGiveByteIdenticalWheelsWhereverTheyAreBuilt() throws IOException {
        for (Platform platform : List.of(LINUX, WINDOWS)) {
            // Separate SDK copies and archives: absolute paths and file times must not leak into the wheel.
            Path first = build(tmp.resolve("a-" + platform.tag()), platform, ArchiveOptions.defaults(), DEFAULT_DATE)
                .wheel().path();
            Path second = build(tmp.resolve("bb-" + platform.tag()), platform, ArchiveOptions.defaults(), DEFAULT_DATE)
                .wheel().path();
            assertThat(first).isNotEqualTo(second);
            assertThat(Files.mismatch(first, second)).as(platform.tag()).isEqualTo(-1L);
        }
    }

    @Test
    void sourceDateChangesTheBytesYetStaysReproducible() throws IOException {
        Path defaults = build(tmp.resolve("default"), LINUX, ArchiveOptions.defaults(), DEFAULT_DATE).wheel().path();
        SourceDate date = new SourceDate(1_700_000_000L);
        Path first = build(tmp.resolve("one"), LINUX, ArchiveOptions.defaults(), date).wheel().path();
        Path second = build(tmp.resolve("two"), LINUX, ArchiveOptions.defaults(), date).wheel().path();
        assertThat(Files.mismatch(defaults, first)).isNotEqualTo(-1L);
        assertThat(Files.mismatch(first, second)).isEqualTo(-1L);
        // 2023-11-14T22:13:20Z, stored as UTC wall-clock fields.
        LocalDateTime utc = LocalDateTime.ofEpochSecond(1_700_000_000L, 0, ZoneOffset.UTC);
        int dosDate = (utc.getYear() - 1980) << 9 | utc.getMonthValue() << 5 | utc.getDayOfMonth();
        int dosTime = utc.getHour() << 11 | utc.getMinute() << 5 | utc.getSecond() / 2;
        WheelBuilderTest.assertRawZip(first, dosDate, dosTime);
    }

    @Test
    void theMachinesTimeZoneDoesNotChangeTheWheel() throws IOException {
        SourceDate date = new SourceDate(1_700_000_000L);
        TimeZone original = TimeZone.getDefault();
        Path utc;
        Path kolkata;
        try {
            TimeZone.setDefault(TimeZone.getTimeZone("UTC"));
            utc = build(tmp.resolve("utc"), WINDOWS, ArchiveOptions.defaults(), date).wheel().path();
            TimeZone.setDefault(TimeZone.getTimeZone("Asia/Kolkata"));
            kolkata = build(tmp.resolve("kolkata"), WINDOWS, ArchiveOptions.defaults(), date).wheel().path();
        } finally {
            TimeZone.setDefault(original);
        }
        assertThat(Files.mismatch(utc, kolkata)).isEqualTo(-1L);
    }

    @Test
    void sourceDateInsideADaylightSavingGapOfTheMachinesZoneKeepsItsUtcFields() throws IOException {
        // 2023-03-26T02:30:00Z: 02:30 wall-clock does not exist in Berlin that night (02:00 jumps to 03:00).
        long epoch = 1_679_797_800L;
        TimeZone original = TimeZone.getDefault();
        Path berlin;
        try {
            TimeZone.setDefault(TimeZone.getTimeZone("Europe/Berlin"));
            berlin = build(tmp.resolve("berlin"), WINDOWS, ArchiveOptions.defaults(), new SourceDate(epoch)).wheel().path();
        } finally {
            TimeZone.setDefault(original);
        }
        int dosDate = (2023 - 1980) << 9 | 3 << 5 | 26;
        int dosTime = 2 << 11 | 30 << 5;
        WheelBuilderTest.assertRawZip(berlin, dosDate, dosTime);
    }

    @Test
    void sixtyFourMebibyteLibraryStreamsIntoTheWheelUnchanged() throws IOException {
        long payload = 64L << 20;
        WheelOutcome outcome = build(tmp, LINUX, ArchiveOptions.defaults().withPayloadBytes(payload), DEFAULT_DATE);
        String upstreamName = LINUX.triple() + "/libsochdb_storage.so";
        long upstreamSize = -1;
        String upstreamHash = null;
        Path archive = tmp.resolve("upstream").resolve(LINUX.archiveName(VERSION));
        try (TarArchiveInputStream tar = new TarArchiveInputStream(
            new GzipCompressorInputStream(Files.newInputStream(archive)))) {
            for (var e = tar.getNextEntry(); e != null; e = tar.getNextEntry()) {
                if (e.getName().equals(upstreamName)) {
                    upstreamSize = e.getSize();
                    upstreamHash = sha256Hex(tar);
                }
            }
        }
        assertThat(upstreamSize).isGreaterThan(payload);
        try (ZipFile zip = ZipFile.builder().setPath(outcome.wheel().path()).get()) {
            ZipArchiveEntry entry = zip.getEntry("sochdb/lib/" + LINUX.triple() + "/libsochdb_storage.so");
            assertThat(entry.getSize()).isEqualTo(upstreamSize);
            try (InputStream in = zip.getInputStream(entry)) {
                assertThat(sha256Hex(in)).isEqualTo(upstreamHash);
            }
            assertThat(WheelBuilderTest.text(zip, WheelBuilderTest.DIST_INFO + "RECORD"))
                .contains("sochdb/lib/" + LINUX.triple() + "/libsochdb_storage.so,sha256=")
                .contains("," + upstreamSize + "\n");
        }
    }

    private void assertStagingEmpty() {
        try (Stream<Path> files = Files.list(tmp.resolve("staging"))) {
            assertThat(files.map(p -> p.getFileName().toString()).toList())
                .as("no .whl and no .part left in the staging folder").isEmpty();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String sha256Hex(InputStream in) throws IOException {
        MessageDigest digest = WheelBuilderTest.sha256Digest();
        byte[] buffer = new byte[1 << 16];
        for (int n = in.read(buffer); n > 0; n = in.read(buffer)) {
            digest.update(buffer, 0, n);
        }
        return HexFormat.of().formatHex(digest.digest());
    }
}
