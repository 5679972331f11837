package io.sochdb.release.summary;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.sochdb.release.install.report.InstallReport;

/**
 * The machine-readable summary, written as summary.json; the Markdown summary says the same in prose.
 *
 * @param stampedVersions {@code __version__} and {@code __core_version__} as the package carries them; a null value
 *                        means the SDK does not declare that name
 * @param installProof    the platform × Python matrix and the smoke test; null until that step ran
 * @param notAttachedUpstream optional platforms without an upstream archive for this release, so without a wheel
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record Summary(
        String name,
        String version,
        String sochdbVersion,
        String sdkSource,
        boolean dryRun,
        String install,
        String pythonSupport,
        String status,
        String failedStep,
        String error,
        String started,
        String finished,
        List<StepLine> steps,
        List<PlatformLine> platforms,
        List<String> notAttachedUpstream,
        List<ArtifactLine> artifacts,
        Map<String, String> links,
        Map<String, String> stampedVersions,
        InstallReport installProof) {

    public record StepLine(String name, String state, String detail, String started, String finished) {
    }

    /**
     * @param tag           the wheel's tag: chosen by the compliance gate, else as configured
     * @param configuredTag the platform table's tag, possibly {@code auto}
     * @param tagReason     why the wheel has its tag
     * @param compliance    every binary the gate checked, with its findings
     */
    public record PlatformLine(String triple, String tag, String status, String wheel, Long size, String sha256,
            String archive, String sochdbVersion, List<String> binaries, List<String> leftOut, String error,
            String configuredTag, String tagReason, List<BinaryLine> compliance) {
    }

    /** One binary as the compliance gate saw it; {@code problems} is empty when it fits the tag. */
    public record BinaryLine(String file, String format, String architecture, String glibc, String minMacos,
            List<String> needed, List<String> problems) {
    }

    public record ArtifactLine(String name, String kind, String platform, long size, String sha256, String pypi) {
    }
}
