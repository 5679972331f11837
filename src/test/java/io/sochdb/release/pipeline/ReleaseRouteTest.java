package io.sochdb.release.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.EndpointInject;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.sochdb.release.ReleaseConfiguration;
import io.sochdb.release.failure.InvalidInputException;
import io.sochdb.release.fixtures.ArchiveOptions;
import io.sochdb.release.fixtures.Fixtures;
import io.sochdb.release.run.ReleaseRequest;
import io.sochdb.release.run.ReleaseRun;

/** Drives the real Camel context, routes and beans, with the application's own configuration. */
@CamelMainTest(configurationClasses = ReleaseConfiguration.class, properties = {
        "camel.main.routes-exclude-pattern=**/triggers.camel.yaml,**/runs.camel.yaml",
        "camel.server.enabled=false", "camel.management.enabled=false"})
class ReleaseRouteTest {

    private static final List<String> WHEELS = List.of(
            "sochdb_client-0.3.2-py3-none-macosx_11_0_arm64.whl",
            "sochdb_client-0.3.2-py3-none-manylinux_2_17_x86_64.whl",
            "sochdb_client-0.3.2-py3-none-win_amd64.whl",
            "sochdb_client-0.3.2-py3-none-manylinux_2_17_aarch64.whl",
            "sochdb_client-0.3.2-py3-none-macosx_10_12_x86_64.whl");

    @EndpointInject("direct:release")
    ProducerTemplate release;

    @TempDir
    Path tmp;

    private ReleaseRun run(ReleaseRequest request) {
        ReleaseRun run = new ReleaseRun(request, Clock.systemUTC());
        String markdown = release.requestBody(run, String.class);
        assertThat(markdown).startsWith("# ");
        return run;
    }

    private ReleaseRequest request(String version, Path archives, boolean dryRun) {
        return new ReleaseRequest(version, null, dryRun, tmp.resolve("dist"), archives,
                Fixtures.sdkSource(tmp.resolve("sdk")));
    }

    @Test
    void dryRunBuildsEveryFileAndSkipsPublishing() throws IOException {
        Path archives = Fixtures.allPlatformArchives(tmp.resolve("archives"), "0.3.2");
        ReleaseRun run = run(request("0.3.2", archives, true));

        assertThat(run.failure()).isNull();
        List<String> expected = new java.util.ArrayList<>(WHEELS);
        expected.addAll(List.of("sochdb_client-0.3.2.tar.gz", "SHA256SUMS", "summary.md", "summary.json"));
        assertThat(names(tmp.resolve("dist"))).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(run.steps()).extracting(ReleaseRun.Step::name, ReleaseRun.Step::state).containsExactly(
                org.assertj.core.groups.Tuple.tuple("resolve", ReleaseRun.State.SUCCEEDED),
                org.assertj.core.groups.Tuple.tuple("wheels", ReleaseRun.State.SUCCEEDED),
                org.assertj.core.groups.Tuple.tuple("sdist", ReleaseRun.State.SUCCEEDED),
                org.assertj.core.groups.Tuple.tuple("checks", ReleaseRun.State.SUCCEEDED),
                org.assertj.core.groups.Tuple.tuple("outputs", ReleaseRun.State.SUCCEEDED),
                org.assertj.core.groups.Tuple.tuple("github-draft", ReleaseRun.State.SKIPPED),
                org.assertj.core.groups.Tuple.tuple("pypi", ReleaseRun.State.SKIPPED),
                org.assertj.core.groups.Tuple.tuple("github-publish", ReleaseRun.State.SKIPPED),
                org.assertj.core.groups.Tuple.tuple("verify", ReleaseRun.State.SKIPPED),
                org.assertj.core.groups.Tuple.tuple("install-proof", ReleaseRun.State.SUCCEEDED),
                org.assertj.core.groups.Tuple.tuple("changelog", ReleaseRun.State.SKIPPED));

        JsonNode summary = new ObjectMapper().readTree(tmp.resolve("dist/summary.json").toFile());
        assertThat(summary.path("status").asText()).isEqualTo("succeeded");
        assertThat(summary.path("platforms")).hasSize(5);
        assertThat(summary.path("platforms").findValuesAsText("triple")).containsExactlyElementsOf(Fixtures.DEFAULT_TRIPLES);
        assertThat(summary.path("not_attached_upstream")).isEmpty();
        for (JsonNode platform : summary.path("platforms")) {
            Path wheel = tmp.resolve("dist").resolve(platform.path("wheel").asText());
            assertThat(platform.path("status").asText()).isEqualTo("built");
            assertThat(platform.path("size").asLong()).isEqualTo(Files.size(wheel));
            assertThat(platform.path("sha256").asText()).isEqualTo(io.sochdb.release.packaging.Digests.sha256Hex(wheel));
            assertThat(platform.path("sochdb_version").asText()).isEqualTo("0.3.2");
        }
        assertThat(summary.path("links").path("upstream_release").asText())
                .isEqualTo("https://github.com/sochdb/sochdb/releases/tag/v0.3.2");
        assertThat(Files.readString(tmp.resolve("dist/SHA256SUMS")).lines()).hasSize(6);

        // The dry run's pre-check: pip resolves each local wheel for each platform and Python, and it installs here.
        JsonNode proof = summary.path("install_proof");
        assertThat(proof.path("state").asText()).as(proof.toString()).isEqualTo("passed");
        assertThat(proof.path("source").asText()).isEqualTo("the built files (no index)");
        assertThat(proof.path("matrix").path("pythons")).hasSize(5);
        assertThat(proof.path("matrix").path("rows")).hasSize(5);
        assertThat(proof.findValuesAsText("state")).containsOnly("passed", "ok");
        assertThat(proof.path("smoke").path("core_version").asText()).isEqualTo("0.3.2");
        assertThat(summary.path("stamped_versions").path("__version__").asText()).isEqualTo("0.3.2");
        assertThat(summary.path("stamped_versions").path("__core_version__").asText()).isEqualTo("0.3.2");
        String markdown = Files.readString(tmp.resolve("dist/summary.md"));
        assertThat(markdown).contains("## Install proof", "| x86_64-unknown-linux-gnu | manylinux_2_17_x86_64 | ok | ok | ok | ok | ok |",
                "`__core_version__` = \"0.3.2\"");
    }

