package io.sochdb.release.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Properties;

import org.apache.camel.builder.AdviceWith;
import org.apache.camel.main.MainConfigurationProperties;
import org.apache.camel.model.BeanDefinition;
import org.apache.camel.test.main.junit5.CamelMainTestSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.sochdb.release.ReleaseConfiguration;
import io.sochdb.release.fakes.FakeGitHub;
import io.sochdb.release.fakes.FakeRelease;
import io.sochdb.release.fakes.Seeds;
import io.sochdb.release.packaging.Digests;
import io.sochdb.release.run.ReleaseRequest;
import io.sochdb.release.run.ReleaseRun;

/**
 * A whole release from GitHub to GitHub through the real routes: upstream archives and the SDK tarball come from
 * the fake, and the SDK's release ends published, with its CHANGELOG pull request. The PyPI steps and the install
 * proof are advised away: they have their own tests.
 */
class GitHubReleaseTest extends CamelMainTestSupport {

    private static final String TOKEN = "ghp_release_test_token_0123456789";
    private static final String SHA = "0123456789abcdef0123456789abcdef01234567";
    // Static: the Camel context is configured from the superclass constructor, before instance fields exist.
    private static final FakeGitHub FAKE = FakeGitHub.start();
    private static final Path WORK = temp();

    @Override
    protected void configure(MainConfigurationProperties configuration) {
        configuration.addConfiguration(ReleaseConfiguration.class);
    }

    @Override
    protected Properties useOverridePropertiesWithPropertiesComponent() {
        Properties properties = new Properties();
        properties.put("github.api-url", FAKE.apiUrl());
        properties.put("github.upload-url", FAKE.uploadUrl());
        properties.put("github.token", TOKEN);
        properties.put("github.retry.initial-backoff-ms", "10");
        properties.put("release.cache-dir", WORK.resolve("cache").toString());
        properties.put("upstream.asset-poll-seconds", "1");
        properties.put("camel.main.routes-exclude-pattern", "**/triggers.camel.yaml,**/runs.camel.yaml");
        properties.put("camel.server.enabled", "false");
        properties.put("camel.management.enabled", "false");
        return properties;
    }

    @Override
    public boolean isUseAdviceWith() {
        return true;
    }

    @BeforeEach
    void seedAndStart() throws Exception {
        FAKE.reset();
        Seeds.upstreamRelease(FAKE, WORK, "0.3.2");
        Seeds.sdkTarball(FAKE, WORK, SHA);
        FAKE.requireToken(TOKEN);
        for (String step : List.of("pypi", "verify", "install-proof")) {
            AdviceWith.adviceWith(context, step, route -> route.weaveByType(BeanDefinition.class).selectLast().replace()
                    .process(exchange -> exchange.getProperty(StepTracker.RUN_PROPERTY, ReleaseRun.class)
                            .skip("advised away in this test")));
        }
        context.start();
    }

    @AfterAll
    static void stopFake() {
        FAKE.close();
    }

    private ReleaseRun release(boolean dryRun, Path dist) {
        ReleaseRun run = new ReleaseRun(new ReleaseRequest("0.3.2", null, dryRun, dist, null, null), Clock.systemUTC());
        template.requestBody("direct:release", run, String.class);
        return run;
    }

    @Test
    void aFullReleaseEndsPublishedWithEveryFileAndARerunWritesNothing() throws IOException {
        Path dist = WORK.resolve("dist-full");
        ReleaseRun run = release(false, dist);

        assertThat(run.failure()).as("release failure").isNull();
        FakeRelease published = FAKE.release("sochdb/sochdb-python-sdk", "v0.3.2");
        assertThat(published.draft()).isFalse();
        assertThat(published.name()).isEqualTo("Release v0.3.2");
        assertThat(published.body()).contains("pip install sochdb-client==0.3.2", "v0.3.2");
        List<String> built = List.of("SHA256SUMS", "sochdb_client-0.3.2-py3-none-macosx_11_0_arm64.whl",
                "sochdb_client-0.3.2-py3-none-manylinux_2_17_x86_64.whl", "sochdb_client-0.3.2-py3-none-win_amd64.whl",
                "sochdb_client-0.3.2-py3-none-manylinux_2_17_aarch64.whl",
                "sochdb_client-0.3.2-py3-none-macosx_10_12_x86_64.whl", "sochdb_client-0.3.2.tar.gz");
        assertThat(published.assets()).extracting(FakeRelease.Asset::name).containsExactlyInAnyOrderElementsOf(built);
        for (FakeRelease.Asset asset : published.assets()) {
            assertThat(asset.digest()).isEqualTo("sha256:" + Digests.sha256Hex(dist.resolve(asset.name())));
        }
        assertThat(run.sdkSource()).isEqualTo("sochdb/sochdb-python-sdk@" + SHA);
        assertThat(Files.readString(dist.resolve("summary.json"))).contains(SHA, published.assets().get(0).name());
        assertThat(FAKE.violations()).isEmpty();
        assertThat(FAKE.contents("sochdb/sochdb-python-sdk").pullRequests()).hasSize(1);
        assertThat(FAKE.contents("sochdb/sochdb-python-sdk").file("release/v0.3.2", "CHANGELOG.md"))
                .contains("## [0.3.2] - ", "pip install sochdb-client==0.3.2");
        assertThat(Files.readString(dist.resolve("summary.json"))).contains("\"changelog_pr\"");

        int writes = FAKE.writeRequests().size();
        ReleaseRun again = release(false, WORK.resolve("dist-again"));
        assertThat(again.failure()).isNull();
        assertThat(FAKE.writeRequests()).as("a rerun of a complete release").hasSize(writes);
        assertThat(FAKE.contents("sochdb/sochdb-python-sdk").pullRequests()).hasSize(1);
        assertThat(Files.readString(WORK.resolve("dist-full/summary.md"))).doesNotContain(TOKEN);
    }

    @Test
    void aDryRunFromGitHubDownloadsAndBuildsButWritesNothing() throws IOException {
        ReleaseRun run = release(true, WORK.resolve("dist-dry"));

        assertThat(run.failure()).isNull();
        assertThat(FAKE.writeRequests()).isEmpty();
        assertThat(FAKE.release("sochdb/sochdb-python-sdk", "v0.3.2")).isNull();
        assertThat(run.steps()).filteredOn(s -> s.name().startsWith("github"))
                .extracting(ReleaseRun.Step::state).containsOnly(ReleaseRun.State.SKIPPED);
        assertThat(run.artifacts()).hasSize(7);
    }

    private static Path temp() {
        try {
            return Files.createTempDirectory("github-release-test");
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
