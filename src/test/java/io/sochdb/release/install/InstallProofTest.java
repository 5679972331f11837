package io.sochdb.release.install;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.sochdb.release.fakes.FakePyPI;
import io.sochdb.release.fakes.TinyWheel;
import io.sochdb.release.fixtures.Fixtures;
import io.sochdb.release.fixtures.RunSteps;
import io.sochdb.release.fixtures.UpstreamPlatforms;
import io.sochdb.release.install.report.InstallMatrix;
import io.sochdb.release.install.report.InstallReport;
import io.sochdb.release.install.report.SmokeResult;
import io.sochdb.release.packaging.Digests;
import io.sochdb.release.platform.Platform;
import io.sochdb.release.run.Artifact;
import io.sochdb.release.run.ReleaseRequest;
import io.sochdb.release.run.ReleaseRun;

/**
 * The install proof with the real pip of this machine: against the fake index after publishing, and against the
 * local files of a dry run. The wheels are the real ones the release builds from the fixtures.
 */
class InstallProofTest {

    private static final List<String> PYTHONS = List.of("3.9", "3.10", "3.11", "3.12", "3.13");
    /** Where the number of columns does not matter: every pip run costs a second or so. */
    private static final List<String> TWO_PYTHONS = List.of("3.9", "3.13");
    private static final String LINUX_WHEEL = "sochdb_client-0.3.2-py3-none-manylinux_2_17_x86_64.whl";
    private static final List<Platform> PLATFORMS = List.of(UpstreamPlatforms.LINUX_X86_64,
        UpstreamPlatforms.MACOS_ARM64, UpstreamPlatforms.WINDOWS_X86_64);

    private static List<Target> built;

    @TempDir
    Path tmp;
    private FakePyPI pypi;

    @BeforeAll
    static void buildTheWheelsOnce(@TempDir Path work) throws IOException {
        built = ProofWheels.build(work, Fixtures.sdkSource(work.resolve("sdk")), PLATFORMS);
    }

    @BeforeEach
    void start() {
        pypi = FakePyPI.start();
    }

    @AfterEach
    void stop() {
        pypi.close();
    }

    private InstallProof proof(String python, InstallSettings.Mode mode, int attempts, List<String> pythons) {
        return new InstallProof(new InstallSettings(mode, python, pythons, attempts, Duration.ZERO, Duration.ofMinutes(2),
            2, pypi.simpleUrl(), "sochdb"));
    }

    private InstallProof proof(int attempts) {
        return proof("python3", InstallSettings.Mode.AUTO, attempts, PYTHONS);
    }

    private InstallProof quickProof(int attempts) {
        return proof("python3", InstallSettings.Mode.AUTO, attempts, TWO_PYTHONS);
    }

    private static InstallProof.Candidate candidate(List<Target> targets, boolean local) {
        return new InstallProof.Candidate("sochdb-client", "0.3.2", "0.3.2", targets, local);
    }

    private void publish(List<Target> targets) {
        targets.forEach(t -> pypi.addFile(t.wheel().name(), t.wheel().path()));
    }

    private static Map<String, InstallMatrix.Cell> cells(InstallReport report, String tag) {
        return report.matrix().rows().stream().filter(r -> r.tag().equals(tag)).findFirst().orElseThrow().cells();
    }

    private long requests(String path) {
        return pypi.requests().stream().filter(r -> r.path().equals(path)).count();
    }

    @Test
    void aCorrectReleasePassesAllFifteenCellsFromTheIndexAndInstallsOnThisHost() throws IOException {
        publish(built);

        InstallReport report = proof(1).prove(candidate(built, false));

        assertThat(report.state()).as(report.detail()).isEqualTo("passed");
        assertThat(report.source()).isEqualTo(pypi.simpleUrl());
        assertThat(report.matrix().pythons()).containsExactlyElementsOf(PYTHONS);
        assertThat(report.matrix().cellCount()).isEqualTo(15);
        assertThat(report.matrix().rows()).allSatisfy(row -> assertThat(row.cells().values())
            .as(row.tag()).extracting(InstallMatrix.Cell::state).containsOnly("ok"));
        assertThat(report.detail()).contains("all 15 cells");
        SmokeResult smoke = report.smoke();
        assertThat(smoke.state()).as(smoke.detail()).isEqualTo("passed");
        assertThat(smoke.tag()).isEqualTo("manylinux_2_17_x86_64");
        assertThat(smoke.version()).isEqualTo("0.3.2");
        assertThat(smoke.coreVersion()).isEqualTo("0.3.2");
        assertThat(smoke.executables()).containsExactly("sochdb/_bin/x86_64-unknown-linux-gnu/sochdb-bulk",
            "sochdb/_bin/x86_64-unknown-linux-gnu/sochdb-server", "sochdb/_bin/x86_64-unknown-linux-gnu/sochdb-grpc-server");
        assertThat(requests("/files/" + LINUX_WHEEL)).as("once for its 5 cells, once for the smoke install").isEqualTo(2);
        assertThat(pypi.violations()).isEmpty();
    }

