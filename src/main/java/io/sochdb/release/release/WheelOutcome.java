package io.sochdb.release.release;

import java.util.List;

import io.sochdb.release.platform.Platform;

/**
 * What the wheel route produced for one platform.
 *
 * @param wheel    the built wheel, null when it failed
 * @param binaries files taken from the archive, as paths inside the wheel
 * @param leftOut  archive files that matched no configured executable or library
 */
public record WheelOutcome(Platform platform, String archive, Artifact wheel, List<String> binaries, List<String> leftOut,
        String error) {

    public static WheelOutcome failed(Platform platform, String archive, String error) {
        return new WheelOutcome(platform, archive, null, List.of(), List.of(), error);
    }

    public boolean succeeded() {
        return wheel != null;
    }
}
