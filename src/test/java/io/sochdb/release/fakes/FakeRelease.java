package io.sochdb.release.fakes;

import java.time.Instant;
import java.util.List;

/** A copy of a release as the fake holds it, drafts included; scheduled assets only once they have appeared. */
public record FakeRelease(long id, String repo, String tag, String name, String body, boolean draft,
    boolean prerelease, String makeLatest, String targetCommitish, Instant publishedAt, List<Asset> assets) {

    public Asset asset(String assetName) {
        return assets.stream().filter(a -> a.name().equals(assetName)).findFirst().orElse(null);
    }

    /** {@code state} is "uploaded" or "starter"; {@code digest} is "sha256:&lt;hex&gt;" or null. */
    public record Asset(long id, String name, String label, String contentType, long size, String state,
        String digest) {
    }
}
