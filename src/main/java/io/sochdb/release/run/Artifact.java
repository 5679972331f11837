package io.sochdb.release.run;

import java.nio.file.Path;

/**
 * A built file.
 *
 * @param kind     {@code wheel}, {@code sdist} or {@code checksums}
 * @param platform the target triple of a wheel, null otherwise
 * @param path     where it is now (the staging folder until the outputs are committed)
 */
public record Artifact(String name, String kind, String platform, long size, String sha256, Path path) {

    public Artifact movedTo(Path newPath) {
        return new Artifact(name, kind, platform, size, sha256, newPath);
    }
}
