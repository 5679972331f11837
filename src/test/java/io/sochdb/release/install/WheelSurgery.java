package io.sochdb.release.install;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Collections;
import java.util.function.UnaryOperator;

import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;
import org.apache.commons.compress.archivers.zip.ZipFile;

/**
 * A copy of a built wheel with one entry changed or left out, every other entry copied raw (unix modes kept): the
 * broken artifacts the install proof must refuse. RECORD is left as it was, as a careless repack would.
 */
final class WheelSurgery {

    private WheelSurgery() {
    }

    static Path without(Path wheel, Path out, String entry) throws IOException {
        return copy(wheel, out, entry, null);
    }

    static Path rewrite(Path wheel, Path out, String entry, UnaryOperator<String> change) throws IOException {
        return copy(wheel, out, entry, change);
    }

    private static Path copy(Path wheel, Path out, String target, UnaryOperator<String> change) throws IOException {
        boolean seen = false;
        try (ZipFile zip = ZipFile.builder().setPath(wheel).get();
                ZipArchiveOutputStream copy = new ZipArchiveOutputStream(out.toFile())) {
            for (ZipArchiveEntry entry : Collections.list(zip.getEntriesInPhysicalOrder())) {
                if (!entry.getName().equals(target)) {
                    try (InputStream raw = zip.getRawInputStream(entry)) {
                        copy.addRawArchiveEntry(entry, raw);
                    }
                    continue;
                }
                seen = true;
                if (change != null) {
                    String text;
                    try (InputStream in = zip.getInputStream(entry)) {
                        text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                    }
                    ZipArchiveEntry changed = new ZipArchiveEntry(entry.getName());
                    changed.setUnixMode(entry.getUnixMode());
                    changed.setTime(entry.getTime());
                    copy.putArchiveEntry(changed);
                    copy.write(change.apply(text).getBytes(StandardCharsets.UTF_8));
                    copy.closeArchiveEntry();
                }
            }
        }
        if (!seen) {
            throw new IllegalArgumentException(wheel.getFileName() + " has no " + target);
        }
        return out;
    }
}
