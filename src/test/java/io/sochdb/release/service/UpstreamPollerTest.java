package io.sochdb.release.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.sochdb.release.fakes.FakeGitHub;
import io.sochdb.release.github.GitHubClient;
import io.sochdb.release.github.GitHubSettings;

/** The poller against a fake GitHub: what counts as new, and nothing started twice. */
class UpstreamPollerTest {

    @TempDir
    Path tmp;
    private FakeGitHub fake;
    private GitHubWebhookTest.StubReleases releases;
    private ReleaseRuns runs;
    private GitHubClient github;

    @BeforeEach
    void start() throws Exception {
        fake = FakeGitHub.start();
        releases = new GitHubWebhookTest.StubReleases();
        runs = releases.runs(tmp.resolve("dist"));
        github = new GitHubClient(new GitHubSettings(fake.apiUrl(), fake.uploadUrl(), null, "test", 2,
                Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofSeconds(1)));
        fake.addRelease("sochdb/sochdb", "v0.3.0", false);
        fake.addRelease("sochdb/sochdb", "v0.3.1", false);
    }

    @AfterEach
    void stop() throws Exception {
        github.close();
        releases.close();
        fake.close();
    }

    @Test
    void releasesThatExistAtTheFirstPollAreLeftAloneAndANewOneStartsOnce() {
        UpstreamPoller poller = new UpstreamPoller(github, "sochdb/sochdb", false, runs, null, releases.pollerMemory());
        poller.poll();
        assertThat(releases.submitted()).isZero();

        fake.addRelease("sochdb/sochdb", "v0.3.2", false);
        fake.addRelease("sochdb/sochdb", "v0.4.0", true);
        poller.poll();
        poller.poll();

        assertThat(releases.submitted()).as("v0.3.2 once; the draft v0.4.0 never").isEqualTo(1);
        assertThat(runs.live("0.3.2")).isPresent();
    }

    @Test
    void sinceMakesLaterExistingReleasesDue() {
        fake.addRelease("sochdb/sochdb", "v0.3.2", false);
        UpstreamPoller poller = new UpstreamPoller(github, "sochdb/sochdb", false, runs, "v0.3.1", releases.pollerMemory());
        poller.poll();
        poller.poll();

        assertThat(releases.submitted()).isEqualTo(1);
        assertThat(runs.live("0.3.2")).isPresent();
        assertThat(runs.live("0.3.1")).isEmpty();
    }

    @Test
    void upstreamVersionsOrderLikeSemver() {
        assertThat(UpstreamVersions.compare("0.3.10", "0.3.9")).isPositive();
        assertThat(UpstreamVersions.compare("1.0.0-rc1", "1.0.0")).isNegative();
        assertThat(UpstreamVersions.compare("1.0.0-rc2", "1.0.0-rc1")).isPositive();
        assertThat(UpstreamVersions.compare("1.0", "1.0.0")).isZero();
        assertThat(UpstreamVersions.compare("2.0.0", "10.0.0")).isNegative();
    }
}
