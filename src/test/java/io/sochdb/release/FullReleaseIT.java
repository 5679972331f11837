package io.sochdb.release;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.sochdb.release.fakes.FakeGitHub;
import io.sochdb.release.fakes.FakePyPI;
import io.sochdb.release.fakes.FakeRelease;
import io.sochdb.release.fakes.Seeds;
import io.sochdb.release.fixtures.ArchiveOptions;
import io.sochdb.release.fixtures.Fixtures;
import io.sochdb.release.fixtures.Processes;
import io.sochdb.release.fixtures.ReleaseEnvironment;
import io.sochdb.release.packaging.Digests;

/**
 * The whole pipeline through the packaged jar, for real (no dry run): upstream archives and the SDK tarball from a
 * fake GitHub, the SDK's release on that fake GitHub, and the files on a fake PyPI that pip then installs from.
 */
class FullReleaseIT {

    private static final String VERSION = "0.3.2";
    private static final String TAG = "v" + VERSION;
    private static final String SHA = "0123456789abcdef0123456789abcdef01234567";
    private static final String LINUX_WHEEL = "sochdb_client-0.3.2-py3-none-manylinux_2_17_x86_64.whl";
    private static final List<String> DISTRIBUTIONS = List.of(LINUX_WHEEL,
            "sochdb_client-0.3.2-py3-none-manylinux_2_17_aarch64.whl",
            "sochdb_client-0.3.2-py3-none-macosx_11_0_arm64.whl", "sochdb_client-0.3.2-py3-none-macosx_10_12_x86_64.whl",
            "sochdb_client-0.3.2-py3-none-win_amd64.whl", "sochdb_client-0.3.2.tar.gz");
    private static final String PYTHON = "/usr/bin/python3";
    private static final Duration TIMEOUT = Duration.ofMinutes(5);

    @TempDir
    Path tmp;
    private FakeGitHub github;
    private FakePyPI pypi;
    private final String githubToken = "ghp_full_release_it_" + UUID.randomUUID().toString().replace("-", "");
    private String pypiToken;

    @BeforeEach
    void start() throws IOException {
        github = FakeGitHub.start();
        pypi = FakePyPI.start();
        pypiToken = pypi.newApiToken();
        Seeds.sdkTarball(github, tmp, SHA);
        github.requireToken(githubToken);
    }

    @AfterEach
    void stop() {
        github.close();
        pypi.close();
    }

