package io.sochdb.release.wheel;

import java.io.ByteArrayInputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.zip.Deflater;

import org.apache.commons.compress.archivers.zip.Zip64Mode;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;

import io.sochdb.release.archive.BadArchiveException;
import io.sochdb.release.archive.DeflatedEntry;
import io.sochdb.release.packaging.Digests;

/**
 * Writes a wheel archive entry by entry, hashing as it goes, and ends it with RECORD.
 *
 * <p>It writes to a seekable file so that sizes and CRCs are patched into each local header: PyPI refuses zips with
 * data descriptors, which {@code java.util.zip} writes for every deflated entry. No entry gets an extra field or a
 * comment, and every entry carries the same timestamp, so equal inputs give equal bytes.
 */
public final class WheelWriter implements Closeable {

    private static final int EXECUTABLE = 0100755;
    private static final int REGULAR = 0100644;
    /** Mid-day, mid-year: a valid DOS time in every zone, never in a daylight-saving gap. */
    private static final long FIXED_PLACEHOLDER = 631195200000L + 181L * 86_400_000L;

    private final Path file;
    private final ZipArchiveOutputStream zip;
    private final LocalDateTime entryTime;
    private final List<String> record = new ArrayList<>();
    private final Set<String> names = new HashSet<>();
    private final byte[] buffer = new byte[1 << 16];

    /**
     * @param entryTime the wall-clock fields every entry carries (zip has no time zone)
     * @param level     deflate level, 0-9
     */
    public WheelWriter(Path file, LocalDateTime entryTime, int level) throws IOException {
        this.file = file;
        this.zip = new ZipArchiveOutputStream(file);
        this.entryTime = entryTime;
        zip.setEncoding("UTF-8");
        zip.setUseLanguageEncodingFlag(true);
        // ZIP64 extras are refused by PyPI; a wheel above 4 GiB is refused anyway.
        zip.setUseZip64(Zip64Mode.Never);
        zip.setMethod(ZipArchiveOutputStream.DEFLATED);
        zip.setLevel(level < 0 ? Deflater.DEFAULT_COMPRESSION : level);
    }

    /** Copies {@code content} into the entry {@code name}; returns the number of bytes written. */
    public long write(String name, InputStream content, boolean executable) throws IOException {
        if (!names.add(name)) {
            throw new IllegalStateException("wheel entry " + name + " written twice");
        }
        zip.putArchiveEntry(entry(name, executable));
        MessageDigest sha256 = Digests.sha256();
        long size = 0;
        int n;
        while ((n = content.read(buffer)) > 0) {
            sha256.update(buffer, 0, n);
            zip.write(buffer, 0, n);
            size += n;
        }
        zip.closeArchiveEntry();
        record.add(csv(name) + ",sha256=" + Base64.getUrlEncoder().withoutPadding().encodeToString(sha256.digest()) + "," + size);
        return size;
    }

    /**
     * Adds an entry that upstream already deflated, its compressed bytes copied unchanged: no second deflate. Only
     * the name, the mode and the (fixed) time are ours. {@code content} is read to its end for RECORD's hash; it
     * must be the inflated form of those bytes, and its size must be the one upstream declared.
     *
     * @return the number of bytes of content
     */
    public long copyDeflated(String name, InputStream content, DeflatedEntry deflated, boolean executable)
            throws IOException {
        if (!names.add(name)) {
            throw new IllegalStateException("wheel entry " + name + " written twice");
        }
        MessageDigest sha256 = Digests.sha256();
        long size = 0;
        int n;
        while ((n = content.read(buffer)) > 0) {
            sha256.update(buffer, 0, n);
            size += n;
        }
        if (size != deflated.size()) {
            throw new BadArchiveException(name + " inflates to " + size + " bytes, but its archive entry says "
                    + deflated.size());
        }
        ZipArchiveEntry entry = entry(name, executable);
        entry.setCrc(deflated.crc());
        entry.setSize(deflated.size());
        entry.setCompressedSize(deflated.compressedSize());
        try (InputStream raw = deflated.openRaw()) {
            zip.addRawArchiveEntry(entry, raw);
        }
        record.add(csv(name) + ",sha256=" + Base64.getUrlEncoder().withoutPadding().encodeToString(sha256.digest()) + "," + size);
        return size;
    }

    private static ZipArchiveEntry entry(String name, boolean executable) {
        ZipArchiveEntry entry = new ZipArchiveEntry(name);
        entry.setMethod(ZipArchiveEntry.DEFLATED);
        // The real fields are stamped by finish(); any in-range time keeps Commons Compress from adding extras.
        entry.setTime(FIXED_PLACEHOLDER);
        entry.setUnixMode(executable ? EXECUTABLE : REGULAR);
        return entry;
    }

    public void write(String name, byte[] content) throws IOException {
        write(name, new ByteArrayInputStream(content), false);
    }

    public void write(String name, String content) throws IOException {
        write(name, content.getBytes(StandardCharsets.UTF_8));
    }

    /** Writes {@code <distInfo>/RECORD}, which lists every entry and itself without a hash, and closes the file. */
    public void finish(String distInfo) throws IOException {
        String recordName = distInfo + "/RECORD";
        StringBuilder text = new StringBuilder();
        for (String line : record) {
            text.append(line).append('\n');
        }
        text.append(csv(recordName)).append(",,\n");
        write(recordName, text.toString());
        zip.finish();
        zip.close();
        DosTimestamps.stamp(file, entryTime);
    }

    @Override
    public void close() throws IOException {
        zip.close();
    }

    /** RECORD is CSV: quote a path that holds a comma, a quote or a line break. */
    private static String csv(String value) {
        if (value.indexOf(',') < 0 && value.indexOf('"') < 0 && value.indexOf('\n') < 0 && value.indexOf('\r') < 0) {
            return value;
        }
        return '"' + value.replace("\"", "\"\"") + '"';
    }
}
