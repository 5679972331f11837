package io.sochdb.release.service;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.sochdb.release.failure.InvalidInputException;
import io.sochdb.release.github.GitHubClient;
import io.sochdb.release.github.Release;
import io.sochdb.release.pipeline.ReleasePlanner;
import io.sochdb.release.run.ReleaseRequest;
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
    /** Runs it asks for are recorded as started by "poller <tag>". */
    static final String TRIGGER = "poller ";

    private final GitHubClient github;
    private final String repo;
    private final boolean prereleases;
    private final String since;
    private final PollerStore memory;

    /** @param since with a value, releases newer than this upstream version are due even if they exist at start */
    public UpstreamPoller(GitHubClient github, String repo, boolean prereleases, String since,
            PollerStore memory) {
        this.memory = memory;
        this.github = github;
        this.repo = repo;
        this.prereleases = prereleases;
        this.since = since == null || since.isBlank() ? null : strip(since.strip());
    }

    /** The upstream releases that should have an SDK release and were not dealt with yet, as run requests. */
    public synchronized List<RunRequest> due() {
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
                return List.of();
            }
            seen = memory.seen();
        }
        List<RunRequest> due = new ArrayList<>();
        for (Release release : releases) {
            String tag = release.tagName();
            if (seen.contains(tag)) {
                continue;
            }
            String version = strip(tag);
            try {
                ReleasePlanner.checkRequest(new ReleaseRequest(version, version, false, Path.of("."), null, null));
            } catch (InvalidInputException e) {
                LOG.warn("Upstream tag {} is not a release version the SDK can take: {}", tag, e.getMessage());
                memory.markSeen(tag);
                continue;
            }
            due.add(new RunRequest(version, version, false, RunRequest.Source.POLLER, TRIGGER + tag));
        }
        return due;
    }

    /** The run for a tag was claimed, queued, or found running or done: the tag is dealt with. */
    public void claimed(RunClaims.Start start) {
        memory.markSeen(start.request().trigger().substring(TRIGGER.length()));
    }

    private static String strip(String tag) {
        return UpstreamVersions.withoutV(tag.strip());
    }
}
