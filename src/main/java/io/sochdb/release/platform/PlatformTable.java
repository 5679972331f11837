package io.sochdb.release.platform;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;

import io.sochdb.release.compliance.PlatformTag;
import io.sochdb.release.failure.InvalidInputException;
import io.sochdb.release.packaging.PlatformTags;

/**
 * Reads the platform table from configuration ({@code release.platforms} lists the enabled triples,
 * {@code release.required-platforms} those of them whose archive a release cannot do without, and
 * {@code release.platform.<triple>.*} describes each), and refuses tags that PyPI or pip would refuse. A tag of
 * {@code auto} is left to the compliance gate, which derives it from the binaries.
 */
public final class PlatformTable {

    public static final String ENABLED = "release.platforms";
    public static final String REQUIRED = "release.required-platforms";
    private static final String PREFIX = "release.platform.";
    private static final Pattern TRIPLE = Pattern.compile("[A-Za-z0-9_.-]+");
    private static final Pattern FILE_NAME = Pattern.compile("[A-Za-z0-9_.+-]+");

    private PlatformTable() {
    }

    /** @param property looks a configuration key up; empty when it is not set */
    public static List<Platform> load(Function<String, Optional<String>> property) {
        String enabled = property.apply(ENABLED).orElse("");
        if (list(enabled).isEmpty()) {
            throw new InvalidInputException("configuration " + ENABLED + " (env RELEASE_PLATFORMS) lists no platform");
        }
        if (list(enabled).size() != list(enabled).stream().distinct().count()) {
            throw new InvalidInputException("configuration " + ENABLED + " (env RELEASE_PLATFORMS) names a triple twice");
        }
        // Unset (a table written before optional platforms existed): every enabled platform is required.
        List<String> required = property.apply(REQUIRED).map(PlatformTable::list).orElse(list(enabled));
        for (String triple : required) {
            if (!list(enabled).contains(triple)) {
                throw new InvalidInputException("configuration " + REQUIRED + " (env RELEASE_REQUIRED_PLATFORMS) names "
                        + triple + ", which " + ENABLED + " (env RELEASE_PLATFORMS) does not list; a required platform"
                        + " must also be built");
            }
        }
        List<Platform> platforms = new ArrayList<>();
        for (String triple : list(enabled)) {
            if (!TRIPLE.matcher(triple).matches()) {
                throw new InvalidInputException("configuration " + ENABLED + ": \"" + triple + "\" is not a target triple");
            }
            String key = PREFIX + triple + ".";
            String tag = required(property, key + "tag");
            checkTag(key + "tag", triple, tag);
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
            platforms.add(new Platform(triple, tag, archive, executables, libraries, required.contains(triple)));
        }
        return List.copyOf(platforms);
    }

    static void checkTag(String key, String triple, String tag) {
        if (PlatformTag.AUTO.equals(tag)) {
            if (PlatformTag.forTriple(triple).isEmpty()) {
                throw new InvalidInputException("configuration " + key + ": tag auto needs a triple whose OS and"
                        + " architecture are known (x86_64 or aarch64; -linux-gnu, -apple-darwin or -windows-*), got "
                        + triple + "; configure an explicit tag");
            }
            return;
        }
        PlatformTags.problem(tag).ifPresent(problem -> {
            throw new InvalidInputException("configuration " + key + ": " + problem);
        });
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
