package io.sochdb.release;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.sochdb.release.fakes.FakeGitHub;
import io.sochdb.release.fakes.FakeRelease;
import io.sochdb.release.fakes.Seeds;
import io.sochdb.release.fixtures.Fixtures;
import io.sochdb.release.fixtures.Processes;

/** The packaged jar against a fake GitHub: downloads, the SDK tarball, and a real release that stays a draft. */
class GitHubReleaseIT {

    private static final String TOKEN = "ghp_it_secret_token_must_never_print";
    private static final String SHA = "89abcdef0123456789abcdef0123456789abcdef";

    @TempDir
    Path tmp;
    private FakeGitHub fake;

    @BeforeEach
    void seed() throws IOException {
        fake = FakeGitHub.start();
        Seeds.upstreamRelease(fake, tmp, "0.3.2");
        Seeds.sdkTarball(fake, tmp, SHA);
        fake.requireToken(TOKEN);
    }

    @AfterEach
    void stop() {
        fake.close();
    }

    private Processes.Result jar(String... args) {
        return jar(Map.of(), args);
    }

    private Processes.Result jar(Map<String, String> extraEnv, String... args) {
        List<String> command = new java.util.ArrayList<>(List.of("java", "-jar", System.getProperty("release.jar")));
        command.addAll(List.of(args));
        Map<String, String> env = new java.util.HashMap<>();
        env.put("GITHUB_API_URL", fake.apiUrl());
        env.put("GITHUB_UPLOAD_URL", fake.uploadUrl());
        env.put("GITHUB_TOKEN", TOKEN);
        env.put("CACHE_DIR", tmp.resolve("cache").toString());
        env.put("GITHUB_RETRY_INITIAL_BACKOFF_MS", "10");
        // No PyPI credentials here, and no index but this machine's: the release must stop before uploading.
        env.put("PYPI_URL", fake.baseUrl() + "/no-index");
        env.put("PYPI_REPOSITORY_URL", fake.baseUrl() + "/no-index/legacy/");
        env.put("PYPI_TOKEN", null);
        env.put("ACTIONS_ID_TOKEN_REQUEST_URL", null);
        env.put("ACTIONS_ID_TOKEN_REQUEST_TOKEN", null);
        env.putAll(extraEnv);
        return Processes.run(command, env, tmp, Duration.ofMinutes(3));
    }

    @Test
    void aDryRunTakesEverythingFromGitHubAndWritesNothing() {
        Processes.Result result = jar("release", "--version", "0.3.2", "--dry-run", "--dist", tmp.resolve("dist").toString());

        assertThat(result.exitCode()).as(result.describe()).isZero();
        assertThat(result.stdout()).contains("SDK source: sochdb/sochdb-python-sdk@" + SHA,
                "sochdb_client-0.3.2-py3-none-win_amd64.whl");
        assertThat(fake.writeRequests()).isEmpty();
        assertThat(fake.violations()).isEmpty();
        assertThat(result.stdout() + result.stderr()).doesNotContain(TOKEN);
    }

    @Test
    void aRealReleaseStagesTheDraftAndStopsBeforeAnythingIsPublic() {
        Processes.Result result = jar("release", "--version", "0.3.2", "--dist", tmp.resolve("dist").toString());

        assertThat(result.exitCode()).as(result.describe()).isEqualTo(1);
        assertThat(result.stdout()).contains("Failed at step `pypi`", "no PyPI credentials");
        FakeRelease draft = fake.release("sochdb/sochdb-python-sdk", "v0.3.2");
        assertThat(draft).isNotNull();
        assertThat(draft.draft()).as("still a draft: PyPI did not get the files").isTrue();
        assertThat(draft.assets()).hasSize(7);
        assertThat(result.stdout() + result.stderr()).doesNotContain(TOKEN);
    }

    // An upstream release from before aarch64 Linux and Intel macOS builds: the release waits the short grace for
    // them, not the half hour required archives get, then goes on and says which platforms have no wheel.
    @Test
    void anUpstreamReleaseWithOnlyTheRequiredArchivesNamesTheOthersInTheNotes() throws IOException {
        Seeds.upstreamRelease(fake, tmp, "0.3.1", Fixtures.CLASSIC_TRIPLES);

        Processes.Result result = jar(Map.of("UPSTREAM_OPTIONAL_ASSET_GRACE_SECONDS", "1"), "release", "--version",
                "0.3.1", "--dist", tmp.resolve("dist").toString());

        assertThat(result.exitCode()).as(result.describe()).isEqualTo(1);
        assertThat(result.stdout()).contains("Failed at step `pypi`",
                "- Not attached upstream: `aarch64-unknown-linux-gnu`, `x86_64-apple-darwin`");
        assertThat(result.stderr()).contains("sochdb-0.3.1-x86_64-apple-darwin.tar.gz (optional)] so far",
                "has every required archive; not attached upstream");
        FakeRelease draft = fake.release("sochdb/sochdb-python-sdk", "v0.3.1");
        assertThat(draft.assets()).extracting(FakeRelease.Asset::name).containsExactlyInAnyOrder("SHA256SUMS",
                "sochdb_client-0.3.1-py3-none-manylinux_2_17_x86_64.whl",
                "sochdb_client-0.3.1-py3-none-macosx_11_0_arm64.whl", "sochdb_client-0.3.1-py3-none-win_amd64.whl",
                "sochdb_client-0.3.1.tar.gz");
        assertThat(draft.body()).contains("| aarch64-unknown-linux-gnu | - | not attached upstream |",
                "| x86_64-apple-darwin | - | not attached upstream |", "Not attached upstream: `aarch64-unknown-linux-gnu`");
        JsonNode summary = new ObjectMapper().readTree(tmp.resolve("dist/summary.json").toFile());
        assertThat(summary.path("not_attached_upstream")).extracting(JsonNode::asText)
                .containsExactly("aarch64-unknown-linux-gnu", "x86_64-apple-darwin");
    }

    @Test
    void aMissingUpstreamReleaseIsNamed() {
        Processes.Result result = jar("release", "--version", "0.4.0", "--dry-run", "--dist", tmp.resolve("dist").toString());

        assertThat(result.exitCode()).as(result.describe()).isEqualTo(1);
        assertThat(result.stdout()).contains("Release not found: sochdb/sochdb has no release v0.4.0");
    }
}
