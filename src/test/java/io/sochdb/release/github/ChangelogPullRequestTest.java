package io.sochdb.release.github;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.sochdb.release.fakes.FakeContents;
import io.sochdb.release.fakes.FakeGitHub;
import io.sochdb.release.fixtures.Fixtures;
import io.sochdb.release.fixtures.RunSteps;
import io.sochdb.release.packaging.SourceDate;
import io.sochdb.release.packaging.Version;
import io.sochdb.release.platform.Platform;
import io.sochdb.release.run.BuildContext;
import io.sochdb.release.run.ReleasePlan;
import io.sochdb.release.run.ReleaseRequest;
import io.sochdb.release.run.ReleaseRun;
import io.sochdb.release.run.WheelJob;
import io.sochdb.release.sdk.SdkProject;
import io.sochdb.release.summary.Links;

/** The CHANGELOG pull request against the fake GitHub's refs, contents and pulls endpoints. */
class ChangelogPullRequestTest {

    private static final String SDK = "sochdb/sochdb-python-sdk";
    private static final String TOKEN = "ghp_changelog_test_token_0123456789";
    private static final String BRANCH = "release/v0.3.2";
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-03-04T10:00:00Z"), ZoneOffset.UTC);
    private static final List<Platform> PLATFORMS = List.of(
        new Platform("x86_64-unknown-linux-gnu", "manylinux_2_17_x86_64", "sochdb-{version}-{triple}.tar.gz",
            List.of("sochdb-bulk"), List.of()),
        new Platform("x86_64-pc-windows-msvc", "win_amd64", "sochdb-{version}-{triple}.zip",
            List.of("sochdb-bulk.exe"), List.of()));

    @TempDir
    Path tmp;
    private FakeGitHub fake;
    private FakeContents repo;
    private GitHubClient client;
    private SdkProject sdk;

    @BeforeEach
    void start() {
        fake = FakeGitHub.start();
        repo = fake.contents(SDK);
        fake.addTarball(SDK, "main", "0123456789abcdef0123456789abcdef01234567", new byte[] {1});
        fake.requireToken(TOKEN);
        client = client(TOKEN);
        sdk = SdkProject.load(Fixtures.sdkSource(tmp.resolve("sdk")), "sochdb");
    }

    @AfterEach
    void stop() throws IOException {
        client.close();
        fake.close();
    }

    private GitHubClient client(String token) {
        return new GitHubClient(new GitHubSettings(fake.apiUrl(), fake.uploadUrl(), token, "test-agent", 3,
            Duration.ofMillis(10), Duration.ofMillis(50), Duration.ofSeconds(5)), d -> { });
    }

    private ChangelogPullRequest step(GitHubClient github, boolean enabled) {
        return new ChangelogPullRequest(github, new Links(fake.baseUrl(), "sochdb/sochdb", SDK, "http://127.0.0.1:1"),
            enabled, "CHANGELOG.md", CLOCK);
    }

    private ReleaseRun run(boolean dryRun) {
        ReleaseRequest request = new ReleaseRequest("0.3.2", null, dryRun, tmp.resolve("dist"), null, null);
        BuildContext build = new BuildContext(Version.parse("0.3.2"), "0.3.2", sdk, tmp.resolve("staging"),
            new SourceDate(SourceDate.DEFAULT));
        ReleaseRun run = new ReleaseRun(request, Clock.systemUTC());
        run.plan(new ReleasePlan(request, build, PLATFORMS.stream()
            .map(p -> new WheelJob(p, p.archiveName("0.3.2"), null, null, build)).toList()));
        run.link("github_release", fake.baseUrl() + "/" + SDK + "/releases/tag/v0.3.2");
        return run;
    }

    private static String detail(ReleaseRun run) {
        return run.steps().stream().filter(s -> s.name().equals("changelog")).findFirst().orElseThrow().detail();
    }

