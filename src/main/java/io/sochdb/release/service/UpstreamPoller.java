package io.sochdb.release.service;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.sochdb.release.InvalidInputException;
import io.sochdb.release.github.GitHubClient;
import io.sochdb.release.github.Release;

/**
 * Reconciles like a controller: every published upstream release that appeared after the baseline should have an
 * SDK release, and a run is started for each one that has none. The baseline is what the first poll sees, plus
 * {@code SOCHDB_POLL_SINCE}'s tags when given. Reads are conditional, so an unchanged list costs no rate limit.
 */
public final class UpstreamPoller {

    private static final Logger LOG = LoggerFactory.getLogger(UpstreamPoller.class);

    private final GitHubClient github;
    private final String repo;
    private final boolean prereleases;
    private final ReleaseRuns runs;
    private final String since;
    private Set<String> baseline;

    /** @param since with a value, releases newer than this upstream version are due even if they exist at start */
    public UpstreamPoller(GitHubClient github, String repo, boolean prereleases, ReleaseRuns runs, String since) {
        this.github = github;
        this.repo = repo;
        this.prereleases = prereleases;
        this.runs = runs;
        this.since = since == null || since.isBlank() ? null : strip(since.strip());
    }

    public synchronized void poll() {
        List<Release> releases = github.releases(repo).stream()
                .filter(r -> !r.draft() && (prereleases || !r.prerelease())).toList();
        if (baseline == null) {
            baseline = new HashSet<>();
            releases.stream().filter(r -> since == null || UpstreamVersions.compare(strip(r.tagName()), since) <= 0)
                    .forEach(r -> baseline.add(r.tagName()));
            LOG.info("Poller baseline: {} upstream releases of {} are left alone{}", baseline.size(), repo,
                    since == null ? "" : " (up to " + since + ")");
            if (since == null) {
                return;
            }
        }
        for (Release release : releases) {
            if (baseline.contains(release.tagName())) {
                continue;
            }
            String tag = release.tagName();
            String version = strip(tag);
            try {
                ReleaseRuns.Start start = runs.start(version, version, false, "poller");
                if (start.outcome() != ReleaseRuns.Outcome.ALREADY_RUNNING) {
                    baseline.add(tag);
                }
            } catch (InvalidInputException e) {
                LOG.warn("Upstream tag {} is not a release version the SDK can take: {}", tag, e.getMessage());
                baseline.add(tag);
            }
        }
    }

    private static String strip(String tag) {
        return tag.startsWith("v") || tag.startsWith("V") ? tag.substring(1) : tag;
    }
}
