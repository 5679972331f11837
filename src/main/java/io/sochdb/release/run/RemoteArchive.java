package io.sochdb.release.run;

/**
 * An upstream archive still on GitHub: what the wheel route downloads and checks.
 *
 * @param sha256 hex digest GitHub published for the asset, or null when it gave none
 */
public record RemoteArchive(String repo, long assetId, String name, long size, String sha256, String downloadUrl) {
}
