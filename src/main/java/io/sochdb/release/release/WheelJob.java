package io.sochdb.release.release;

import java.nio.file.Path;

import io.sochdb.release.platform.Platform;

/** One platform's share of a release: the split hands one of these to the wheel route. */
public record WheelJob(Platform platform, Path archive, BuildContext build) {
}
