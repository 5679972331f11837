package io.sochdb.release.sdk;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;

/**
 * Recognises compiled files. The SDK compiles nothing, so such a file in its tree is a leftover of a local build;
 * shipping it would put the wrong platform's binary into a wheel or any binary into the sdist.
 */
final class BinaryFiles {

    private static final Set<String> EXTENSIONS = Set.of("so", "dylib", "dll", "exe", "pyd", "a", "lib", "o", "obj");

    /** Enough to reach the PE header, which follows the DOS stub at an offset well below this. */
    private static final int HEAD = 4096;

    private BinaryFiles() {
    }

    /** "MZ" alone is too weak (a Python file may start with it); a PE file also has "PE\0\0" where e_lfanew says. */
    private static boolean isPe(byte[] head, int length) {
        if (length < 0x40 || head[0] != 'M' || head[1] != 'Z') {
            return false;
        }
        int offset = (head[0x3c] & 0xff) | (head[0x3d] & 0xff) << 8 | (head[0x3e] & 0xff) << 16 | (head[0x3f] & 0xff) << 24;
        return offset > 0 && offset + 4 <= length && head[offset] == 'P' && head[offset + 1] == 'E'
                && head[offset + 2] == 0 && head[offset + 3] == 0;
    }

    static boolean isBinary(Path file) throws IOException {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        int dot = name.lastIndexOf('.');
        if (dot >= 0 && EXTENSIONS.contains(name.substring(dot + 1)) || name.matches(".*\\.so(\\.\\d+)+")) {
            return true;
        }
        byte[] head = new byte[HEAD];
        int n;
        try (InputStream in = Files.newInputStream(file)) {
            n = in.readNBytes(head, 0, head.length);
        }
        return n >= 8 && hasBinaryMagic(head, n);
    }

    static boolean hasBinaryMagic(byte[] head, int length) {
        int magic = ((head[0] & 0xff) << 24) | ((head[1] & 0xff) << 16) | ((head[2] & 0xff) << 8) | (head[3] & 0xff);
        return magic == 0x7f454c46                                   // ELF
                || magic == 0xfeedface || magic == 0xfeedfacf         // Mach-O, big endian
                || magic == 0xcefaedfe || magic == 0xcffaedfe         // Mach-O, little endian
                || magic == 0xcafebabe                                // Mach-O universal
                || isPe(head, length)
                || new String(head, 0, Math.min(head.length, 7), java.nio.charset.StandardCharsets.US_ASCII).equals("!<arch>");
    }
}
