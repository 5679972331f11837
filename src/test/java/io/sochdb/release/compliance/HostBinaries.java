package io.sochdb.release.compliance;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** This machine's own programs and libraries: real ELF files, built against its (recent) glibc. */
final class HostBinaries {

    private static final List<String> LIBRARY_DIRS = List.of("/usr/lib/x86_64-linux-gnu", "/lib/x86_64-linux-gnu",
            "/usr/lib/aarch64-linux-gnu", "/lib/aarch64-linux-gnu", "/usr/lib64", "/lib64");

    private HostBinaries() {
    }

    static boolean isArm() {
        return System.getProperty("os.arch").equals("aarch64");
    }

    static String triple() {
        return (isArm() ? "aarch64" : "x86_64") + "-unknown-linux-gnu";
    }

    static String arch() {
        return isArm() ? "aarch64" : "x86_64";
    }

    static int machine() {
        return isArm() ? TestBinaries.EM_AARCH64 : TestBinaries.EM_X86_64;
    }

    /** Coreutils that link libc only, so glibc's version is the only thing that decides their tag. */
    static List<Path> programs() {
        return List.of(Path.of("/bin/cat"), Path.of("/bin/true"), Path.of("/usr/bin/env"));
    }

    /** zlib needs libc only too, and every Debian system has it. */
    static Path library() {
        return LIBRARY_DIRS.stream().map(d -> Path.of(d, "libz.so.1")).filter(Files::isRegularFile).findFirst()
                .orElseThrow(() -> new AssertionError("no libz.so.1 in " + LIBRARY_DIRS));
    }

    static BinaryHeader read(Path file) {
        try (FileChannel channel = FileChannel.open(file)) {
            return BinaryInspector.inspect(BinaryData.of(channel));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
