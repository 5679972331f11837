package io.sochdb.release.sdk;

import java.nio.file.Path;

import io.sochdb.release.InvalidInputException;

/** Paths named in pyproject.toml must stay inside the SDK source: a release must not package files from elsewhere. */
final class SafePaths {

    private SafePaths() {
    }

    static Path inside(Path root, String relative, String field) {
        Path resolved = root.resolve(relative).normalize();
        if (Path.of(relative).isAbsolute() || !resolved.startsWith(root.normalize())) {
            throw new InvalidInputException("pyproject.toml: " + field + " (" + relative + ") points outside the SDK source");
        }
        return resolved;
    }
}
