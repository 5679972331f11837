package io.sochdb.release.platform;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.sochdb.release.InvalidInputException;

/**
 * Reads the platform table from configuration ({@code release.platforms} lists the enabled triples, and
 * {@code release.platform.<triple>.*} describes each), and refuses tags that PyPI or pip would refuse.
 */
public final class PlatformTable {

    public static final String ENABLED = "release.platforms";
    private static final String PREFIX = "release.platform.";
    private static final Pattern TRIPLE = Pattern.compile("[A-Za-z0-9_.-]+");
    private static final Pattern FILE_NAME = Pattern.compile("[A-Za-z0-9_.+-]+");
    private static final Pattern MANYLINUX = Pattern.compile("(many|musl)linux_(\\d+)_(\\d+)_(x86_64|aarch64|i686|ppc64le|s390x|armv7l)");
    private static final Pattern MACOS = Pattern.compile("macosx_(\\d+)_(\\d+)_(x86_64|arm64|universal2)");
    private static final Pattern WINDOWS = Pattern.compile("win_amd64|win_arm64|win32");

    private PlatformTable() {
    }

    /** @param property looks a configuration key up; empty when it is not set */
    public static List<Platform> load(Function<String, Optional<String>> property) {
        String enabled = property.apply(ENABLED).orElse("");
        if (list(enabled).isEmpty()) {
            throw new InvalidInputException("configuration " + ENABLED + " (env RELEASE_PLATFORMS) lists no platform");
        }
        List<Platform> platforms = new ArrayList<>();
        for (String triple : list(enabled)) {
            if (!TRIPLE.matcher(triple).matches()) {
                throw new InvalidInputException("configuration " + ENABLED + ": \"" + triple + "\" is not a target triple");
            }
            String key = PREFIX + triple + ".";
            String tag = required(property, key + "tag");
            checkTag(key + "tag", tag);
            String archive = required(property, key + "archive");
            if (!archive.contains("{version}") || archive.contains("/") || archive.contains("\\")) {
                throw new InvalidInputException("configuration " + key + "archive must be a file name containing {version}, got \""
                        + archive + "\"");
            }
            if (!archive.endsWith(".tar.gz") && !archive.endsWith(".tgz") && !archive.endsWith(".zip")) {
                throw new InvalidInputException("configuration " + key + "archive must end in .tar.gz, .tgz or .zip, got \""
                        + archive + "\"");
            }
            List<String> executables = fileNames(key + "executables", required(property, key + "executables"));
            List<String> libraries = fileNames(key + "libraries", property.apply(key + "libraries").orElse(""));
            platforms.add(new Platform(triple, tag, archive, executables, libraries));
        }
        return List.copyOf(platforms);
    }

    /** PyPI's rules: manylinux/musllinux and Windows tags as they are, macOS 11+ only with minor 0. */
    static void checkTag(String key, String tag) {
        Matcher mac = MACOS.matcher(tag);
        if (mac.matches()) {
            int major = Integer.parseInt(mac.group(1));
            if (major >= 11 && !mac.group(2).equals("0")) {
                throw new InvalidInputException("configuration " + key + ": \"" + tag + "\" is not a valid macOS tag; "
                        + "from macOS 11 on the minor version must be 0 (e.g. macosx_" + major + "_0_" + mac.group(3) + ")");
            }
            return;
        }
        if (MANYLINUX.matcher(tag).matches() || WINDOWS.matcher(tag).matches()) {
            return;
        }
        throw new InvalidInputException("configuration " + key + ": \"" + tag + "\" is not a platform tag PyPI accepts "
                + "(expected e.g. manylinux_2_17_x86_64, macosx_11_0_arm64, win_amd64; plain linux_* tags are refused)");
    }

    private static String required(Function<String, Optional<String>> property, String key) {
        return property.apply(key).map(String::trim).filter(v -> !v.isEmpty())
                .orElseThrow(() -> new InvalidInputException("configuration " + key + " is missing"));
    }

    private static List<String> fileNames(String key, String value) {
        List<String> names = list(value);
        for (String name : names) {
            if (!FILE_NAME.matcher(name).matches()) {
                throw new InvalidInputException("configuration " + key + ": \"" + name + "\" is not a plain file name");
            }
        }
        if (names.size() != names.stream().distinct().count()) {
            throw new InvalidInputException("configuration " + key + " names a file twice");
        }
        return names;
    }

    private static List<String> list(String value) {
        return Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }
}
