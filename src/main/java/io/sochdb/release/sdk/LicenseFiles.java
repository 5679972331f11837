package io.sochdb.release.sdk;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Stream;

import io.sochdb.release.failure.InvalidInputException;

/** Finds the license files that go into .dist-info and the sdist. */
final class LicenseFiles {

    /** setuptools' defaults, so a project that relies on them gets the same files it got before. */
    private static final List<String> DEFAULT_GLOBS = List.of("LICEN[CS]E*", "COPYING*", "NOTICE*", "AUTHORS*");

    private LicenseFiles() {
    }

    static List<String> defaults(Path root, String declaredFile) {
        if (declaredFile != null) {
            return List.of(declaredFile);
        }
        TreeSet<String> found = new TreeSet<>();
        for (String glob : DEFAULT_GLOBS) {
            found.addAll(match(root, glob));
        }
        return new ArrayList<>(found);
    }

    /** PEP 639: every pattern must match at least one file, so a typo cannot silently drop a license. */
    static List<String> matching(Path root, List<String> globs) {
        TreeSet<String> found = new TreeSet<>();
        for (String glob : globs) {
            if (glob.startsWith("/") || glob.contains("..")) {
                throw new InvalidInputException("pyproject.toml: [project].license-files pattern \"" + glob
                        + "\" must be relative and must not contain ..");
            }
            List<String> matches = match(root, glob);
            if (matches.isEmpty()) {
                throw new InvalidInputException("pyproject.toml: [project].license-files pattern \"" + glob
                        + "\" matches no file in " + root);
            }
            found.addAll(matches);
        }
        return new ArrayList<>(found);
    }

    private static List<String> match(Path root, String glob) {
        PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + glob);
        try (Stream<Path> files = Files.walk(root, glob.contains("/") ? Integer.MAX_VALUE : 1)) {
            return files.filter(Files::isRegularFile)
                    .peek(file -> SafePaths.refuseLink(root, file))
                    .map(root::relativize)
                    .filter(matcher::matches)
                    .map(p -> p.toString().replace('\\', '/'))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list license files in " + root, e);
        }
    }
}
