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

import io.sochdb.release.failure.ReleaseFailedException;
import io.sochdb.release.github.Asset;
import io.sochdb.release.github.GitHubClient;
import io.sochdb.release.github.Release;
import io.sochdb.release.platform.Platform;
import io.sochdb.release.retry.Retry;
import io.sochdb.release.retry.RetryPolicy;
import io.sochdb.release.retry.Sleeper;
import io.sochdb.release.retry.WaitInterruptedException;
import io.sochdb.release.run.RemoteArchive;

/**
 * Finds an upstream release and its platform archives on GitHub. Upstream publishes the release first and attaches
 * the archives afterwards, so a release without them is waited for, with backoff, up to a limit. Only required
 * platforms are worth that wait: upstream attaches every archive in one step, so once the required ones are there,
 * optional ones get a short grace, and those still absent after it are left out (their build did not succeed, or
 * the release predates them).
 */
public final class GitHubArchives {

    private static final Logger LOG = LoggerFactory.getLogger(GitHubArchives.class);
    private static final Duration MAX_POLL = Duration.ofMinutes(2);

    private final GitHubClient github;
    private final String repo;
    private final Duration maxWait;
    private final Duration optionalGrace;
    private final Clock clock;
    private final Retry polls;

    /** {@code sleeper} is how the waits pass; a test's moves its clock so that nobody waits for real. */
    public GitHubArchives(GitHubClient github, String repo, Duration maxWait, Duration firstPoll, Clock clock,
            Sleeper sleeper) {
        this(github, repo, maxWait, Duration.ZERO, firstPoll, clock, sleeper);
    }

    /** @param optionalGrace how much longer optional archives are waited for once every required one is attached */
    public GitHubArchives(GitHubClient github, String repo, Duration maxWait, Duration optionalGrace, Duration firstPoll,
            Clock clock, Sleeper sleeper) {
        this.github = github;
        this.repo = repo;
        this.maxWait = maxWait;
        this.optionalGrace = optionalGrace;
        this.clock = clock;
        this.polls = new Retry(RetryPolicy.polling(firstPoll, MAX_POLL.compareTo(firstPoll) < 0 ? firstPoll : MAX_POLL),
                clock, sleeper);
    }

    private static String describe(Duration wait) {
        return wait.toSeconds() % 60 == 0 ? wait.toMinutes() + " min" : wait.toSeconds() + " s";
    }

    public ArchiveSet<RemoteArchive> resolve(List<Platform> platforms, String sochdbVersion) {
        String tag = "v" + sochdbVersion;
        Instant deadline = clock.instant().plus(maxWait);
        List<String> lacking = new ArrayList<>();
        Instant[] graceEnd = {null};
        try {
            return polls.until("wait for the archives of " + repo + " " + tag, deadline, attempt -> {
                Optional<Release> release = github.releaseByTag(repo, tag);
                if (release.isEmpty()) {
                    throw new ReleaseFailedException("Release not found: " + repo + " has no release " + tag
                            + ". Upstream tags have the form v{version} (e.g. v0.3.2); pass the version without the v "
                            + "as --sochdb-version, and check that the release is published, not a draft");
                }
                Map<Platform, RemoteArchive> found = new LinkedHashMap<>();
                List<String> missingRequired = new ArrayList<>();
                List<Platform> missingOptional = new ArrayList<>();
                for (Platform platform : platforms) {
                    String name = platform.archiveName(sochdbVersion);
                    Asset asset = release.get().asset(name);
                    if (asset != null && asset.uploaded()) {
                        found.put(platform, new RemoteArchive(repo, asset.id(), name, asset.size(), asset.sha256(),
                                asset.browserDownloadUrl()));
                    } else if (platform.required()) {
                        missingRequired.add(name);
                    } else {
                        missingOptional.add(platform);
                    }
                }
                if (missingRequired.isEmpty() && missingOptional.isEmpty()) {
                    return Retry.done(new ArchiveSet<>(found, List.of()));
                }
                lacking.clear();
                lacking.addAll(missingRequired);
                if (lacking.isEmpty()) {
                    missingOptional.forEach(p -> lacking.add(p.archiveName(sochdbVersion)));
                }
                List<String> named = new ArrayList<>(missingRequired);
                missingOptional.forEach(p -> named.add(p.archiveName(sochdbVersion) + " (optional)"));
                String reason = repo + " release " + tag + " lacks " + named + " so far";
                // Nothing required configured and nothing attached yet: wait as for a required archive.
                if (!missingRequired.isEmpty() || found.isEmpty()) {
                    return Retry.again(reason);
                }
                Instant now = clock.instant();
                if (graceEnd[0] == null) {
                    graceEnd[0] = now.plus(optionalGrace);
                }
                if (!now.isBefore(graceEnd[0])) {
                    LOG.info("{} release {} has every required archive; not attached upstream, so left out: {}", repo,
                            tag, lacking);
                    return Retry.done(new ArchiveSet<>(found, missingOptional));
                }
                Duration step = polls.policy().delay(attempt);
                Duration left = Duration.between(now, graceEnd[0]);
                return Retry.againAfter(reason, step.compareTo(left) > 0 ? left : step);
            }, () -> new ReleaseFailedException("Archive not found: " + repo + " release " + tag + " still lacks "
                    + String.join(", ", lacking) + " after waiting " + describe(maxWait)));
        } catch (WaitInterruptedException e) {
            throw new ReleaseFailedException("interrupted while waiting for the archives of " + repo + " " + tag);
        }
    }
}
