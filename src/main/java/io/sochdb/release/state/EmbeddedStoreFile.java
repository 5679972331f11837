package io.sochdb.release.state;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The embedded store's file, checked before it is opened. H2 quietly makes a new database of a missing or empty
 * file, and with it the service would forget every release it made, the "released, never again" guard included.
 * So a store that should be there and is not, or is empty, stops the start, naming the file and the choices. Only a
 * folder with no store in it at all (a first start) begins with an empty history; the note written beside the new
 * file is how a later start knows that a store was made here.
 */
final class EmbeddedStoreFile {

    static final String NAME = "release-state";
    private static final String NOTE = NAME + ".README";

    private EmbeddedStoreFile() {
    }

    /** @throws StateStoreStartupException when the file is missing though a store was made here, or empty */
    static void check(Path dir) {
        Path file = file(dir);
        if (Files.isRegularFile(file)) {
            try {
                if (Files.size(file) == 0) {
                    throw new StateStoreStartupException("the release state store " + file + " is empty (0 bytes), "
                            + "though it holds the release history. " + choices(dir));
                }
            } catch (IOException e) {
                throw new StateStoreStartupException("cannot read the release state store " + file + ": " + e.getMessage()
                        + ". " + choices(dir));
            }
            return;
        }
        if (Files.exists(file) || storeWasMadeHere(dir)) {
            throw new StateStoreStartupException("the release state store " + file + " is missing, though "
                    + dir.resolve(NOTE) + " shows that one was made in this folder. " + choices(dir));
        }
    }

    /** After the first start: a note beside the new store, which also tells a person what the file is. */
    static void created(Path dir) {
        Path note = dir.resolve(NOTE);
        if (Files.exists(note)) {
            return;
        }
        try {
            Files.writeString(note, "This folder holds the release state store of sochdb-release (" + file(dir).getFileName()
                    + "): every run, and which versions were released.\nBack it up with the folder; do not delete it "
                    + "alone. Without it the service refuses to start rather than forget the history.\n",
                    StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + note, e);
        }
    }

    static String corrupt(Path dir, String reason) {
        return "the release state store " + file(dir) + " cannot be read (" + reason + "). " + choices(dir);
    }

    static Path file(Path dir) {
        return dir.toAbsolutePath().normalize().resolve(NAME + ".mv.db");
    }

    private static boolean storeWasMadeHere(Path dir) {
        if (!Files.isDirectory(dir)) {
            return false;
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir, NAME + ".*")) {
            return entries.iterator().hasNext();
        } catch (IOException e) {
            return false;
        }
    }

    private static String choices(Path dir) {
        return "Restore the file from a backup and start again. To start with no history instead (every version "
                + "could then be released again), stop every replica, move " + dir.toAbsolutePath().normalize()
                + " aside and start with an empty STATE_DIR.";
    }
}
