package io.sochdb.release.run;

import java.nio.file.Path;

import io.sochdb.release.platform.Platform;

/**
 * One platform's share of a release: the split hands one of these to the wheel route.
 *
 * @param archive the local archive, or null until the wheel route has downloaded {@code remote}
 * @param remote  where the archive is on GitHub, or null when it was given locally
 */
public record WheelJob(Platform platform, String archiveName, Path archive, RemoteArchive remote, BuildContext build) {

    public WheelJob(Platform platform, Path archive, BuildContext build) {
        this(platform, archive.getFileName().toString(), archive, null, build);
    }

    public WheelJob withArchive(Path downloaded) {
        return new WheelJob(platform, archiveName, downloaded, remote, build);
    }
}
