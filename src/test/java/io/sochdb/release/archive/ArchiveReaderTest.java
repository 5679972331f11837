package io.sochdb.release.archive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sochdb.release.fixtures.ArchiveOptions;
import io.sochdb.release.fixtures.Fixtures;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;
import org.apache.commons.compress.archivers.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ArchiveReaderTest {

    private static final String VERSION = "0.3.2";
    private static final String LINUX = "x86_64-unknown-linux-gnu";
    private static final String WINDOWS = "x86_64-pc-windows-msvc";
    private static final ArchiveLimits ROOMY = new ArchiveLimits(1L << 30, 3L << 30, 10_000);

    @TempDir
    Path tmp;

    @Test
    void tarGzDeliversEveryRegularFileWithItsBytesAndSkipsDirectories() throws IOException {
        Path archive = Fixtures.platformArchive(tmp, VERSION, LINUX, ArchiveOptions.defaults());
        Map<String, byte[]> files = readAll(new ArchiveReader(ROOMY), archive);
        assertThat(files.keySet()).containsExactly(LINUX + "/sochdb-bulk", LINUX + "/sochdb-server",
            LINUX + "/sochdb-grpc-server", LINUX + "/libsochdb_storage.so", LINUX + "/libsochdb_index.so",
            LINUX + "/sochdb-mcp");
        assertThat(new String(files.get(LINUX + "/sochdb-bulk"), StandardCharsets.US_ASCII))
            .startsWith("#!/bin/sh\n").contains("sochdb-bulk " + VERSION);
        assertThat(files.get(LINUX + "/libsochdb_storage.so")).startsWith(0x7f, 'E', 'L', 'F');
    }

    @Test
    void zipDeliversEveryRegularFileAndSkipsDirectories() throws IOException {
        Path archive = Fixtures.platformArchive(tmp, VERSION, WINDOWS, ArchiveOptions.defaults());
        Map<String, byte[]> files = readAll(new ArchiveReader(ROOMY), archive);
        assertThat(files.keySet()).containsExactly(WINDOWS + "/sochdb-bulk.exe", WINDOWS + "/sochdb-grpc-server.exe",
            WINDOWS + "/sochdb_storage.dll", WINDOWS + "/sochdb_index.dll");
        assertThat(files.get(WINDOWS + "/sochdb_storage.dll")).startsWith('M', 'Z');
    }

    @Test
    void dotSlashPrefixesAndBackslashesAreNormalised() throws IOException {
        ArchiveOptions options = ArchiveOptions.defaults().withTopLevel(true)
            .withExtraEntry("./././notes.txt", bytes("a"))
            .withExtraEntry("docs\\guide\\intro.md", bytes("b"))
            .withExtraEntry(".\\win\\style.txt", bytes("c"));
        Path archive = Fixtures.platformArchive(tmp, VERSION, LINUX, options);
        Map<String, byte[]> files = readAll(new ArchiveReader(ROOMY), archive);
        assertThat(files).containsKeys("sochdb-bulk", "notes.txt", "docs/guide/intro.md", "win/style.txt");
        assertThat(files.get("docs/guide/intro.md")).isEqualTo(bytes("b"));
        assertThat(files.keySet()).noneMatch(n -> n.startsWith("./") || n.contains("\\"));
    }

    @Test
    void refusesEntriesThatClimbOutOrAreAbsolute() {
        for (String raw : List.of("../evil", LINUX + "/../../evil", "dir\\..\\..\\evil", "/abs/path", "C:\\evil.dll")) {
            Path dir = tmp.resolve("case" + Integer.toHexString(raw.hashCode()));
            Path archive = Fixtures.platformArchive(dir, VERSION, LINUX,
                ArchiveOptions.defaults().withExtraEntry(raw, bytes("x")));
            assertRefused(ROOMY, archive, raw);
        }
    }

    @Test
    void refusesTraversalInZipToo() {
        Path archive = Fixtures.platformArchive(tmp, VERSION, WINDOWS,
            ArchiveOptions.defaults().withExtraEntry("../evil", bytes("x")));
        assertRefused(ROOMY, archive, "../evil");
    }

    @Test
    void refusesSymlinksInTarAndZip() {
        Path tar = Fixtures.platformArchive(tmp.resolve("tar"), VERSION, LINUX,
            ArchiveOptions.defaults().withSymlink(LINUX + "/libsochdb.so", "/etc/passwd"));
        assertRefused(ROOMY, tar, LINUX + "/libsochdb.so").hasMessageContaining("link");
        Path zip = Fixtures.platformArchive(tmp.resolve("zip"), VERSION, WINDOWS,
            ArchiveOptions.defaults().withSymlink(WINDOWS + "/sochdb.dll", "C:/Windows/System32/kernel32.dll"));
        assertRefused(ROOMY, zip, WINDOWS + "/sochdb.dll").hasMessageContaining("link");
    }

    @Test
    void refusesHardlinksInTar() {
        Path tar = Fixtures.platformArchive(tmp, VERSION, LINUX,
            ArchiveOptions.defaults().withHardlink(LINUX + "/copy", "/etc/shadow"));
        assertRefused(ROOMY, tar, LINUX + "/copy").hasMessageContaining("link");
    }

    @Test
    void tarEntryAboveTheLimitIsRefusedOnItsDeclaredSizeBeforeAnyByteIsRead() {
        Path archive = Fixtures.platformArchive(tmp, VERSION, LINUX, ArchiveOptions.defaults().withPayloadBytes(5000));
        List<String> seen = new ArrayList<>();
        // The visitor never reads: only a check of the header's size can catch the entry.
        assertThatThrownBy(() -> new ArchiveReader(new ArchiveLimits(4096, 1 << 20, 100))
            .read(archive, (name, content) -> seen.add(name)))
            .isInstanceOf(BadArchiveException.class)
            .hasMessageContaining(archive.getFileName().toString())
            .hasMessageContaining(LINUX + "/libsochdb_storage.so")
            .hasMessageContaining("4096");
        assertThat(seen).containsExactly(LINUX + "/sochdb-bulk", LINUX + "/sochdb-server", LINUX + "/sochdb-grpc-server");
    }

    @Test
    void zipEntryDeclaredAboveTheLimitIsRefused() {
        Path archive = Fixtures.platformArchive(tmp, VERSION, WINDOWS, ArchiveOptions.defaults().withPayloadBytes(5000));
        assertRefused(new ArchiveLimits(4096, 1 << 20, 100), archive, WINDOWS + "/sochdb_storage.dll");
    }

    @Test
    void zipEntryThatInflatesPastTheLimitWhileDeclaringLittleIsStopped() throws IOException {
        Path archive = tmp.resolve("bomb.zip");
        try (ZipArchiveOutputStream zip = new ZipArchiveOutputStream(archive)) {
            ZipArchiveEntry entry = new ZipArchiveEntry("bomb.bin");
            entry.setMethod(ZipArchiveEntry.DEFLATED);
            zip.putArchiveEntry(entry);
            zip.write(new byte[1 << 20]);
            zip.closeArchiveEntry();
        }
        lieAboutUncompressedSize(archive, 100);
        try (ZipFile check = ZipFile.builder().setPath(archive).get()) {
            assertThat(check.getEntry("bomb.bin").getSize()).as("the forged size").isEqualTo(100);
        }
        assertRefused(new ArchiveLimits(64 * 1024, 1 << 30, 100), archive, "bomb.bin")
            .hasMessageContaining("inflates past");
    }

    @Test
    void refusesArchivesThatUnpackBeyondTheTotalLimit() {
        Path archive = Fixtures.platformArchive(tmp, VERSION, LINUX, ArchiveOptions.defaults().withPayloadBytes(3000));
        assertThatThrownBy(() -> new ArchiveReader(new ArchiveLimits(1 << 20, 6000, 100)).read(archive, drain()))
            .isInstanceOf(BadArchiveException.class)
            .hasMessageContaining(archive.getFileName().toString())
            .hasMessageContaining("6000");
    }

    @Test
    void refusesArchivesWithMoreEntriesThanAllowedButDoesNotCountDirectories() {
        Path archive = Fixtures.platformArchive(tmp, VERSION, LINUX, ArchiveOptions.defaults());
        // Six files and one directory: six is within the limit, five is not.
        new ArchiveReader(new ArchiveLimits(1 << 20, 1 << 20, 6)).read(archive, drain());
        assertThatThrownBy(() -> new ArchiveReader(new ArchiveLimits(1 << 20, 1 << 20, 5)).read(archive, drain()))
            .isInstanceOf(BadArchiveException.class)
            .hasMessageContaining(archive.getFileName().toString())
            .hasMessageContaining("more than 5 entries");
    }

    @Test
    void corruptGzipIsReportedAsCorrupt() {
        Path archive = Fixtures.corrupt(Fixtures.platformArchive(tmp, VERSION, LINUX, ArchiveOptions.defaults()));
        assertCorrupt(archive);
    }

    @Test
    void corruptZipIsReportedAsCorrupt() {
        Path archive = Fixtures.corrupt(Fixtures.platformArchive(tmp, VERSION, WINDOWS, ArchiveOptions.defaults()));
        assertCorrupt(archive);
    }

    @Test
    void truncatedTarGzAndZipAreReportedAsCorrupt() throws IOException {
        for (String triple : List.of(LINUX, WINDOWS)) {
            Path archive = Fixtures.platformArchive(tmp.resolve(triple), VERSION, triple, ArchiveOptions.defaults());
            assertCorrupt(Fixtures.truncate(archive, Files.size(archive) / 2));
        }
    }

    @Test
    void visitorsOwnIoFailureIsNotBlamedOnTheArchive() {
        for (String triple : List.of(LINUX, WINDOWS)) {
            Path archive = Fixtures.platformArchive(tmp.resolve(triple), VERSION, triple, ArchiveOptions.defaults());
            IOException diskFull = new IOException("No space left on device");
            assertThatThrownBy(() -> new ArchiveReader(ROOMY).read(archive, (name, content) -> {
                content.readAllBytes();
                throw diskFull;
            }))
                .isInstanceOf(UncheckedIOException.class)
                .isNotInstanceOf(BadArchiveException.class)
                .hasMessageContaining("No space left on device")
                .hasRootCause(diskFull)
                .message().doesNotContain("corrupt");
        }
    }

    private static org.assertj.core.api.AbstractThrowableAssert<?, ? extends Throwable> assertRefused(
        ArchiveLimits limits, Path archive, String entry) {
        return assertThatThrownBy(() -> new ArchiveReader(limits).read(archive, drain()))
            .isInstanceOf(BadArchiveException.class)
            .hasMessageContaining(archive.getFileName().toString())
            .hasMessageContaining(entry);
    }

    private static void assertCorrupt(Path archive) {
        assertThatThrownBy(() -> new ArchiveReader(ROOMY).read(archive, drain()))
            .isInstanceOf(BadArchiveException.class)
            .hasMessageContaining(archive.getFileName().toString())
            .hasMessageContaining("corrupt or truncated");
    }

    /** Reads every byte, as the wheel builder does, so damage inside entry data is reached. */
    private static ArchiveReader.Visitor drain() {
        return (name, content) -> content.readAllBytes();
    }

    private static Map<String, byte[]> readAll(ArchiveReader reader, Path archive) {
        Map<String, byte[]> files = new LinkedHashMap<>();
        reader.read(archive, (name, content) -> files.put(name, content.readAllBytes()));
        return files;
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** Patches the uncompressed size of the only entry in both its local header and the central directory. */
    private static void lieAboutUncompressedSize(Path zip, int size) throws IOException {
        byte[] data = Files.readAllBytes(zip);
        ByteBuffer buf = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
        int patched = 0;
        for (int i = 0; i + 4 <= data.length; i++) {
            int signature = buf.getInt(i);
            if (signature == 0x04034b50) {
                buf.putInt(i + 22, size);
                patched++;
            } else if (signature == 0x02014b50) {
                buf.putInt(i + 24, size);
                patched++;
            }
        }
        assertThat(patched).as("headers patched").isEqualTo(2);
        try (FileChannel ch = FileChannel.open(zip, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(data), 0);
        }
    }
}
