package io.sochdb.release.sdk;

import java.nio.file.Path;

/**
 * One file of the SDK that ships.
 *
 * @param packagePath  its path inside a wheel (e.g. {@code sochdb/__init__.py})
 * @param projectPath  its path inside the SDK source and the sdist (e.g. {@code src/sochdb/__init__.py})
 * @param file         where it is on disk
 * @param versionFile  true when it may declare {@code __version__}, which the release stamps
 */
public record SourceFile(String packagePath, String projectPath, Path file, boolean versionFile) {
}
