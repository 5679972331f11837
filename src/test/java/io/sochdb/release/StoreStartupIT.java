package io.sochdb.release;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged service refuses to start from an embedded store file that was emptied, instead of starting with no
 * history (and releasing again what was released): one line on stderr names the file and what to do, exit 1.
 */
class StoreStartupIT {

    @TempDir
    Path tmp;

    @Test
    void anEmptiedStoreFileRefusesStartUp() throws Exception {
        Path state = tmp.resolve("state");
        Process first = launch(state, "first");
        awaitReady(first);
        first.destroy();
        assertThat(first.waitFor(60, TimeUnit.SECONDS)).as("stopped on SIGTERM").isTrue();
        Path file = state.resolve("release-state.mv.db");
        assertThat(file).isNotEmptyFile();

        Files.write(file, new byte[0]);
        Process second = launch(state, "second");

        assertThat(second.waitFor(90, TimeUnit.SECONDS)).as("the second start gave up").isTrue();
        String err = Files.readString(tmp.resolve("second.err"));
        assertThat(second.exitValue()).as(err).isEqualTo(1);
        assertThat(err).contains("error: the release state store " + file.toAbsolutePath() + " is empty (0 bytes)")
                .contains("Restore the file from a backup").doesNotContain("\tat ");
        assertThat(file).as("left as it was found").isEmptyFile();
    }

    private Process launch(Path state, String name) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", System.getProperty("release.jar")).directory(tmp.toFile())
                .redirectOutput(tmp.resolve(name + ".out").toFile()).redirectError(tmp.resolve(name + ".err").toFile());
        builder.environment().remove("STATE_DB_URL");
        builder.environment().remove("SOCHDB_POLL_INTERVAL");
        managementPort = freePort();
        builder.environment().putAll(Map.of("SERVER_PORT", String.valueOf(freePort()),
                "MANAGEMENT_PORT", String.valueOf(managementPort), "STATE_DIR", state.toString(),
                "DIST_DIR", tmp.resolve("dist").toString()));
        return builder.start();
    }

    private int managementPort;

    private void awaitReady(Process process) throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (System.nanoTime() < deadline && process.isAlive()) {
            try {
                if (http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + managementPort
                        + "/observe/health/ready")).build(), HttpResponse.BodyHandlers.ofString()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // Not listening yet.
            }
            LockSupport.parkNanos(200_000_000);
        }
        throw new AssertionError("the service did not become ready");
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
