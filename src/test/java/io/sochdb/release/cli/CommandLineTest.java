package io.sochdb.release.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.sochdb.release.cli.CommandLine.Command;
import io.sochdb.release.cli.CommandLine.Help;
import io.sochdb.release.cli.CommandLine.Release;
import io.sochdb.release.cli.CommandLine.Service;
import io.sochdb.release.failure.InvalidInputException;
import io.sochdb.release.run.ReleaseRequest;

class CommandLineTest {

    private static final String DEFAULT_DIST = "/var/lib/release/dist";

    @Test
    void noArgumentsRunsTheService() {
        assertThat(parse()).isInstanceOf(Service.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"--help", "-h", "help"})
    void helpFlags(String flag) {
        assertThat(parse(flag)).isInstanceOf(Help.class);
    }

    // --help wins even after other options, so a half-typed command line still shows the usage.
    @Test
    void helpInsideReleaseOptions() {
        assertThat(parse("release", "--dry-run", "--help")).isInstanceOf(Help.class);
    }

    @Test
    void releaseWithEveryOption() {
        ReleaseRequest request = release("release", "--version", "0.3.2", "--dry-run", "--dist", "d",
                "--archives", "a", "--sdk-source", "s");
        assertThat(request).isEqualTo(new ReleaseRequest("0.3.2", null, true, Path.of("d"), Path.of("a"), Path.of("s")));
        assertThat(request.upstreamVersion()).isEqualTo("0.3.2");
    }

    @Test
    void inlineValuesAndSochdbVersion() {
        ReleaseRequest request = release("release", "--version=0.3.2", "--sochdb-version=0.3.1", "--dist=out/dist");
        assertThat(request.version()).isEqualTo("0.3.2");
        assertThat(request.sochdbVersion()).isEqualTo("0.3.1");
        assertThat(request.upstreamVersion()).isEqualTo("0.3.1");
        assertThat(request.dist()).isEqualTo(Path.of("out/dist"));
    }

    @Test
    void defaultsComeFromTheCallerAndAreOff() {
        ReleaseRequest request = release("release", "--version", "1.0.0rc1");
        assertThat(request.dist()).isEqualTo(Path.of(DEFAULT_DIST));
        assertThat(request.dryRun()).isFalse();
        assertThat(request.archives()).isNull();
        assertThat(request.sdkSource()).isNull();
        assertThat(request.sochdbVersion()).isNull();
    }

    @Test
    void unknownOptionIsNamed() {
        assertInvalid(List.of("release", "--version", "0.3.2", "--publish"), "unknown option \"--publish\"");
    }

    @Test
    void unknownCommandIsNamed() {
        assertInvalid(List.of("deploy", "--version", "0.3.2"), "unknown command or option \"deploy\"");
        assertInvalid(List.of("--dry-run"), "\"--dry-run\"");
    }

    @Test
    void missingVersionIsNamed() {
        assertInvalid(List.of("release", "--dry-run"), "release needs --version");
    }

    // "--version --dry-run" must not release a version called "--dry-run".
    @Test
    void versionWithoutValueIsNamed() {
        assertInvalid(List.of("release", "--version"), "--version needs a value");
        assertInvalid(List.of("release", "--version", "--dry-run"), "--version needs a value");
        assertInvalid(List.of("release", "--version="), "--version needs a value");
        assertInvalid(List.of("release", "--version", "0.3.2", "--dist"), "--dist needs a value");
    }

    @Test
    void dryRunTakesNoValue() {
        assertInvalid(List.of("release", "--version", "0.3.2", "--dry-run=yes"), "--dry-run takes no value");
    }

    // Tags are how people see releases on GitHub; v0.3.2 means 0.3.2 for both the SDK and upstream.
    @Test
    void aLeadingVIsTheTagSpellingAndIsDropped() {
        ReleaseRequest request = release("release", "--version", "v0.3.2");
        assertThat(request.version()).isEqualTo("0.3.2");
        assertThat(request.upstreamVersion()).isEqualTo("0.3.2");
        ReleaseRequest both = release("release", "--version=V1.0.0rc1", "--sochdb-version", "v0.3.1");
        assertThat(both.version()).isEqualTo("1.0.0rc1");
        assertThat(both.sochdbVersion()).isEqualTo("0.3.1");
    }

    // The user typed --version only: the error must not talk about an option they never used.
    @Test
    void aBadVersionIsBlamedOnTheOptionTyped() {
        assertInvalid(List.of("release", "--version", "vx.y"), "--version: invalid version \"vx.y\"");
        assertInvalid(List.of("release", "--version", "1!2.0"),
                "--version \"1!2.0\" also names the upstream sochdb release");
        assertInvalid(List.of("release", "--version", "1!2.0"), "--sochdb-version");
        assertThat(release("release", "--version", "1!2.0", "--sochdb-version", "2.0").version()).isEqualTo("1!2.0");
        assertInvalid(List.of("release", "--version", "0.3.2", "--sochdb-version", "0.3/2"),
                "--sochdb-version \"0.3/2\": expected an upstream release version");
        assertThatThrownBy(() -> parse("release", "--version", "1!2.0"))
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("sochdb_version"));
    }

    @Test
    void aRepeatedOptionIsRefused() {
        assertInvalid(List.of("release", "--version", "0.3.2", "--version", "0.3.3"),
                "--version is given more than once");
        assertInvalid(List.of("release", "--version=0.3.2", "--version", "0.3.2"), "--version is given more than once");
        assertInvalid(List.of("release", "--version", "0.3.2", "--dry-run", "--dry-run"),
                "--dry-run is given more than once");
        assertInvalid(List.of("release", "--version", "0.3.2", "--dist", "a", "--dist=b"), "--dist is given more than once");
    }

    private static Command parse(String... args) {
        return CommandLine.parse(List.of(args), DEFAULT_DIST);
    }

    private static ReleaseRequest release(String... args) {
        Command command = parse(args);
        assertThat(command).isInstanceOf(Release.class);
        return ((Release) command).request();
    }

    private static void assertInvalid(List<String> args, String fragment) {
        assertThatThrownBy(() -> CommandLine.parse(args, DEFAULT_DIST))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining(fragment)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }
}