    @Test
    void aDryRunProvesTheLocalFilesAndAsksNoIndex() throws IOException {
        InstallReport report = proof(3).prove(candidate(built, true));

        assertThat(report.state()).as(report.detail()).isEqualTo("passed");
        assertThat(report.source()).isEqualTo("the built files (no index)");
        assertThat(report.matrix().cellCount()).isEqualTo(15);
        assertThat(report.smoke().state()).as(report.smoke().detail()).isEqualTo("passed");
        assertThat(pypi.requests()).as("the index is never asked").isEmpty();
    }

    @Test
    void wheelsWhoseTagsExcludeAPythonVersionOrThePlatformShowTheFailingCells() throws IOException {
        List<Target> targets = new ArrayList<>(built);
        targets.set(0, handMade(built.get(0), "sochdb_client-0.3.2-cp312-abi3-manylinux_2_17_x86_64.whl", ">=3.9"));
        targets.set(2, handMade(built.get(2), "sochdb_client-0.3.2-py3-none-win32.whl", ">=3.9"));
        targets.set(1, handMade(built.get(1), "sochdb_client-0.3.2-py3-none-macosx_11_0_arm64.whl", ">=3.10"));

        InstallReport report = proof(1).prove(candidate(targets, true));

        assertThat(report.state()).isEqualTo("failed");
        Map<String, InstallMatrix.Cell> linux = cells(report, "manylinux_2_17_x86_64");
        assertThat(linux).extractingFromEntries(e -> e.getKey() + " " + e.getValue().state()).containsExactly(
            "3.9 incompatible", "3.10 incompatible", "3.11 incompatible", "3.12 ok", "3.13 ok");
        assertThat(linux.get("3.9").detail()).contains("tags do not fit manylinux_2_17_x86_64 with Python 3.9");
        assertThat(cells(report, "win_amd64").values()).extracting(InstallMatrix.Cell::state).containsOnly("incompatible");
        Map<String, InstallMatrix.Cell> mac = cells(report, "macosx_11_0_arm64");
        assertThat(mac.get("3.9").state()).isEqualTo("incompatible");
        assertThat(mac.get("3.9").detail()).contains("Requires-Python excludes Python 3.9");
        assertThat(mac.get("3.10").state()).isEqualTo("ok");
        assertThat(report.matrix().failures()).hasSize(9);
        assertThat(report.detail()).contains("in 9 of 15 cells", "win_amd64 × Python 3.13");
        assertThat(report.smoke().state()).isEqualTo("skipped");
    }

    @Test
    void aPipProcessPerCellTheFallbackForUnknownPipInternalsDecidesEveryCellTheSameWay() throws IOException {
        List<Target> targets = new ArrayList<>(built);
        targets.set(0, handMade(built.get(0), "sochdb_client-0.3.2-cp312-abi3-manylinux_2_17_x86_64.whl", ">=3.9"));
        targets.set(1, handMade(built.get(1), "sochdb_client-0.3.2-py3-none-macosx_11_0_arm64.whl", ">=3.10"));
        InstallSettings settings = new InstallSettings(InstallSettings.Mode.AUTO, "python3", TWO_PYTHONS, 1,
            Duration.ZERO, Duration.ofMinutes(2), 2, pypi.simpleUrl(), "sochdb");

        InstallReport oneProcess = new InstallProof(settings, true).prove(candidate(targets, true));
        InstallReport perCell = new InstallProof(settings, false).prove(candidate(targets, true));

        assertThat(perCell.matrix()).isEqualTo(oneProcess.matrix());
        assertThat(perCell.matrix().failures()).containsExactly(
            "manylinux_2_17_x86_64 × Python 3.9: pip finds sochdb_client-0.3.2-cp312-abi3-manylinux_2_17_x86_64.whl but"
                + " its tags do not fit manylinux_2_17_x86_64 with Python 3.9",
            "macosx_11_0_arm64 × Python 3.9: sochdb_client-0.3.2-py3-none-macosx_11_0_arm64.whl's Requires-Python"
                + " excludes Python 3.9");
    }

