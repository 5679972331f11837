package io.sochdb.release;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.sochdb.release.fixtures.Fixtures;
import io.sochdb.release.fixtures.Processes;

/**
 * The start-up archive of the README and the image: deploy/cds-archive makes one the JVM accepts, and the README's
 * flags never let a missing or outdated archive stop the jar or reach stdout, where {@code release} writes its summary.
 */
class ClassDataSharingIT {

    private static final Duration TIMEOUT = Duration.ofMinutes(5);
    /** The README's flags besides the archive: JVM warnings to stderr. */
    private static final List<String> LOG_FLAGS = List.of("-Xlog:disable", "-Xlog:all=warning:stderr");

    @TempDir
    Path tmp;

    private static Processes.Result java(List<String> options, Path jar, String... args) {
        List<String> command = new ArrayList<>(List.of("java"));
        command.addAll(options);
        command.addAll(List.of("-jar", jar.toString()));
        command.addAll(List.of(args));
        return Processes.run(command, Map.of("VERIFY_INSTALL", "off"), null, TIMEOUT);
    }

    private static List<String> withArchive(Path archive, String... more) {
        List<String> options = new ArrayList<>(List.of("-XX:SharedArchiveFile=" + archive));
        options.addAll(LOG_FLAGS);
        options.addAll(List.of(more));
        return options;
    }

    private static Path jar() {
        return Path.of(System.getProperty("release.jar")).toAbsolutePath();
    }

    private Processes.Result dryRun(List<String> options) throws IOException {
        Path archives = Fixtures.allPlatformArchives(tmp.resolve("archives"), "0.3.2");
        Path sdk = tmp.resolve("sdk");
        if (!Files.exists(sdk)) {
            Fixtures.sdkSource(sdk);
        }
        return java(options, jar(), "release", "--version", "0.3.2", "--dry-run", "--archives", archives.toString(),
                "--sdk-source", sdk.toString(), "--dist", tmp.resolve("dist-" + System.nanoTime()).toString());
    }

    @Test
    void theScriptMakesAnArchiveTheJvmMapsAndTheReleaseRunsWithIt() throws IOException {
        Path archive = tmp.resolve("sochdb-release.jsa");
        Processes.Result made = Processes.run(List.of("deploy/cds-archive", jar().toString(), archive.toString()),
                Map.of(), null, TIMEOUT);
        assertThat(made.exitCode()).as(made.describe()).isZero();
        assertThat(made.stderr()).contains("cds-archive: " + archive);
        assertThat(archive).isNotEmptyFile();

        // -Xshare:on refuses to start unless the archive fits this jar and this JVM.
        Processes.Result forced = java(withArchive(archive, "-Xshare:on"), jar(), "--help");
        assertThat(forced.exitCode()).as(forced.describe()).isZero();
        assertThat(forced.stdout()).startsWith("Usage:");

        Processes.Result release = dryRun(withArchive(archive, "-Xshare:on"));
        assertThat(release.exitCode()).as(release.describe()).isZero();
        assertThat(release.stdout()).startsWith("# sochdb-client 0.3.2 (dry run): succeeded");
    }

    @Test
    void aMissingArchiveIsIgnored() throws IOException {
        Processes.Result result = dryRun(withArchive(tmp.resolve("no-such.jsa")));

        assertThat(result.exitCode()).as(result.describe()).isZero();
        assertThat(result.stdout()).startsWith("# sochdb-client 0.3.2 (dry run): succeeded");
    }

    @Test
    void anArchiveOfAnEarlierBuildOfTheJarIsIgnoredAndSaidSoOnStderrOnly() throws IOException {
        // An archive recorded for this jar (dynamic, the quick kind), then the jar "rebuilt": a new modification time.
        Path copy = Files.copy(jar(), tmp.resolve("sochdb-release.jar"), StandardCopyOption.COPY_ATTRIBUTES);
        Path archive = tmp.resolve("old.jsa");
        Processes.Result made = java(List.of("-XX:ArchiveClassesAtExit=" + archive), copy, "--help");
        assertThat(made.exitCode()).as(made.describe()).isZero();
        assertThat(archive).isNotEmptyFile();
        Files.setLastModifiedTime(copy, FileTime.from(Instant.now().plusSeconds(60)));

        Processes.Result result = java(withArchive(archive), copy, "--help");

        assertThat(result.exitCode()).as(result.describe()).isZero();
        assertThat(result.stdout()).as(result.describe()).startsWith("Usage:").doesNotContain("[warning]", "shared archive");
        assertThat(result.stderr()).contains("Unable to use shared archive");
    }
}
