package io.sochdb.release.install;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.sochdb.release.fakes.FakePyPI;
import io.sochdb.release.fakes.TinyWheel;
import io.sochdb.release.fixtures.UpstreamPlatforms;
import io.sochdb.release.install.report.InstallReport;
import io.sochdb.release.install.report.SmokeResult;
import io.sochdb.release.packaging.Digests;
import io.sochdb.release.platform.Platform;
import io.sochdb.release.run.Artifact;

/**
 * The install proof of an SDK with dependencies, as the real one has (numpy, grpcio, ...): here two small stub
 * distributions that only the fake index serves. With the index in reach the smoke test installs them and imports
 * for real; out of reach, everything that needs no dependency is still proven and the import is "not proven". A
 * broken wheel fails either way.
 */
class InstallProofDependenciesTest {

    private static final List<String> PYTHONS = List.of("3.9", "3.13");
    private static final String LINUX_BIN = "sochdb/_bin/x86_64-unknown-linux-gnu/";
    private static final List<Platform> PLATFORMS = List.of(UpstreamPlatforms.LINUX_X86_64, UpstreamPlatforms.WINDOWS_X86_64);

    private static List<Target> built;

    @TempDir
    Path tmp;
    private FakePyPI pypi;

    @BeforeAll
    static void buildTheWheelsOnce(@TempDir Path work) throws IOException {
        built = ProofWheels.build(work, DependentSdk.write(work.resolve("sdk")), PLATFORMS);
    }

    @BeforeEach
    void start() {
        pypi = FakePyPI.start();
    }

    @AfterEach
    void stop() {
        pypi.close();
    }

    private void serveTheDependencies() {
        for (String name : DependentSdk.DEPENDENCIES) {
            pypi.addFile(TinyWheel.filename(name, "1.2"), TinyWheel.build(name, "1.2", ">=3.8"));
        }
    }

    private static InstallProof proof(String index, InstallSettings.Mode mode) {
        return new InstallProof(new InstallSettings(mode, "python3", PYTHONS, 1, Duration.ZERO, Duration.ofMinutes(2), 2,
            index, "sochdb"));
    }

    private static InstallProof.Candidate candidate(List<Target> targets, boolean local) {
        return new InstallProof.Candidate("sochdb-client", "0.3.2", "0.3.2", targets, local);
    }

