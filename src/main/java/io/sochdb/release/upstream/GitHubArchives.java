package io.sochdb.release.upstream;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.sochdb.release.github.Asset;
import io.sochdb.release.github.GitHubClient;
import io.sochdb.release.github.Release;
import io.sochdb.release.platform.Platform;
import io.sochdb.release.release.ReleaseFailedException;

/**
 * Finds an upstream release and its platform archives on GitHub. Upstream publishes the release first and attaches
 * the archives afterwards, so a release without them is waited for, with backoff, up to a limit.
 */
public final class GitHubArchives {

    /** Waits between looks; a test replaces it so that nobody waits for real. */
    @FunctionalInterface
    public interface Pause {
        void pause(Duration duration) throws InterruptedException;
    }

    private static final Logger LOG = LoggerFactory.getLogger(GitHubArchives.class);

    private final GitHubClient github;
    private final String repo;
    private final Duration maxWait;
    private final Duration firstPoll;
    private final Clock clock;
    private final Pause pause;

    public GitHubArchives(GitHubClient github, String repo, Duration maxWait, Duration firstPoll, Clock clock, Pause pause) {
        this.github = github;
        this.repo = repo;
        this.maxWait = maxWait;
        this.firstPoll = firstPoll;
        this.clock = clock;
        this.pause = pause;
    }

    private static String describe(Duration wait) {
        return wait.toSeconds() % 60 == 0 ? wait.toMinutes() + " min" : wait.toSeconds() + " s";
    }

    public Map<Platform, RemoteArchive> resolve(List<Platform> platforms, String sochdbVersion) {
        String tag = "v" + sochdbVersion;
        Instant deadline = clock.instant().plus(maxWait);
        Duration poll = firstPoll;
        while (true) {
            Optional<Release> release = github.releaseByTag(repo, tag);
            if (release.isEmpty()) {
                throw new ReleaseFailedException("Release not found: " + repo + " has no release " + tag
                        + ". Upstream tags have the form v{version} (e.g. v0.3.2); pass the version without the v "
                        + "as --sochdb-version, and check that the release is published, not a draft");
            }
            Map<Platform, RemoteArchive> found = new LinkedHashMap<>();
            List<String> missing = new ArrayList<>();
            for (Platform platform : platforms) {
                String name = platform.archiveName(sochdbVersion);
                Asset asset = release.get().asset(name);
                if (asset != null && asset.uploaded()) {
                    found.put(platform, new RemoteArchive(repo, asset.id(), name, asset.size(), asset.sha256(),
                            asset.browserDownloadUrl()));
                } else {
                    missing.add(name);
                }
            }
            if (missing.isEmpty()) {
                return found;
            }
            Instant now = clock.instant();
            if (!now.isBefore(deadline)) {
                throw new ReleaseFailedException("Archive not found: " + repo + " release " + tag + " still lacks "
                        + String.join(", ", missing) + " after waiting " + describe(maxWait));
            }
            Duration wait = poll.compareTo(Duration.between(now, deadline)) > 0 ? Duration.between(now, deadline) : poll;
            LOG.info("{} release {} lacks {} so far; looking again in {} s", repo, tag, missing, wait.toSeconds());
            try {
                pause.pause(wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ReleaseFailedException("interrupted while waiting for the archives of " + repo + " " + tag);
            }
            poll = poll.multipliedBy(2).compareTo(Duration.ofMinutes(2)) > 0 ? Duration.ofMinutes(2) : poll.multipliedBy(2);
        }
    }
}
