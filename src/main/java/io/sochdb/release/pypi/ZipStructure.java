package io.sochdb.release.pypi;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads a zip's headers as PyPI does before it accepts a wheel, and lists what it would refuse ("ZIP archive not
 * accepted: ..."): data descriptors, comments, trailing data, duplicate names, ZIP64 records, and compression
 * methods other than stored and deflated. Only headers are read; entry data is skipped by its stated size. It also
 * checks that each local header states the CRC and sizes of its central directory entry, which later checks trust.
 */
final class ZipStructure {

    private static final int LOCAL = 0x04034b50;
    private static final int CENTRAL = 0x02014b50;
    private static final int END = 0x06054b50;
    private static final int ZIP64_EXTRA = 0x0001;

    private ZipStructure() {
    }

    static List<String> problems(Path zip) throws IOException {
        List<String> problems = new ArrayList<>();
        Set<String> names = new HashSet<>();
        Map<String, List<Long>> localFields = new HashMap<>();
        try (FileChannel channel = FileChannel.open(zip, StandardOpenOption.READ)) {
            long size = channel.size();
            long position = 0;
            int locals = 0;
            ByteBuffer header = ByteBuffer.allocate(46).order(ByteOrder.LITTLE_ENDIAN);
            while (position + 30 <= size && signature(channel, header, position, 30) == LOCAL) {
                int flags = header.getShort(6) & 0xffff;
                int method = header.getShort(8) & 0xffff;
                long compressed = header.getInt(18) & 0xffffffffL;
                int nameLength = header.getShort(26) & 0xffff;
                int extraLength = header.getShort(28) & 0xffff;
                String name = text(channel, position + 30, nameLength);
                if ((flags & 0x08) != 0) {
                    // Its sizes come after its data, so nothing further can be read by the headers alone.
                    problems.add(name + " uses a data descriptor");
                    return problems;
                }
                if (method != 0 && method != 8) {
                    problems.add(name + " uses compression method " + method + " (only stored and deflated are accepted)");
                }
                if (hasZip64(channel, position + 30 + nameLength, extraLength)) {
                    problems.add(name + " has a ZIP64 extra field");
                }
                if (!names.add(name)) {
                    problems.add(name + " appears twice");
                }
                localFields.put(name, fields(header, 14));
                locals++;
                position += 30 + nameLength + extraLength + compressed;
            }
            int centrals = 0;
            while (position + 46 <= size && signature(channel, header, position, 46) == CENTRAL) {
                int nameLength = header.getShort(28) & 0xffff;
                int extraLength = header.getShort(30) & 0xffff;
                int commentLength = header.getShort(32) & 0xffff;
                String name = text(channel, position + 46, nameLength);
                if (commentLength != 0) {
                    problems.add(name + " has an entry comment");
                }
                List<Long> local = localFields.get(name);
                if (local != null && !local.equals(fields(header, 16))) {
                    problems.add(name + ": its local header and the central directory disagree on CRC or sizes");
                }
                centrals++;
                position += 46 + nameLength + extraLength + commentLength;
            }
            if (position + 22 > size || signature(channel, header, position, 22) != END) {
                problems.add("the central directory is not followed by its end record (ZIP64 or damaged archive)");
                return problems;
            }
            int commentLength = header.getShort(20) & 0xffff;
            if (commentLength != 0) {
                problems.add("the archive has a comment");
            }
            if (position + 22 + commentLength != size) {
                problems.add("the archive has trailing data after its end record");
            }
            if (locals != centrals) {
                problems.add("the central directory lists " + centrals + " entries, the file holds " + locals);
            }
        }
        return problems;
    }

    /** CRC-32, compressed and uncompressed size, which sit together at {@code offset} in both kinds of header. */
    private static List<Long> fields(ByteBuffer header, int offset) {
        return List.of(header.getInt(offset) & 0xffffffffL, header.getInt(offset + 4) & 0xffffffffL,
                header.getInt(offset + 8) & 0xffffffffL);
    }

    private static int signature(FileChannel channel, ByteBuffer header, long position, int length) throws IOException {
        header.clear().limit(length);
        while (header.hasRemaining()) {
            if (channel.read(header, position + header.position()) < 0) {
                return 0;
            }
        }
        return header.getInt(0);
    }

    private static String text(FileChannel channel, long position, int length) throws IOException {
        ByteBuffer bytes = ByteBuffer.allocate(length);
        channel.read(bytes, position);
        return new String(bytes.array(), 0, bytes.position(), StandardCharsets.UTF_8);
    }

    private static boolean hasZip64(FileChannel channel, long position, int length) throws IOException {
        ByteBuffer extra = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
        channel.read(extra, position);
        for (int i = 0; i + 4 <= length; ) {
            int id = extra.getShort(i) & 0xffff;
            int size = extra.getShort(i + 2) & 0xffff;
            if (id == ZIP64_EXTRA) {
                return true;
            }
            i += 4 + size;
        }
        return false;
    }
}
