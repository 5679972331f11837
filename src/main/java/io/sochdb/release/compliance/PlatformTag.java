package io.sochdb.release.compliance;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A platform tag taken apart: the OS, the architecture as the tag spells it, and the version (glibc for
 * manylinux, macOS for macosx, none for Windows).
 */
public record PlatformTag(Os os, String arch, int major, int minor) {

    public enum Os { LINUX, MACOS, WINDOWS }

    public static final String AUTO = "auto";
    private static final Pattern MANYLINUX = Pattern.compile("manylinux_(\\d+)_(\\d+)_([a-z0-9_]+)");
    private static final Pattern MACOS = Pattern.compile("macosx_(\\d+)_(\\d+)_([a-z0-9_]+)");

    /** Empty for tags the gate has no rules for (musllinux, legacy aliases). */
    public static Optional<PlatformTag> parse(String tag) {
        Matcher m = MANYLINUX.matcher(tag);
        if (m.matches()) {
            return Optional.of(new PlatformTag(Os.LINUX, m.group(3), Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2))));
        }
        m = MACOS.matcher(tag);
        if (m.matches()) {
            return Optional.of(new PlatformTag(Os.MACOS, m.group(3), Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2))));
        }
        return switch (tag) {
            case "win_amd64" -> Optional.of(new PlatformTag(Os.WINDOWS, "amd64", 0, 0));
            case "win_arm64" -> Optional.of(new PlatformTag(Os.WINDOWS, "arm64", 0, 0));
            case "win32" -> Optional.of(new PlatformTag(Os.WINDOWS, "x86", 0, 0));
            default -> Optional.empty();
        };
    }

    /**
     * What {@code tag = auto} can derive from a target triple: OS and architecture, the version still open. Empty
     * for triples the gate cannot place (musl, unknown architectures).
     */
    public static Optional<PlatformTag> forTriple(String triple) {
        String cpu = triple.contains("-") ? triple.substring(0, triple.indexOf('-')) : triple;
        boolean arm = cpu.equals("aarch64") || cpu.equals("arm64");
        boolean x64 = cpu.equals("x86_64");
        if (!arm && !x64) {
            return Optional.empty();
        }
        if (triple.endsWith("-linux-gnu")) {
            return Optional.of(new PlatformTag(Os.LINUX, arm ? "aarch64" : "x86_64", 0, 0));
        }
        if (triple.endsWith("-apple-darwin")) {
            return Optional.of(new PlatformTag(Os.MACOS, arm ? "arm64" : "x86_64", 0, 0));
        }
        if (triple.contains("-windows-")) {
            return Optional.of(new PlatformTag(Os.WINDOWS, arm ? "arm64" : "amd64", 0, 0));
        }
        return Optional.empty();
    }

    public PlatformTag withVersion(int newMajor, int newMinor) {
        return new PlatformTag(os, arch, newMajor, newMinor);
    }

    public String render() {
        return switch (os) {
            case LINUX -> "manylinux_" + major + "_" + minor + "_" + arch;
            case MACOS -> "macosx_" + major + "_" + minor + "_" + arch;
            case WINDOWS -> arch.equals("x86") ? "win32" : "win_" + arch;
        };
    }

    DottedVersion version() {
        return DottedVersion.of(major, minor);
    }
}
