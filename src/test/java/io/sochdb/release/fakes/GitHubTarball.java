package io.sochdb.release.fakes;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;

/**
 * Tarballs shaped like GitHub's {@code /tarball/{ref}}: what {@code git archive} writes, so a pax global header
 * carrying the commit sha comes first and every path sits under {@code {owner}-{repo}-{sha7}/}.
 */
public final class GitHubTarball {

    private static final Date MTIME = Date.from(Instant.parse("2025-01-15T12:00:00Z"));

    private GitHubTarball() {
    }

    public static String topFolder(String repo, String sha) {
        return repo.replace('/', '-') + "-" + sha.substring(0, 7);
    }

    /** {@code files} maps paths relative to the repository root ("src/a.py") to their content. */
    public static byte[] of(String repo, String sha, Map<String, byte[]> files) {
        String top = topFolder(repo, sha) + "/";
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new GzipCompressorOutputStream(bytes))) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            TarArchiveEntry pax = new TarArchiveEntry("pax_global_header", TarConstants.LF_PAX_GLOBAL_EXTENDED_HEADER);
            pax.addPaxHeader("comment", sha);
            // Commons Compress writes and closes a global header entry in one go.
            tar.putArchiveEntry(pax);
            TreeSet<String> dirs = new TreeSet<>();
            dirs.add(top);
            for (String path : files.keySet()) {
                for (int slash = path.indexOf('/'); slash > 0; slash = path.indexOf('/', slash + 1)) {
                    dirs.add(top + path.substring(0, slash + 1));
                }
            }
            for (String dir : dirs) {
                TarArchiveEntry entry = new TarArchiveEntry(dir);
                entry.setMode(040775);
                entry.setModTime(MTIME);
                tar.putArchiveEntry(entry);
                tar.closeArchiveEntry();
            }
            for (Map.Entry<String, byte[]> file : new TreeMap<>(files).entrySet()) {
                TarArchiveEntry entry = new TarArchiveEntry(top + file.getKey());
                entry.setMode(0100664);
                entry.setModTime(MTIME);
                entry.setSize(file.getValue().length);
                tar.putArchiveEntry(entry);
                tar.write(file.getValue());
                tar.closeArchiveEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    public static byte[] ofText(String repo, String sha, Map<String, String> files) {
        Map<String, byte[]> raw = new LinkedHashMap<>();
        files.forEach((path, text) -> raw.put(path, text.getBytes(StandardCharsets.UTF_8)));
        return of(repo, sha, raw);
    }
}
