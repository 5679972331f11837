package io.sochdb.release.release;

import java.nio.file.Path;

/**
 * What one release was asked to do, as given by the command line or a trigger.
 *
 * @param sochdbVersion upstream version whose binaries are packaged; null means the same as {@code version}
 * @param archives      folder holding the upstream archives, or null to download them
 * @param sdkSource     the SDK source tree, or null to fetch it
 */
public record ReleaseRequest(String version, String sochdbVersion, boolean dryRun, Path dist, Path archives, Path sdkSource) {

    public String upstreamVersion() {
        return sochdbVersion == null || sochdbVersion.isBlank() ? version : sochdbVersion;
    }
}
