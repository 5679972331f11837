package io.sochdb.release.sdk;

import java.nio.file.Files;
import java.nio.file.Path;

import io.sochdb.release.failure.InvalidInputException;

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

    /** Like {@link #inside}, and a link is refused too: it could name any file on the machine. */
    static Path file(Path root, String relative, String field) {
        Path resolved = inside(root, relative, field);
        refuseLink(root, resolved);
        return resolved;
    }

    static void refuseLink(Path root, Path file) {
        if (Files.isSymbolicLink(file)) {
            throw new InvalidInputException("SDK source holds a symbolic link " + root.relativize(file)
                    + "; replace it with the file it points to");
        }
    }
}
