package io.sochdb.release.github;

import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.sochdb.release.failure.ReleaseFailedException;
import io.sochdb.release.run.ReleaseRun;
import io.sochdb.release.summary.Links;

/**
 * The changelog step: after a production release, a pull request on the SDK that adds the release's section to the
 * top of CHANGELOG.md, from branch {@code release/v<version>} with one commit. Every part is looked up before it is
 * made, so a rerun reuses the branch, the commit and the pull request, and a section already merged stops it.
 */
public final class ChangelogPullRequest {

    private static final Logger LOG = LoggerFactory.getLogger(ChangelogPullRequest.class);
    private static final Pattern FIELD = Pattern.compile("\\{([a-z_]+)}");

    private final GitHubClient github;
    private final Links links;
    private final boolean enabled;
    private final String path;
    private final Clock clock;
    private final String template;

    public ChangelogPullRequest(GitHubClient github, Links links, boolean enabled, String path, Clock clock) {
        this.github = github;
        this.links = links;
        this.enabled = enabled;
        this.path = path;
        this.clock = clock;
        this.template = Templates.read("changelog-section.md");
    }

    public void open(ReleaseRun run) {
        String repo = links.sdkRepo();
        String version = run.plan().build().version().canonical();
        String branch = "release/v" + version;
        if (run.request().dryRun()) {
            run.skip("dry run: would open a pull request on " + repo + " adding " + version + " to " + path);
            return;
        }
        if (!enabled) {
            run.skip("skipped: CHANGELOG_PR=false");
            return;
        }
        if (!github.hasToken()) {
            throw new ReleaseFailedException("GITHUB_TOKEN is not set: the " + path + " pull request on " + repo
                    + " needs a token with contents: write and pull-requests: write");
        }
        String base = github.defaultBranch(repo);
        Optional<RepoFile> onBase = github.file(repo, path, base);
        if (onBase.isPresent() && Changelog.hasSection(onBase.get().content(), version)) {
            run.detail(path + " on " + base + " already has " + version + "; no pull request needed");
            return;
        }
        if (github.branchSha(repo, branch).isEmpty()) {
            String sha = github.branchSha(repo, base).orElseThrow(() -> new ReleaseFailedException(
                    "the default branch " + base + " of " + repo + " has no commit to branch from"));
            github.createBranch(repo, branch, sha);
        }
        Optional<RepoFile> onBranch = github.file(repo, path, branch);
        boolean committed = onBranch.isEmpty() || !Changelog.hasSection(onBranch.get().content(), version);
        if (committed) {
            LocalDate today = LocalDate.now(clock.withZone(ZoneOffset.UTC));
            String body = section(run);
            String releaseUrl = releaseUrl(run, version);
            String text = onBranch.map(f -> Changelog.withSection(f.content(), version, today, body, releaseUrl))
                    .orElseGet(() -> Changelog.fresh(version, today, body, releaseUrl));
            github.putFile(repo, path, branch, "Add " + version + " to " + path, text,
                    onBranch.map(RepoFile::sha).orElse(null));
            LOG.info("Committed the {} section of {} to {} on {}", version, path, branch, repo);
        }
        Optional<PullRequest> open = github.openPullRequest(repo, branch);
        boolean created = open.isEmpty();
        PullRequest pull = open
                .or(() -> github.createPullRequest(repo, branch, base, "Add " + version + " to " + path,
                        "The release of " + version + " adds its notes to " + path + ".\n\nOpened by sochdb-release."))
                .or(() -> github.openPullRequest(repo, branch))
                .orElseThrow(() -> new ReleaseFailedException("GitHub says a pull request from " + branch + " exists on "
                        + repo + ", but lists none open; check the pull requests of that branch"));
        run.link("changelog_pr", pull.htmlUrl());
        run.detail((created ? "opened pull request #" : "pull request #") + pull.number()
                + (created ? "" : " already open") + (committed ? ", " + version + " added to " + path + " on " + branch
                        : ", " + branch + " already has " + version) + ": " + pull.htmlUrl());
    }

    private String releaseUrl(ReleaseRun run, String version) {
        return run.links().getOrDefault("github_release", links.sdkRelease(version));
    }

    private String section(ReleaseRun run) {
        String version = run.plan().build().version().canonical();
        String sochdbVersion = run.plan().build().sochdbVersion();
        Map<String, String> values = Map.of(
                "name", run.plan().build().sdk().metadata().name().normalized(),
                "version", version,
                "sochdb_version", sochdbVersion,
                "sochdb_repo", links.sochdbRepo(),
                "upstream_url", links.upstreamRelease(sochdbVersion),
                "platforms", run.plan().wheelJobs().stream().map(j -> "`" + j.platform().tag() + "`")
                        .collect(Collectors.joining(", ")),
                "python_versions", run.plan().build().sdk().metadata().pythonSupport(),
                "release_url", releaseUrl(run, version));
        Matcher m = FIELD.matcher(template);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(out, Matcher.quoteReplacement(values.getOrDefault(m.group(1), m.group())));
        }
        m.appendTail(out);
        return out.toString();
    }
}
