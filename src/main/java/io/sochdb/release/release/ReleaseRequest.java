package io.sochdb.release.release;

import java.nio.file.Path;

/**
 * What one release was asked to do, as given by the command line or a trigger.
 *
 * @param sochdbVersion upstream version whose binaries are packaged; null means the same as {@code version}
 * @param archives      folder holding the upstream archives, or null to download them
 * @param sdkSource     the SDK source tree, or null to fetch it
 * @param replaceAssets replace GitHub release assets whose content differs, instead of stopping
 */
public record ReleaseRequest(String version, String sochdbVersion, boolean dryRun, Path dist, Path archives, Path sdkSource,
        boolean replaceAssets) {

    public ReleaseRequest(String version, String sochdbVersion, boolean dryRun, Path dist, Path archives, Path sdkSource) {
        this(version, sochdbVersion, dryRun, dist, archives, sdkSource, false);
    }

    public String upstreamVersion() {
        return sochdbVersion == null || sochdbVersion.isBlank() ? version : sochdbVersion;
    }
}
