package io.sochdb.release.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedded store refuses to start from a file that lost the history; only a new folder starts empty. */
class EmbeddedStoreFileTest {

    @TempDir
    Path tmp;

    private Path storeWithOneRelease() {
        Path dir = tmp.resolve("state");
        try (StateDatabase db = StateDatabase.open("", null, null, dir)) {
            RunStore runs = new RunStore(db, Clock.systemUTC());
            runs.claim("1.0.0", new RunInput("1.0.0", "1.0.0", false, "test"), "me", Duration.ofSeconds(30));
        }
        return dir;
    }

    @Test
    void aNewFolderStartsWithAnEmptyHistoryAndANoteAboutTheFile() throws Exception {
        Path dir = storeWithOneRelease();
        assertThat(dir.resolve("release-state.mv.db")).isNotEmptyFile();
        assertThat(Files.readString(dir.resolve("release-state.README"))).contains("release-state.mv.db");
        try (StateDatabase again = StateDatabase.open("", null, null, dir)) {
            assertThat(new RunStore(again, Clock.systemUTC()).find("1.0.0")).as("the history is read back").isPresent();
        }
    }

    @Test
    void anEmptiedStoreFileStopsTheStartNamingTheFileAndTheWayOut() throws Exception {
        Path dir = storeWithOneRelease();
        Files.write(dir.resolve("release-state.mv.db"), new byte[0]);

        assertThatThrownBy(() -> StateDatabase.open("", null, null, dir))
                .isInstanceOf(StateStoreStartupException.class)
                .hasMessageContaining(dir.resolve("release-state.mv.db").toAbsolutePath().toString())
                .hasMessageContaining("is empty (0 bytes)")
                .hasMessageContaining("Restore the file from a backup")
                .hasMessageContaining("empty STATE_DIR");
        assertThat(dir.resolve("release-state.mv.db")).as("nothing was written over it").isEmptyFile();
    }

    @Test
    void aDeletedStoreFileStopsTheStart() throws Exception {
        Path dir = storeWithOneRelease();
        Files.delete(dir.resolve("release-state.mv.db"));

        assertThatThrownBy(() -> StateDatabase.open("", null, null, dir))
                .isInstanceOf(StateStoreStartupException.class)
                .hasMessageContaining("is missing").hasMessageContaining("release-state.README");
        assertThat(dir.resolve("release-state.mv.db")).as("no new, empty store was made").doesNotExist();
    }

    @Test
    void aCorruptStoreFileStopsTheStart() throws Exception {
        Path dir = storeWithOneRelease();
        byte[] garbage = new byte[64 * 1024];
        new java.util.Random(7).nextBytes(garbage);
        Files.write(dir.resolve("release-state.mv.db"), garbage);

        assertThatThrownBy(() -> StateDatabase.open("", null, null, dir))
                .isInstanceOf(StateStoreStartupException.class)
                .hasMessageContaining("cannot be read").hasMessageContaining("Restore the file from a backup");
    }

    @Test
    void aFolderHoldingOnlyTheDownloadCacheStartsFresh() throws Exception {
        Path dir = tmp.resolve("data");
        Files.createDirectories(dir.resolve("cache/upstream"));
        try (StateDatabase db = StateDatabase.open("", null, null, dir)) {
            assertThat(new RunStore(db, Clock.systemUTC()).all()).isEmpty();
        }
    }
}
