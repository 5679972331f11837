package io.sochdb.release.state;

/**
 * One built file of a run and what became of it remotely.
 *
 * @param pypi          the index's outcome for the file ({@code uploaded}, {@code already published, identical}), or null
 * @param githubAssetId the id of the matching asset of the SDK's GitHub release, or null
 */
public record ArtifactRecord(String name, String kind, String platform, long size, String sha256, String pypi,
        Long githubAssetId) {
}