    @Test
    void aReleasePublishesOnGitHubAndPyPIAndPipInstallsIt() throws IOException {
        Seeds.upstreamRelease(github, tmp, VERSION);
        Path dist = tmp.resolve("dist");

        Processes.Result result = release(List.of(), Map.of(), dist);

        assertThat(result.exitCode()).as(result.describe()).isZero();
        FakeRelease published = github.release(Seeds.SDK, TAG);
        assertThat(published).as("the SDK's release " + TAG).isNotNull();
        assertThat(published.draft()).as("published, not a draft").isFalse();
        assertThat(published.assets()).extracting(FakeRelease.Asset::name)
                .containsExactlyInAnyOrderElementsOf(withChecksums(DISTRIBUTIONS));
        for (FakeRelease.Asset asset : published.assets()) {
            assertThat(asset.digest()).as(asset.name() + " on GitHub").isEqualTo("sha256:" + sha256(dist.resolve(asset.name())));
        }
        assertThat(pypi.files()).as("what the index holds").hasSize(DISTRIBUTIONS.size());
        for (String name : DISTRIBUTIONS) {
            assertThat(pypi.files().get(name)).as(name + " on PyPI").isEqualTo(sha256(dist.resolve(name)));
        }
        JsonNode summary = summary(dist);
        assertThat(summary.path("status").asText()).isEqualTo("succeeded");
        for (JsonNode step : summary.path("steps")) {
            assertThat(step.path("state").asText()).as("step " + step).isEqualTo("succeeded");
        }
        for (String name : DISTRIBUTIONS) {
            assertThat(artifact(summary, name).path("pypi").asText()).as(name + " in summary.json").isEqualTo("uploaded");
        }
        assertThat(github.violations()).isEmpty();
        assertThat(pypi.violations()).isEmpty();

        // The install proof: pip resolves exactly our wheel for 5 platforms × 5 Pythons from the index, and installs here.
        JsonNode proof = summary.path("install_proof");
        assertThat(proof.path("state").asText()).as(proof.toPrettyString()).isEqualTo("passed");
        assertThat(proof.path("source").asText()).isEqualTo(pypi.simpleUrl());
        assertThat(proof.path("matrix").path("pythons")).extracting(JsonNode::asText)
                .containsExactly("3.9", "3.10", "3.11", "3.12", "3.13");
        int cells = 0;
        for (JsonNode row : proof.path("matrix").path("rows")) {
            for (JsonNode cell : row.path("cells")) {
                assertThat(cell.path("state").asText()).as(row.path("tag").asText() + " " + cell).isEqualTo("ok");
                cells++;
            }
        }
        assertThat(cells).isEqualTo(25);
        assertThat(summary.path("not_attached_upstream")).isEmpty();
        assertThat(proof.path("smoke").path("state").asText()).as(proof.path("smoke").toString()).isEqualTo("passed");
        assertThat(proof.path("smoke").path("version").asText()).isEqualTo(VERSION);
        assertThat(proof.path("smoke").path("core_version").asText()).isEqualTo(VERSION);
        assertThat(summary.path("stamped_versions").path("__core_version__").asText()).isEqualTo(VERSION);
        System.out.println("install-proof took " + stepMillis(summary, "install-proof") + " ms");
        assertThat(result.stdout()).contains("## Install proof", "| manylinux_2_17_x86_64 | ok | ok | ok | ok | ok |");

        // One CHANGELOG pull request, linked from the summary.
        List<io.sochdb.release.fakes.FakeContents.PullRequest> pulls = github.contents(Seeds.SDK).pullRequests();
        assertThat(pulls).hasSize(1);
        assertThat(pulls.get(0).head()).isEqualTo("release/" + TAG);
        assertThat(github.contents(Seeds.SDK).file("release/" + TAG, "CHANGELOG.md")).contains("## [" + VERSION + "] - ");
        assertThat(summary.path("links").path("changelog_pr").asText()).endsWith("/" + Seeds.SDK + "/pull/1");

        Path venv = tmp.resolve("venv");
        Map<String, String> pipEnv = new HashMap<>(Processes.pipEnv());
        // From the fake index this time, and from nowhere else.
        pipEnv.put("PIP_NO_INDEX", null);
        pipEnv.put("PIP_CONFIG_FILE", "/dev/null");
        ok(Processes.run(List.of(PYTHON, "-m", "venv", venv.toString()), pipEnv, tmp, TIMEOUT));
        String python = venv.resolve("bin/python").toString();
        Processes.Result install = ok(Processes.run(List.of(python, "-m", "pip", "install", "--isolated", "--no-deps",
                "--root-user-action=ignore", "--index-url", pypi.simpleUrl(), "sochdb-client==" + VERSION), pipEnv, tmp, TIMEOUT));
        assertThat(install.stdout()).as(install.describe()).contains(LINUX_WHEEL);
        Processes.Result imported = ok(Processes.run(List.of(python, "-c", "import sochdb; print(sochdb.__version__)"),
                pipEnv, tmp, TIMEOUT));
        assertThat(imported.stdout().strip()).as(imported.describe()).isEqualTo(VERSION);
    }

