package io.sochdb.release.run;

import java.nio.file.Path;

import io.sochdb.release.packaging.SourceDate;
import io.sochdb.release.packaging.Version;
import io.sochdb.release.sdk.SdkProject;

/**
 * What every platform's wheel and the sdist share.
 *
 * @param staging folder inside the dist folder where files are built before they are moved into place
 */
public record BuildContext(Version version, String sochdbVersion, SdkProject sdk, Path staging, SourceDate date) {
}
