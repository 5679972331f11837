package io.sochdb.release.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.sochdb.release.fakes.FakeGitHub;
import io.sochdb.release.github.GitHubClient;
import io.sochdb.release.github.GitHubSettings;
import io.sochdb.release.state.PollerStore;
import io.sochdb.release.state.StateDatabase;

/** The poller against a fake GitHub: what counts as new, and nothing asked for twice. */
class UpstreamPollerTest {

    @TempDir
    Path tmp;
    private FakeGitHub fake;
    private GitHubClient github;
    private StateDatabase db;

    @BeforeEach
    void start() throws Exception {
        fake = FakeGitHub.start();
        db = StateDatabase.open("", null, null, tmp.resolve("state"));
        github = new GitHubClient(new GitHubSettings(fake.apiUrl(), fake.uploadUrl(), null, "test", 2,
                Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofSeconds(1)));
        fake.addRelease("sochdb/sochdb", "v0.3.0", false);
        fake.addRelease("sochdb/sochdb", "v0.3.1", false);
    }

    @AfterEach
    void stop() throws Exception {
        github.close();
        db.close();
        fake.close();
    }

    private UpstreamPoller poller(String since) {
        return new UpstreamPoller(github, "sochdb/sochdb", false, since, new PollerStore(db, Clock.systemUTC()));
    }

    private static RunClaims.Start claimed(RunRequest request) {
        return new RunClaims.Start(RunClaims.Outcome.STARTED, request.version(), request, null);
    }

    @Test
    void releasesThatExistAtTheFirstPollAreLeftAloneAndANewOneIsAskedForUntilClaimed() {
        UpstreamPoller poller = poller(null);
        assertThat(poller.due()).isEmpty();

        fake.addRelease("sochdb/sochdb", "v0.3.2", false);
        fake.addRelease("sochdb/sochdb", "v0.4.0", true);
        List<RunRequest> due = poller.due();
        assertThat(due).extracting(RunRequest::version).as("v0.3.2; the draft v0.4.0 never").containsExactly("0.3.2");
        assertThat(due.get(0).trigger()).isEqualTo("poller v0.3.2");
        assertThat(due.get(0).dryRun()).isFalse();
        assertThat(poller.due()).as("not claimed yet: asked for again").hasSize(1);

        poller.claimed(claimed(due.get(0)));
        assertThat(poller.due()).isEmpty();
        assertThat(poller(null).due()).as("a new leader carries on from the store").isEmpty();
    }

    @Test
    void sinceMakesLaterExistingReleasesDue() {
        fake.addRelease("sochdb/sochdb", "v0.3.2", false);
        assertThat(poller("v0.3.1").due()).extracting(RunRequest::version).containsExactly("0.3.2");
    }

    @Test
    void aTagThatIsNoReleaseVersionIsSkippedForGood() {
        UpstreamPoller poller = poller(null);
        poller.due();
        fake.addRelease("sochdb/sochdb", "vlatest", false);
        fake.addRelease("sochdb/sochdb", "v1.5.0+local", false);
        assertThat(poller.due()).isEmpty();
        assertThat(new PollerStore(db, Clock.systemUTC()).seen()).contains("vlatest", "v1.5.0+local");
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
