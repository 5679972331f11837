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
import java.util.Collections;
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
            .startsWith("\u007fELF").contains("sochdb-bulk " + VERSION);
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
        Path archive = forgedZip(tmp.resolve("bomb.zip"), 1, 1 << 20, 100);
        assertRefused(new ArchiveLimits(64 * 1024, 1 << 30, 100), archive, "bomb0.bin")
            .hasMessageContaining("inflates past");
    }

    @Test
    void zipEntriesThatUnderstateTheirSizesAreStillHeldToTheTotalLimit() throws IOException {
        // Each entry stays under the entry limit, so only a total of the bytes really inflated can stop them.
        Path archive = forgedZip(tmp.resolve("bombs.zip"), 8, 60 * 1024, 100);
        assertThatThrownBy(() -> new ArchiveReader(new ArchiveLimits(64 * 1024, 128 * 1024, 100)).read(archive, drain()))
            .as("480 KiB inflated from an archive limited to 128 KiB")
            .isInstanceOf(BadArchiveException.class)
            .hasMessageContaining("bombs.zip");
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
    void damageOnlyTheGzipCrcCanSeeIsReportedAsCorrupt() {
        // An incompressible payload is deflated into stored blocks, where flipped bytes still decode.
        Path archive = Fixtures.corrupt(Fixtures.platformArchive(tmp, VERSION, LINUX,
            ArchiveOptions.defaults().withPayloadBytes(1 << 20)));
        assertCorrupt(archive);
    }

    @Test
    void corruptZipIsReportedAsCorrupt() {
        // The damaged entry still inflates to plausible bytes; only its CRC-32 tells the copy is not upstream's.
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

    /**
     * A zip of {@code count} entries of {@code size} zero bytes each whose headers all claim {@code claimed} bytes:
     * what a hostile upstream could publish. Headers are walked, not searched, so compressed data cannot be hit.
     */
    private static Path forgedZip(Path zip, int count, int size, int claimed) throws IOException {
        try (ZipArchiveOutputStream out = new ZipArchiveOutputStream(zip)) {
            for (int i = 0; i < count; i++) {
                ZipArchiveEntry entry = new ZipArchiveEntry("bomb" + i + ".bin");
                entry.setMethod(ZipArchiveEntry.DEFLATED);
                out.putArchiveEntry(entry);
                out.write(new byte[size]);
                out.closeArchiveEntry();
            }
        }
        ByteBuffer buf = ByteBuffer.wrap(Files.readAllBytes(zip)).order(ByteOrder.LITTLE_ENDIAN);
        int at = 0;
        int patched = 0;
        while (buf.getInt(at) == 0x04034b50) {
            buf.putInt(at + 22, claimed);
            patched++;
            at += 30 + (buf.getShort(at + 26) & 0xffff) + (buf.getShort(at + 28) & 0xffff) + buf.getInt(at + 18);
        }
        while (buf.getInt(at) == 0x02014b50) {
            buf.putInt(at + 24, claimed);
            patched++;
            at += 46 + (buf.getShort(at + 28) & 0xffff) + (buf.getShort(at + 30) & 0xffff) + (buf.getShort(at + 32) & 0xffff);
        }
        assertThat(patched).as("local and central headers patched").isEqualTo(2 * count);
        try (FileChannel ch = FileChannel.open(zip, StandardOpenOption.WRITE)) {
            ch.write(buf.rewind(), 0);
        }
        try (ZipFile check = ZipFile.builder().setPath(zip).get()) {
            assertThat(Collections.list(check.getEntries())).allMatch(e -> e.getSize() == claimed);
        }
        return zip;
    }
}
