package io.sochdb.release.run;

import java.util.List;

import io.sochdb.release.compliance.ComplianceReport;
import io.sochdb.release.platform.Platform;

/**
 * What the wheel route produced for one platform.
 *
 * @param wheel    the built wheel, null when it failed
 * @param binaries files taken from the archive, as paths inside the wheel
 * @param leftOut  archive files that matched no configured executable or library
 * @param compliance what the compliance gate found and which tag it chose; null when the build failed before it
 * @param failure  why the build failed, kept so that a passing cause (a download cut off) can be told from one
 *                 that needs a person; null when it succeeded
 */
public record WheelOutcome(Platform platform, String archive, Artifact wheel, List<String> binaries, List<String> leftOut,
        String error, ComplianceReport compliance, Exception failure) {

    public WheelOutcome(Platform platform, String archive, Artifact wheel, List<String> binaries, List<String> leftOut,
            String error, ComplianceReport compliance) {
        this(platform, archive, wheel, binaries, leftOut, error, compliance, null);
    }

    public WheelOutcome(Platform platform, String archive, Artifact wheel, List<String> binaries, List<String> leftOut,
            String error) {
        this(platform, archive, wheel, binaries, leftOut, error, null, null);
    }

    public static WheelOutcome failed(Platform platform, String archive, String error) {
        return new WheelOutcome(platform, archive, null, List.of(), List.of(), error);
    }

    /** The wheel's tag: the one the gate chose, else the configured one (which may be {@code auto}). */
    public String tag() {
        return compliance != null && compliance.tag() != null ? compliance.tag() : platform.tag();
    }

    public boolean succeeded() {
        return wheel != null;
    }
}
