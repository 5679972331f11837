package io.sochdb.release.service;

import java.util.List;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.sochdb.release.failure.InvalidInputException;
import io.sochdb.release.github.GitHubClient;
import io.sochdb.release.github.Release;
import io.sochdb.release.state.PollerStore;

/**
 * Reconciles like a controller: every published upstream release that appeared after the baseline should have an
 * SDK release, and a run is started for each one that has none. The baseline is what the first poll sees, plus
 * {@code SOCHDB_POLL_SINCE}'s tags when given. Reads are conditional, so an unchanged list costs no rate limit.
 * What the poller has dealt with is kept in the state store, so a restart or a new leader (only the leader polls,
 * through {@code master:}) carries on instead of taking a new baseline.
 */
public final class UpstreamPoller {

    private static final Logger LOG = LoggerFactory.getLogger(UpstreamPoller.class);
    /** Marks that the first poll took its baseline; no upstream tag can contain a space. */
    private static final String BASELINE = "first poll done";

    private final GitHubClient github;
    private final String repo;
    private final boolean prereleases;
    private final ReleaseRuns runs;
    private final String since;
    private final PollerStore memory;

    /** @param since with a value, releases newer than this upstream version are due even if they exist at start */
    public UpstreamPoller(GitHubClient github, String repo, boolean prereleases, ReleaseRuns runs, String since,
            PollerStore memory) {
        this.memory = memory;
        this.github = github;
        this.repo = repo;
        this.prereleases = prereleases;
        this.runs = runs;
        this.since = since == null || since.isBlank() ? null : strip(since.strip());
    }

    public synchronized void poll() {
        List<Release> releases = github.releases(repo).stream()
                .filter(r -> !r.draft() && (prereleases || !r.prerelease())).toList();
        Set<String> seen = memory.seen();
        if (!seen.contains(BASELINE)) {
            long left = releases.stream()
                    .filter(r -> since == null || UpstreamVersions.compare(strip(r.tagName()), since) <= 0)
                    .peek(r -> memory.markSeen(r.tagName())).count();
            memory.markSeen(BASELINE);
            LOG.info("Poller baseline: {} upstream releases of {} are left alone{}", left, repo,
                    since == null ? "" : " (up to " + since + ")");
            if (since == null) {
                return;
            }
            seen = memory.seen();
        }
        for (Release release : releases) {
            if (seen.contains(release.tagName())) {
                continue;
            }
            String tag = release.tagName();
            String version = strip(tag);
            try {
                ReleaseRuns.Start start = runs.start(version, version, false, "poller");
                if (start.outcome() != ReleaseRuns.Outcome.ALREADY_RUNNING) {
                    memory.markSeen(tag);
                }
            } catch (InvalidInputException e) {
                LOG.warn("Upstream tag {} is not a release version the SDK can take: {}", tag, e.getMessage());
                memory.markSeen(tag);
            }
        }
    }

    private static String strip(String tag) {
        return tag.startsWith("v") || tag.startsWith("V") ? tag.substring(1) : tag;
    }
}
