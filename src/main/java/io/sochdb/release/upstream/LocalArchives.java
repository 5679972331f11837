package io.sochdb.release.upstream;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.sochdb.release.failure.InvalidInputException;
import io.sochdb.release.failure.ReleaseFailedException;
import io.sochdb.release.platform.Platform;

/**
 * Upstream archives taken from a local folder ({@code --archives}), named exactly like the release assets. A
 * missing required archive fails the release; a missing optional one only leaves its platform out.
 */
public final class LocalArchives {

    private LocalArchives() {
    }

    public static ArchiveSet<Path> resolve(Path folder, List<Platform> platforms, String sochdbVersion) {
        if (!Files.isDirectory(folder) || !Files.isReadable(folder)) {
            throw new InvalidInputException("--archives " + folder + " is not a readable folder");
        }
        Map<Platform, Path> found = new LinkedHashMap<>();
        List<String> missingRequired = new ArrayList<>();
        List<Platform> notAttached = new ArrayList<>();
        for (Platform platform : platforms) {
            String name = platform.archiveName(sochdbVersion);
            Path archive = folder.resolve(name);
            if (Files.isRegularFile(archive) && Files.isReadable(archive)) {
                found.put(platform, archive);
            } else if (platform.required()) {
                missingRequired.add(name);
            } else {
                notAttached.add(platform);
            }
        }
        if (!missingRequired.isEmpty()) {
            throw new ReleaseFailedException("Archive not found: " + folder.toAbsolutePath() + " lacks "
                    + String.join(", ", missingRequired) + " (upstream version " + sochdbVersion
                    + "; required platforms: RELEASE_REQUIRED_PLATFORMS)");
        }
        if (found.isEmpty()) {
            throw new ReleaseFailedException("Archive not found: " + folder.toAbsolutePath() + " holds none of "
                    + String.join(", ", platforms.stream().map(p -> p.archiveName(sochdbVersion)).toList())
                    + " (upstream version " + sochdbVersion + ")");
        }
        return new ArchiveSet<>(found, notAttached);
    }
}
