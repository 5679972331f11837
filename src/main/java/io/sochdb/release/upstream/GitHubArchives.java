package io.sochdb.release.upstream;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.sochdb.release.github.Asset;
import io.sochdb.release.github.GitHubClient;
import io.sochdb.release.github.Release;
import io.sochdb.release.platform.Platform;
import io.sochdb.release.release.ReleaseFailedException;
import io.sochdb.release.retry.Retry;
import io.sochdb.release.retry.RetryPolicy;
import io.sochdb.release.retry.Sleeper;
import io.sochdb.release.retry.WaitInterruptedException;

/**
 * Finds an upstream release and its platform archives on GitHub. Upstream publishes the release first and attaches
 * the archives afterwards, so a release without them is waited for, with backoff, up to a limit.
 */
public final class GitHubArchives {

    private static final Duration MAX_POLL = Duration.ofMinutes(2);

    private final GitHubClient github;
    private final String repo;
    private final Duration maxWait;
    private final Clock clock;
    private final Retry polls;

    /** {@code sleeper} is how the waits pass; a test's moves its clock so that nobody waits for real. */
    public GitHubArchives(GitHubClient github, String repo, Duration maxWait, Duration firstPoll, Clock clock,
            Sleeper sleeper) {
        this.github = github;
        this.repo = repo;
        this.maxWait = maxWait;
        this.clock = clock;
        this.polls = new Retry(RetryPolicy.polling(firstPoll, MAX_POLL.compareTo(firstPoll) < 0 ? firstPoll : MAX_POLL),
                clock, sleeper);
    }

    private static String describe(Duration wait) {
        return wait.toSeconds() % 60 == 0 ? wait.toMinutes() + " min" : wait.toSeconds() + " s";
    }

    public Map<Platform, RemoteArchive> resolve(List<Platform> platforms, String sochdbVersion) {
        String tag = "v" + sochdbVersion;
        Instant deadline = clock.instant().plus(maxWait);
        List<String> missing = new ArrayList<>();
        try {
            return polls.until("wait for the archives of " + repo + " " + tag, deadline, attempt -> {
                Optional<Release> release = github.releaseByTag(repo, tag);
                if (release.isEmpty()) {
                    throw new ReleaseFailedException("Release not found: " + repo + " has no release " + tag
                            + ". Upstream tags have the form v{version} (e.g. v0.3.2); pass the version without the v "
                            + "as --sochdb-version, and check that the release is published, not a draft");
                }
                Map<Platform, RemoteArchive> found = new LinkedHashMap<>();
                missing.clear();
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
                return missing.isEmpty() ? Retry.done(found) : Retry.again(repo + " release " + tag + " lacks " + missing);
            }, () -> new ReleaseFailedException("Archive not found: " + repo + " release " + tag + " still lacks "
                    + String.join(", ", missing) + " after waiting " + describe(maxWait)));
        } catch (WaitInterruptedException e) {
            throw new ReleaseFailedException("interrupted while waiting for the archives of " + repo + " " + tag);
        }
    }
}