    @Test
    void aFileOnTheIndexThatDiffersFromTheBuiltOneIsAHardFailureNamingBothDigests() throws IOException {
        publish(built.subList(1, 3));
        Path other = Files.write(tmp.resolve("other.whl"), TinyWheel.build("sochdb-client", "0.3.2", ">=3.9"));
        pypi.addFile(LINUX_WHEEL, other);

        InstallReport report = quickProof(3).prove(candidate(built, false));

        assertThat(report.state()).isEqualTo("failed");
        InstallMatrix.Cell cell = cells(report, "manylinux_2_17_x86_64").get("3.13");
        assertThat(cell.state()).isEqualTo("sha256_mismatch");
        assertThat(cell.detail()).contains(LINUX_WHEEL, Digests.sha256Hex(other), built.get(0).wheel().sha256());
        assertThat(cells(report, "win_amd64").values()).extracting(InstallMatrix.Cell::state).containsOnly("ok");
        assertThat(requests("/files/" + LINUX_WHEEL)).as("once for both cells; a mismatch is never asked again")
            .isEqualTo(1);
        assertThat(report.detail()).contains(Digests.sha256Hex(other));
    }

    @Test
    void aWheelTheIndexDoesNotListYetIsAskedAgain() throws IOException {
        publish(built.subList(1, 3));
        pypi.addFileListedLater(LINUX_WHEEL, built.get(0).wheel().path(), 8);

        InstallReport report = quickProof(4).prove(candidate(built, false));

        assertThat(report.state()).as(report.detail()).isEqualTo("passed");
        assertThat(requests("/simple/sochdb-client/")).as("listings read: more than one round").isGreaterThan(6);
    }

    @Test
    void notFoundAfterTheLastAttemptFailsTheCells() throws IOException {
        publish(built.subList(1, 3));

        InstallReport report = quickProof(2).prove(candidate(built, false));

        assertThat(cells(report, "manylinux_2_17_x86_64").values()).extracting(InstallMatrix.Cell::state)
            .containsOnly("not_found");
        assertThat(report.detail()).contains("pip finds no " + LINUX_WHEEL);
    }

    @Test
    void withoutPythonAutoSkipsRequiredFailsAndOffNeverLooks() throws IOException {
        InstallReport auto = proof("/nonexistent/python3", InstallSettings.Mode.AUTO, 1, PYTHONS).prove(candidate(built, true));
        assertThat(auto.state()).isEqualTo("skipped");
        assertThat(auto.detail()).startsWith("skipped: no python3");

        InstallReport required = proof("/nonexistent/python3", InstallSettings.Mode.REQUIRED, 1, PYTHONS).prove(candidate(built, true));
        assertThat(required.state()).isEqualTo("failed");
        assertThat(required.detail()).contains("VERIFY_INSTALL=required", "no python3");

        ReleaseRun run = new ReleaseRun(new ReleaseRequest("0.3.2", null, true, tmp, null, null), java.time.Clock.systemUTC());
        proof("python3", InstallSettings.Mode.OFF, 1, PYTHONS).prove(RunSteps.in(run, "install-proof"));
        assertThat(run.installProof().state()).isEqualTo("skipped");
        assertThat(run.steps()).filteredOn(s -> s.name().equals("install-proof")).extracting(ReleaseRun.Step::detail)
            .containsExactly("skipped: VERIFY_INSTALL=off");
    }

    /** A wheel pip can read (METADATA, RECORD), under a name that claims other tags. */
    private Target handMade(Target original, String name, String requiresPython) throws IOException {
        Path file = Files.write(tmp.resolve(name), TinyWheel.build("sochdb-client", "0.3.2", requiresPython));
        return new Target(original.triple(), original.tag(), original.executables(),
            new Artifact(name, "wheel", original.triple(), Files.size(file), Digests.sha256Hex(file), file));
    }
}
