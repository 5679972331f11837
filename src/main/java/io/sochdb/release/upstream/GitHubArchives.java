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
 * the archives afterwards, so a release without them is waited for, with backoff, up to a limit. Only required
 * platforms are worth that wait: upstream attaches every archive in one step, so once the required ones are there,
 * optional ones get a short grace, and those still absent after it are left out (their build did not succeed, or
 * the release predates them).
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
    private final Duration optionalGrace;
    private final Duration firstPoll;
    private final Clock clock;
    private final Pause pause;

    public GitHubArchives(GitHubClient github, String repo, Duration maxWait, Duration firstPoll, Clock clock, Pause pause) {
        this(github, repo, maxWait, Duration.ZERO, firstPoll, clock, pause);
    }

    /** @param optionalGrace how much longer optional archives are waited for once every required one is attached */
    public GitHubArchives(GitHubClient github, String repo, Duration maxWait, Duration optionalGrace, Duration firstPoll,
            Clock clock, Pause pause) {
        this.github = github;
        this.repo = repo;
        this.maxWait = maxWait;
        this.optionalGrace = optionalGrace;
        this.firstPoll = firstPoll;
        this.clock = clock;
        this.pause = pause;
    }

    private static String describe(Duration wait) {
        return wait.toSeconds() % 60 == 0 ? wait.toMinutes() + " min" : wait.toSeconds() + " s";
    }

    public ArchiveSet<RemoteArchive> resolve(List<Platform> platforms, String sochdbVersion) {
        String tag = "v" + sochdbVersion;
        Instant deadline = clock.instant().plus(maxWait);
        Instant graceEnd = null;
        Duration poll = firstPoll;
        while (true) {
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
                return new ArchiveSet<>(found, List.of());
            }
            Instant now = clock.instant();
            // Nothing required configured and nothing attached yet: wait as for a required archive.
            boolean requiredThere = missingRequired.isEmpty() && !found.isEmpty();
            if (requiredThere && graceEnd == null) {
                graceEnd = now.plus(optionalGrace).isBefore(deadline) ? now.plus(optionalGrace) : deadline;
            }
            Instant until = requiredThere ? graceEnd : deadline;
            if (!now.isBefore(until)) {
                if (requiredThere) {
                    LOG.info("{} release {} has every required archive; not attached upstream, so left out: {}", repo, tag,
                            missingOptional.stream().map(p -> p.archiveName(sochdbVersion)).toList());
                    return new ArchiveSet<>(found, missingOptional);
                }
                List<String> lacking = new ArrayList<>(missingRequired);
                if (lacking.isEmpty()) {
                    missingOptional.forEach(p -> lacking.add(p.archiveName(sochdbVersion)));
                }
                throw new ReleaseFailedException("Archive not found: " + repo + " release " + tag + " still lacks "
                        + String.join(", ", lacking) + " after waiting " + describe(maxWait));
            }
            Duration wait = poll.compareTo(Duration.between(now, until)) > 0 ? Duration.between(now, until) : poll;
            List<String> lacking = new ArrayList<>(missingRequired);
            missingOptional.forEach(p -> lacking.add(p.archiveName(sochdbVersion) + " (optional)"));
            LOG.info("{} release {} lacks {} so far; looking again in {} s", repo, tag, lacking, wait.toSeconds());
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