    @Test
    void runningACompleteReleaseAgainWritesNothing() throws IOException {
        Seeds.upstreamRelease(github, tmp, VERSION);
        Processes.Result first = release(List.of(), Map.of(), tmp.resolve("dist"));
        assertThat(first.exitCode()).as(first.describe()).isZero();
        int githubWrites = github.writeRequests().size();
        int uploads = pypi.uploads().size();

        Processes.Result again = release(List.of(), Map.of(), tmp.resolve("dist-again"));

        assertThat(again.exitCode()).as(again.describe()).isZero();
        assertThat(github.writeRequests()).as("GitHub writes of the second run").hasSize(githubWrites);
        assertThat(pypi.uploads()).as("PyPI uploads of the second run").hasSize(uploads);
        JsonNode summary = summary(tmp.resolve("dist-again"));
        assertThat(summary.path("status").asText()).isEqualTo("succeeded");
        for (String name : DISTRIBUTIONS) {
            assertThat(artifact(summary, name).path("pypi").asText()).as(name).isEqualTo("already published, identical");
        }
        assertThat(github.release(Seeds.SDK, TAG).draft()).isFalse();
        assertThat(github.contents(Seeds.SDK).pullRequests()).as("no second CHANGELOG pull request").hasSize(1);
        assertThat(github.contents(Seeds.SDK).commits("release/" + TAG)).hasSize(1);
        assertThat(summary.path("install_proof").path("state").asText()).isEqualTo("passed");
        assertThat(step(summary, "changelog").path("detail").asText()).startsWith("pull request #1 already open");
    }

    @Test
    void aConflictingFileOnPyPIStopsTheReleaseBeforeAnythingIsPublic() throws IOException {
        Seeds.upstreamRelease(github, tmp, VERSION);
        pypi.addFile(LINUX_WHEEL, "not the wheel we build".getBytes(StandardCharsets.UTF_8));
        Map<String, String> before = pypi.files();
        Path dist = tmp.resolve("dist");

        Processes.Result result = release(List.of(), Map.of(), dist);

        assertThat(result.exitCode()).as(result.describe()).isEqualTo(1);
        assertThat(result.stdout()).as(result.describe()).contains("Failed at step `pypi`", LINUX_WHEEL);
        JsonNode summary = summary(dist);
        assertThat(summary.path("status").asText()).isEqualTo("failed");
        assertThat(summary.path("failed_step").asText()).isEqualTo("pypi");
        assertThat(summary.path("error").asText()).contains(LINUX_WHEEL, "different content");
        FakeRelease draft = github.release(Seeds.SDK, TAG);
        assertThat(draft).isNotNull();
        assertThat(draft.draft()).as("still a draft: nothing public on GitHub").isTrue();
        assertThat(pypi.uploads()).as("no file was sent to PyPI").isEmpty();
        assertThat(pypi.files()).as("the index holds only what it held").isEqualTo(before);
    }

    /** The wheel is streamed to PyPI as it is to GitHub: a heap that could not hold it does not matter. */
    @Test
    void aWheelLargerThanTheHeapIsUploaded() throws IOException {
        Path archives = Fixtures.allPlatformArchives(tmp.resolve("archives"), VERSION);
        Fixtures.platformArchive(archives, VERSION, "x86_64-unknown-linux-gnu",
                ArchiveOptions.defaults().withPayloadBytes(150L << 20));
        long upstream = github.addRelease(Seeds.UPSTREAM, TAG, false);
        try (Stream<Path> files = Files.list(archives)) {
            for (Path archive : files.sorted().toList()) {
                github.addAsset(Seeds.UPSTREAM, upstream, archive.getFileName().toString(), archive);
            }
        }
        pypi.maxFileSize(1L << 30);
        Path dist = tmp.resolve("dist");

        // pip would fetch the 150 MiB wheel six times: the install proof has its own tests.
        Processes.Result result = release(List.of("-Xmx64m"), Map.of("PYPI_MAX_FILE_SIZE", String.valueOf(1L << 30),
                "VERIFY_INSTALL", "off"), dist);

        assertThat(result.exitCode()).as(result.describe()).isZero();
        Path wheel = dist.resolve(LINUX_WHEEL);
        assertThat(Files.size(wheel)).isGreaterThan(150L << 20);
        assertThat(pypi.files().get(LINUX_WHEEL)).as("the big wheel on PyPI").isEqualTo(sha256(wheel));
        assertThat(github.release(Seeds.SDK, TAG).asset(LINUX_WHEEL).digest()).isEqualTo("sha256:" + sha256(wheel));
    }