    @Test
    void createsTheBranchOneCommitAndOnePullRequestAndARerunCreatesNothing() {
        repo.commit("main", "CHANGELOG.md", "# Changelog\n\n## [0.3.1] - 2025-12-01\n\n- Older.\n\n"
            + "[0.3.1]: https://example.invalid/v0.3.1\n");
        int seeded = fake.writeRequests().size();
        ReleaseRun run = run(false);

        step(client, true).open(RunSteps.in(run, "changelog"));

        assertThat(repo.branches()).contains(BRANCH);
        assertThat(repo.commits(BRANCH)).containsExactly("Add 0.3.2 to CHANGELOG.md");
        assertThat(repo.pullRequests()).hasSize(1);
        FakeContents.PullRequest pull = repo.pullRequests().get(0);
        assertThat(pull.head()).isEqualTo(BRANCH);
        assertThat(pull.base()).isEqualTo("main");
        assertThat(pull.state()).isEqualTo("open");
        String changelog = repo.file(BRANCH, "CHANGELOG.md");
        assertThat(changelog).startsWith("# Changelog\n\n## [0.3.2] - 2026-03-04\n\n- sochdb-client 0.3.2, bundling")
            .contains("`manylinux_2_17_x86_64`, `win_amd64`", "pip install sochdb-client==0.3.2",
                "## [0.3.1] - 2025-12-01", "[0.3.2]: " + fake.baseUrl() + "/" + SDK + "/releases/tag/v0.3.2\n[0.3.1]:");
        assertThat(repo.file("main", "CHANGELOG.md")).doesNotContain("0.3.2");
        assertThat(run.links().get("changelog_pr")).isEqualTo(fake.baseUrl() + "/" + SDK + "/pull/1");
        assertThat(detail(run)).startsWith("opened pull request #1");
        assertThat(fake.writeRequests().size() - seeded).as("ref, file, pull").isEqualTo(3);

        int writes = fake.writeRequests().size();
        ReleaseRun again = run(false);
        step(client, true).open(RunSteps.in(again, "changelog"));

        assertThat(fake.writeRequests()).as("a rerun writes nothing").hasSize(writes);
        assertThat(repo.commits(BRANCH)).hasSize(1);
        assertThat(repo.pullRequests()).hasSize(1);
        assertThat(again.links().get("changelog_pr")).isEqualTo(run.links().get("changelog_pr"));
        assertThat(detail(again)).startsWith("pull request #1 already open");
        assertThat(fake.violations()).isEmpty();
    }

    @Test
    void aRepositoryWithoutChangelogGetsANewKeepAChangelogFile() {
        ReleaseRun run = run(false);
        step(client, true).open(RunSteps.in(run, "changelog"));

        assertThat(repo.file(BRANCH, "CHANGELOG.md")).startsWith("# Changelog\n").contains("## [0.3.2] - 2026-03-04");
        assertThat(repo.pullRequests()).hasSize(1);
    }

    @Test
    void thePlainHeadingStyleOfTheFileIsKept() {
        repo.commit("main", "CHANGELOG.md", "# Changes\n\n### v0.3.1 (2025-12-01)\n\n* Older.\n");
        step(client, true).open(RunSteps.in(run(false), "changelog"));

        assertThat(repo.file(BRANCH, "CHANGELOG.md")).startsWith("# Changes\n\n### v0.3.2 (2026-03-04)\n\n- sochdb-client")
            .contains("### v0.3.1 (2025-12-01)").doesNotContain("[0.3.2]");
    }

    @Test
    void aBranchLeftByAnInterruptedRunIsReusedAndOnlyThePullRequestIsMissing() {
        // An interrupted run: the branch and its commit are there, the pull request was never opened.
        repo.commit(BRANCH, "CHANGELOG.md", "# Changelog\n\n## [0.3.2] - 2026-03-04\n\n- already here\n");
        int writes = fake.writeRequests().size();

        ReleaseRun run = run(false);
        step(client, true).open(RunSteps.in(run, "changelog"));

        assertThat(repo.commits(BRANCH)).as("no new commit").hasSize(1);
        assertThat(repo.pullRequests()).hasSize(1);
        assertThat(fake.writeRequests().size() - writes).as("only the pull request").isEqualTo(1);
        assertThat(detail(run)).startsWith("opened pull request #1").contains("already has 0.3.2");
    }

    @Test
    void aSectionAlreadyMergedIntoTheDefaultBranchNeedsNoPullRequest() {
        repo.defaultBranch("trunk").commit("trunk", "CHANGELOG.md", "# Changelog\n\n## [0.3.2] - 2026-03-01\n\n- done\n");
        int writes = fake.writeRequests().size();
        ReleaseRun run = run(false);

        step(client, true).open(RunSteps.in(run, "changelog"));

        assertThat(fake.writeRequests()).hasSize(writes);
        assertThat(repo.pullRequests()).isEmpty();
        assertThat(detail(run)).contains("on trunk already has 0.3.2");
        assertThat(run.links()).doesNotContainKey("changelog_pr");
    }

    @Test
    void aDryRunAndCHANGELOG_PRfalseSkipWithAReason() {
        ReleaseRun dry = run(true);
        step(client, true).open(RunSteps.in(dry, "changelog"));
        ReleaseRun off = run(false);
        step(client, false).open(RunSteps.in(off, "changelog"));

        assertThat(fake.requests()).isEmpty();
        assertThat(dry.steps()).filteredOn(s -> s.name().equals("changelog")).extracting(ReleaseRun.Step::state)
            .containsExactly(ReleaseRun.State.SKIPPED);
        assertThat(detail(dry)).startsWith("dry run: would open a pull request on " + SDK);
        assertThat(detail(off)).isEqualTo("skipped: CHANGELOG_PR=false");
    }

    @Test
    void noTokenFailsWithoutSendingAnything() {
        assertThatThrownBy(() -> step(client(null), true).open(RunSteps.in(run(false), "changelog"))).hasMessageContaining("GITHUB_TOKEN is not set");
        assertThat(fake.requests()).isEmpty();
    }
}