    @Test
    void normalisesThePep440VersionButKeepsTheUpstreamOne() throws IOException {
        Fixtures.classicPlatformArchives(tmp.resolve("archives"), "1.0.0-rc1");
        ReleaseRun run = run(request("1.0.0-rc1", tmp.resolve("archives"), true));

        assertThat(run.failure()).isNull();
        assertThat(names(tmp.resolve("dist"))).contains("sochdb_client-1.0.0rc1-py3-none-win_amd64.whl",
                "sochdb_client-1.0.0rc1.tar.gz");
    }

    @Test
    void aMissingArchiveFailsTheResolveStepAndNamesTheFile() throws IOException {
        Path archives = Fixtures.allPlatformArchives(tmp.resolve("archives"), "0.3.2");
        Files.delete(archives.resolve("sochdb-0.3.2-x86_64-pc-windows-msvc.zip"));
        ReleaseRun run = run(request("0.3.2", archives, true));

        assertThat(run.failedStep()).isEqualTo("resolve");
        assertThat(run.failure()).hasMessageContaining("sochdb-0.3.2-x86_64-pc-windows-msvc.zip");
        assertThat(names(tmp.resolve("dist"))).containsExactlyInAnyOrder("summary.md", "summary.json");
    }

    // An older upstream release (or an --archives folder with three files): the two optional platforms are named
    // as not attached upstream, and the release goes on with the rest.
    @Test
    void optionalPlatformsWithoutArchiveAreLeftOutAndNamed() throws IOException {
        Path archives = Fixtures.classicPlatformArchives(tmp.resolve("archives"), "0.3.2");
        ReleaseRun run = run(request("0.3.2", archives, true));

        assertThat(run.failure()).isNull();
        assertThat(names(tmp.resolve("dist"))).containsExactlyInAnyOrder(WHEELS.get(0), WHEELS.get(1), WHEELS.get(2),
                "sochdb_client-0.3.2.tar.gz", "SHA256SUMS", "summary.md", "summary.json");
        JsonNode summary = new ObjectMapper().readTree(tmp.resolve("dist/summary.json").toFile());
        assertThat(summary.path("status").asText()).isEqualTo("succeeded");
        assertThat(summary.path("not_attached_upstream")).extracting(JsonNode::asText)
                .containsExactly("aarch64-unknown-linux-gnu", "x86_64-apple-darwin");
        JsonNode intelMac = summary.path("platforms").get(4);
        assertThat(intelMac.path("triple").asText()).isEqualTo("x86_64-apple-darwin");
        assertThat(intelMac.path("status").asText()).isEqualTo("not attached upstream");
        assertThat(intelMac.path("wheel").isNull()).isTrue();
        assertThat(intelMac.path("archive").asText()).isEqualTo("sochdb-0.3.2-x86_64-apple-darwin.tar.gz");
        assertThat(summary.path("install_proof").path("matrix").path("rows")).hasSize(3);
        assertThat(step(run, "resolve").detail()).endsWith("not attached upstream: aarch64-unknown-linux-gnu, x86_64-apple-darwin");
        String markdown = Files.readString(tmp.resolve("dist/summary.md"));
        assertThat(markdown).contains("- Not attached upstream: `aarch64-unknown-linux-gnu`, `x86_64-apple-darwin`",
                "| aarch64-unknown-linux-gnu | manylinux_2_17_aarch64 | not attached upstream | - | - | - |");
    }