    @Test
    void tokensNeverAppearInOutputOrSummaries() throws IOException {
        Seeds.upstreamRelease(github, tmp, VERSION);
        Processes.Result published = release(List.of(), Map.of(), tmp.resolve("dist"));
        assertThat(published.exitCode()).as(published.describe()).isZero();
        assertNoToken(published, tmp.resolve("dist"), githubToken, pypiToken);

        // The error path too: the index refuses a token, and the message about it must not repeat the token.
        pypi.reset();
        String refused = "pypi-refused-" + UUID.randomUUID();
        Processes.Result rejected = release(List.of(), Map.of("PYPI_TOKEN", refused), tmp.resolve("dist-refused"));
        assertThat(rejected.exitCode()).as(rejected.describe()).isEqualTo(1);
        assertThat(rejected.stdout()).as(rejected.describe()).contains("Failed at step `pypi`", "refused the credentials");
        assertNoToken(rejected, tmp.resolve("dist-refused"), githubToken, refused);
    }

    private Processes.Result release(List<String> jvmOptions, Map<String, String> extraEnv, Path dist) {
        String jar = System.getProperty("release.jar");
        assertThat(jar).as("system property release.jar (set by failsafe)").isNotBlank();
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(jvmOptions);
        command.addAll(List.of("-jar", jar, "release", "--version", VERSION, "--dist", dist.toString()));
        // Nothing from this machine may send the release elsewhere or authenticate it another way.
        Map<String, String> env = ReleaseEnvironment.against(github, githubToken, pypi, pypiToken, tmp.resolve("cache"));
        env.putAll(extraEnv);
        return Processes.run(command, env, tmp, TIMEOUT);
    }

    private static void assertNoToken(Processes.Result result, Path dist, String... tokens) throws IOException {
        String summaries = Files.readString(dist.resolve("summary.md")) + Files.readString(dist.resolve("summary.json"));
        for (String token : tokens) {
            // Not in the assertion message: a failure must not print the secret it is about.
            assertThat(result.stdout().contains(token)).as("a token in stdout").isFalse();
            assertThat(result.stderr().contains(token)).as("a token in stderr").isFalse();
            assertThat(summaries.contains(token)).as("a token in summary.md or summary.json").isFalse();
        }
    }

    private static JsonNode summary(Path dist) throws IOException {
        return new ObjectMapper().readTree(dist.resolve("summary.json").toFile());
    }

    private static JsonNode step(JsonNode summary, String name) {
        for (JsonNode step : summary.path("steps")) {
            if (step.path("name").asText().equals(name)) {
                return step;
            }
        }
        throw new AssertionError("no step " + name + " in summary.json");
    }

    private static long stepMillis(JsonNode summary, String name) {
        JsonNode step = step(summary, name);
        return Duration.between(java.time.Instant.parse(step.path("started").asText()),
                java.time.Instant.parse(step.path("finished").asText())).toMillis();
    }

    private static JsonNode artifact(JsonNode summary, String name) {
        for (JsonNode artifact : summary.path("artifacts")) {
            if (artifact.path("name").asText().equals(name)) {
                return artifact;
            }
        }
        throw new AssertionError(name + " is not among the artifacts of summary.json: " + summary.path("artifacts"));
    }

    private static List<String> withChecksums(List<String> names) {
        List<String> all = new ArrayList<>(names);
        all.add("SHA256SUMS");
        return all;
    }

    private static String sha256(Path file) throws IOException {
        return Digests.sha256Hex(file);
    }

    private static Processes.Result ok(Processes.Result result) {
        assertThat(result.ok()).as(result.describe()).isTrue();
        return result;
    }
}
