package io.sochdb.release.github;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.sochdb.release.failure.ReleaseFailedException;
import io.sochdb.release.packaging.Digests;
import io.sochdb.release.run.Artifact;
import io.sochdb.release.run.ReleaseRun;

/**
 * The SDK's GitHub release, in two steps so that nothing is visible half-filled: {@link #stage} creates a draft
 * (or finds the one an interrupted run left) and makes its assets match the built files; {@link #publish} turns
 * the draft public. Both are safe to run again: a complete release leads to no write request at all.
 */
public final class ReleasePublisher {

    private static final Logger LOG = LoggerFactory.getLogger(ReleasePublisher.class);

    private final GitHubClient github;
    private final String repo;
    private final ReleaseNotes notes;

    public ReleasePublisher(GitHubClient github, String repo, ReleaseNotes notes) {
        this.github = github;
        this.repo = repo;
        this.notes = notes;
    }

    public void stage(ReleaseRun run) throws IOException {
        String tag = tag(run);
        List<Artifact> files = run.artifacts();
        if (run.request().dryRun()) {
            run.skip("dry run: would stage draft release " + tag + " on " + repo + " with "
                    + files.size() + " assets");
            return;
        }
        requireToken(tag);
        Release release = find(tag).orElse(null);
        if (release == null) {
            Map<String, Object> fields = new LinkedHashMap<>();
            fields.put("tag_name", tag);
            fields.put("name", "Release " + tag);
            fields.put("body", notes.render(run));
            fields.put("draft", true);
            fields.put("prerelease", run.plan().build().version().isPrerelease());
            release = github.createRelease(repo, fields).or(() -> find(tag)).orElseThrow(() ->
                    new ReleaseFailedException("GitHub says release " + tag + " on " + repo
                            + " already exists, but it is not among its releases; check the tag"));
            LOG.info("Created draft release {} on {}", tag, repo);
        }
        List<String> uploaded = new ArrayList<>();
        Map<String, Long> assetIds = new LinkedHashMap<>();
        for (Artifact file : files) {
            run.lease().requireOwned();
            Placed placed = ensure(release, file, run.request().replaceAssets());
            assetIds.put(file.name(), placed.assetId());
            if (placed.uploaded()) {
                uploaded.add(file.name());
                run.uploaded(file.size());
            }
        }
        run.githubRelease(release.id(), assetIds);
        run.link("github_release", release.htmlUrl());
        run.detail((release.draft() ? "draft " : "release ") + tag + ": " + uploaded.size()
                + " uploaded, " + (files.size() - uploaded.size()) + " already there and identical");
    }

    public void publish(ReleaseRun run) {
        String tag = tag(run);
        if (run.request().dryRun()) {
            run.skip("dry run: would publish release " + tag + " on " + repo);
            return;
        }
        Release release = find(tag).orElseThrow(() -> new ReleaseFailedException("release " + tag + " on " + repo
                + " vanished between staging and publishing"));
        if (release.draft()) {
            Map<String, Object> fields = new LinkedHashMap<>();
            fields.put("draft", false);
            // make_latest is a string in GitHub's API; a prerelease must not become "latest".
            fields.put("make_latest", release.prerelease() ? "false" : "true");
            release = github.updateRelease(repo, release.id(), fields);
            LOG.info("Published release {} on {}", tag, repo);
            run.detail("published " + release.htmlUrl());
        } else {
            run.detail("already published " + release.htmlUrl());
        }
        run.link("github_release", release.htmlUrl());
    }

    /** The release for a tag: published ones by tag, drafts only by listing (get-by-tag never returns them). */
    private Optional<Release> find(String tag) {
        Optional<Release> published = github.releaseByTag(repo, tag);
        if (published.isPresent()) {
            return published;
        }
        List<Release> drafts = github.releases(repo).stream().filter(r -> tag.equals(r.tagName())).toList();
        if (drafts.size() > 1) {
            throw new ReleaseFailedException(repo + " has " + drafts.size() + " releases tagged " + tag
                    + "; delete the extra drafts so that one remains");
        }
        return drafts.stream().findFirst();
    }

    /** Where a file ended up on the release, and whether this run had to upload it. */
    private record Placed(long assetId, boolean uploaded) {
    }

    /** Makes the release hold this file. */
    private Placed ensure(Release release, Artifact file, boolean replace) throws IOException {
        Asset existing = release.asset(file.name());
        if (existing != null && existing.uploaded() && !(existing.size() == 0 && file.size() > 0)) {
            String remote = existing.sha256() != null ? existing.sha256() : downloadedSha256(existing);
            if (remote.equals(file.sha256())) {
                return new Placed(existing.id(), false);
            }
            if (!replace) {
                throw new ReleaseFailedException("GitHub release " + release.tagName() + " on " + repo + " already has "
                        + file.name() + " with different content (sha256 " + remote + ", built " + file.sha256()
                        + "); run again with --replace-assets to replace it");
            }
            LOG.warn("Replacing {} on release {}: its content differs", file.name(), release.tagName());
        } else if (existing != null) {
            LOG.info("Deleting the empty stub of {} that a failed upload left", file.name());
        }
        if (existing != null) {
            github.deleteAsset(repo, existing.id());
        }
        return new Placed(upload(release, file), true);
    }

    /** @return the asset's id */
    private long upload(Release release, Artifact file) {
        Optional<Asset> asset = github.uploadAsset(repo, release.id(), file.path(), file.name(), contentType(file.name()));
        if (asset.isEmpty()) {
            // A retried upload can meet the stub of its own failed attempt; clear it once and try again.
            Asset stub = github.release(repo, release.id()).asset(file.name());
            if (stub != null && (!stub.uploaded() || stub.size() == 0)) {
                github.deleteAsset(repo, stub.id());
                asset = github.uploadAsset(repo, release.id(), file.path(), file.name(), contentType(file.name()));
            } else if (stub != null && file.sha256().equals(stub.sha256())) {
                return stub.id();
            }
        }
        Asset done = asset.orElseThrow(() -> new ReleaseFailedException("could not upload " + file.name()
                + " to release " + release.tagName() + " on " + repo + ": an asset of that name keeps appearing"));
        if (done.sha256() != null && !done.sha256().equals(file.sha256())) {
            throw new ReleaseFailedException("GitHub stored " + file.name() + " with sha256 " + done.sha256()
                    + ", but the file has " + file.sha256() + "; the upload was damaged, run again");
        }
        LOG.info("Uploaded {} to release {}", file.name(), release.tagName());
        return done.id();
    }

    private String downloadedSha256(Asset asset) throws IOException {
        Path temp = Files.createTempFile("asset-", ".check");
        try {
            github.downloadAsset(repo, asset.id(), temp);
            return Digests.sha256Hex(temp);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    private void requireToken(String tag) {
        if (!github.hasToken()) {
            throw new ReleaseFailedException("GITHUB_TOKEN is not set: staging release " + tag + " on " + repo
                    + " needs a token with contents: write on that repository");
        }
    }

    private static String tag(ReleaseRun run) {
        return "v" + run.plan().build().version().canonical();
    }

    static String contentType(String name) {
        if (name.endsWith(".whl")) {
            return "application/zip";
        }
        if (name.endsWith(".tar.gz")) {
            return "application/gzip";
        }
        return "text/plain";
    }
}