    /** An index nobody answers: a port that was free a moment ago. */
    private static String unreachableIndex() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return "http://127.0.0.1:" + socket.getLocalPort() + "/simple/";
        }
    }

    private long requests(String path) {
        return pypi.requests().stream().filter(r -> r.path().equals(path)).count();
    }

    @Test
    void aDryRunTakesOurFilesFromTheDistFolderAndOnlyTheDependenciesFromTheIndex() throws IOException {
        serveTheDependencies();

        InstallReport report = proof(pypi.simpleUrl(), InstallSettings.Mode.AUTO).prove(candidate(built, true));

        assertThat(report.state()).as(report.detail()).isEqualTo("passed");
        assertThat(report.notProven()).isEmpty();
        SmokeResult smoke = report.smoke();
        assertThat(smoke.state()).as(smoke.detail()).isEqualTo("passed");
        assertThat(smoke.version()).isEqualTo("0.3.2");
        assertThat(smoke.executables()).hasSize(3);
        assertThat(requests("/files/" + TinyWheel.filename("stub-numpy", "1.2"))).isEqualTo(1);
        assertThat(requests("/files/" + TinyWheel.filename("stub-grpc", "1.2"))).isEqualTo(1);
        assertThat(pypi.requests()).as("nothing of ours is asked of the index, nor a dependency for another platform")
            .noneMatch(r -> r.path().contains("sochdb") || r.path().contains("stub-windows"));
        assertThat(pypi.violations()).isEmpty();
    }

    @Test
    void withTheIndexOutOfReachTheRestIsProvenAndTheImportIsNotProvenNamingTheMissingDistributions() throws IOException {
        InstallReport report = proof(unreachableIndex(), InstallSettings.Mode.AUTO).prove(candidate(built, true));

        assertThat(report.state()).as(report.detail()).isEqualTo("partial");
        assertThat(report.matrix().failures()).isEmpty();
        SmokeResult smoke = report.smoke();
        assertThat(smoke.state()).as(smoke.detail()).isEqualTo("not_proven");
        assertThat(smoke.missingDependencies()).containsExactly("stub-numpy", "stub-grpc");
        assertThat(smoke.executables()).containsExactly(LINUX_BIN + "sochdb-bulk", LINUX_BIN + "sochdb-server",
            LINUX_BIN + "sochdb-grpc-server");
        assertThat(smoke.version()).as("read from the sources").isEqualTo("0.3.2");
        assertThat(report.proven()).hasSize(2);
        assertThat(report.proven().get(0)).contains("all 4 cells", "byte-identical");
        assertThat(report.proven().get(1)).contains("manylinux_2_17_x86_64", "3 executables present and executable");
        assertThat(report.notProven()).singleElement().asString()
            .startsWith("import sochdb not proven: it needs stub-numpy, stub-grpc, which could not be installed")
            .contains("127.0.0.1");
        assertThat(report.detail()).contains("not proven");
    }

    @Test
    void requiredTurnsNotProvenIntoAFailure() throws IOException {
        InstallReport report = proof(unreachableIndex(), InstallSettings.Mode.REQUIRED).prove(candidate(built, true));

        assertThat(report.state()).isEqualTo("failed");
        assertThat(report.detail()).startsWith("VERIFY_INSTALL=required, but not everything was proven")
            .contains("stub-numpy, stub-grpc");
    }

    @Test
    void afterPublishingTheSmokeTestInstallsOurPackageWithItsDependenciesFromTheIndex() throws IOException {
        serveTheDependencies();
        built.forEach(t -> pypi.addFile(t.wheel().name(), t.wheel().path()));

        InstallReport report = proof(pypi.simpleUrl(), InstallSettings.Mode.AUTO).prove(candidate(built, false));

        assertThat(report.state()).as(report.detail()).isEqualTo("passed");
        assertThat(report.smoke().detail()).startsWith("import sochdb: __version__ 0.3.2");
        assertThat(requests("/files/" + built.get(0).wheel().name())).as("once for the cells, once to install")
            .isEqualTo(2);
        assertThat(requests("/files/" + TinyWheel.filename("stub-grpc", "1.2"))).isEqualTo(1);
    }

    static Stream<Arguments> brokenWheels() {
        return Stream.of(true, false).flatMap(reachable -> Stream.of(
            Arguments.of("a module missing", reachable, "sochdb.database"),
            Arguments.of("a wrong __version__", reachable, "sochdb.__version__ is 9.9.9, not 0.3.2"),
            Arguments.of("an executable missing", reachable, LINUX_BIN + "sochdb-bulk is missing")));
    }

    @ParameterizedTest(name = "{0}, index in reach: {1}")
    @MethodSource("brokenWheels")
    void aBrokenWheelFailsWhetherOrNotTheDependenciesCanBeInstalled(String breakage, boolean reachable, String finding)
            throws IOException {
        Path original = built.get(0).wheel().path();
        Path broken = tmp.resolve(built.get(0).wheel().name());
        switch (breakage) {
            case "a module missing" -> WheelSurgery.without(original, broken, "sochdb/database.py");
            case "a wrong __version__" -> WheelSurgery.rewrite(original, broken, "sochdb/__init__.py", text -> {
                assertThat(text).contains("__version__ = \"0.3.2\"");
                return text.replace("__version__ = \"0.3.2\"", "__version__ = \"9.9.9\"");
            });
            default -> WheelSurgery.without(original, broken, LINUX_BIN + "sochdb-bulk");
        }
        Target target = new Target(built.get(0).triple(), built.get(0).tag(), built.get(0).executables(),
            new Artifact(broken.getFileName().toString(), "wheel", built.get(0).triple(), Files.size(broken),
                Digests.sha256Hex(broken), broken));
        if (reachable) {
            serveTheDependencies();
        }

        InstallReport report = proof(reachable ? pypi.simpleUrl() : unreachableIndex(), InstallSettings.Mode.AUTO)
            .prove(candidate(List.of(target), true));

        assertThat(report.matrix().failures()).as("pip still picks it everywhere").isEmpty();
        assertThat(report.state()).as(report.detail()).isEqualTo("failed");
        assertThat(report.smoke().state()).isEqualTo("failed");
        assertThat(report.smoke().detail()).contains(finding);
    }
}
