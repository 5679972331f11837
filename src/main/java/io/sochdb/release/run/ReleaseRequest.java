package io.sochdb.release.run;

import java.nio.file.Path;

/**
 * What one release was asked to do, as given by the command line or a trigger.
 *
 * @param sochdbVersion upstream version whose binaries are packaged; null means the same as {@code version}
 * @param archives      folder holding the upstream archives, or null to download them
 * @param sdkSource     the SDK source tree, or null to fetch it
 * @param replaceAssets replace GitHub release assets whose content differs, instead of stopping
 * @param sdkRef        the ref of the SDK tarball instead of SDK_REF, or null; a resumed run pins the commit its
 *                      first attempt built from, so that its rebuilt files are the same bytes
 */
public record ReleaseRequest(String version, String sochdbVersion, boolean dryRun, Path dist, Path archives, Path sdkSource,
        boolean replaceAssets, String sdkRef) {

    public ReleaseRequest(String version, String sochdbVersion, boolean dryRun, Path dist, Path archives, Path sdkSource,
            boolean replaceAssets) {
        this(version, sochdbVersion, dryRun, dist, archives, sdkSource, replaceAssets, null);
    }

    public ReleaseRequest(String version, String sochdbVersion, boolean dryRun, Path dist, Path archives, Path sdkSource) {
        this(version, sochdbVersion, dryRun, dist, archives, sdkSource, false);
    }

    public String upstreamVersion() {
        return sochdbVersion == null || sochdbVersion.isBlank() ? version : sochdbVersion;
    }
}