    @Test
    void aMissingOptionalArchiveDoesNotHideAMissingRequiredOne() throws IOException {
        Path archives = Fixtures.classicPlatformArchives(tmp.resolve("archives"), "0.3.2");
        Files.delete(archives.resolve("sochdb-0.3.2-aarch64-apple-darwin.tar.gz"));
        ReleaseRun run = run(request("0.3.2", archives, true));

        assertThat(run.failedStep()).isEqualTo("resolve");
        assertThat(run.failure()).hasMessageContaining("lacks sochdb-0.3.2-aarch64-apple-darwin.tar.gz (upstream version 0.3.2")
                .hasMessageNotContaining("x86_64-apple-darwin");
        assertThat(names(tmp.resolve("dist"))).containsExactlyInAnyOrder("summary.md", "summary.json");
    }

    @Test
    void oneBadPlatformKeepsEveryWheelOutOfTheDistFolder() throws IOException {
        Path archives = Fixtures.allPlatformArchives(tmp.resolve("archives"), "0.3.2");
        Fixtures.platformArchive(archives, "0.3.2", "aarch64-apple-darwin",
                ArchiveOptions.defaults().withOmit("libsochdb_index.dylib"));
        ReleaseRun run = run(request("0.3.2", archives, true));

        assertThat(run.failedStep()).isEqualTo("wheels");
        assertThat(run.failure()).hasMessageContaining("aarch64-apple-darwin")
                .hasMessageContaining("lacks libsochdb_index.dylib");
        // The other platforms built, but nothing of a failed release may reach the dist folder.
        assertThat(names(tmp.resolve("dist"))).containsExactlyInAnyOrder("summary.md", "summary.json");
        JsonNode summary = new ObjectMapper().readTree(tmp.resolve("dist/summary.json").toFile());
        assertThat(summary.path("status").asText()).isEqualTo("failed");
        assertThat(summary.path("failed_step").asText()).isEqualTo("wheels");
        assertThat(summary.findValuesAsText("status")).contains("failed", "built, not kept");
        assertThat(Files.readString(tmp.resolve("dist/summary.md"))).contains("Failed at step `wheels`");
    }

    @Test
    void anSdkWithoutProjectTableIsInvalidInput() throws IOException {
        Path archives = Fixtures.allPlatformArchives(tmp.resolve("archives"), "0.3.2");
        Path sdk = Fixtures.sdkSource(tmp.resolve("sdk"));
        Files.writeString(sdk.resolve("pyproject.toml"), "[build-system]\nrequires = [\"setuptools\"]\n");
        ReleaseRun run = new ReleaseRun(new ReleaseRequest("0.3.2", null, true, tmp.resolve("dist"), archives, sdk),
                Clock.systemUTC());
        release.requestBody(run, String.class);

        assertThat(run.failure()).isInstanceOf(InvalidInputException.class).hasMessageContaining("[project]");
        assertThat(names(tmp.resolve("dist"))).noneMatch(n -> n.endsWith(".whl") || n.endsWith(".tar.gz"));
    }

    @Test
    void aRealReleaseWithoutGitHubTokenStopsBeforeAnythingIsPublic() throws IOException {
        Path archives = Fixtures.allPlatformArchives(tmp.resolve("archives"), "0.3.2");
        ReleaseRun run = run(request("0.3.2", archives, false));

        assertThat(run.failedStep()).isEqualTo("github-draft");
        assertThat(run.failure()).hasMessageContaining("GITHUB_TOKEN is not set");
    }

    private static ReleaseRun.Step step(ReleaseRun run, String name) {
        return run.steps().stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
    }

    private static List<String> names(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.map(p -> p.getFileName().toString()).toList();
        }
    }
}
