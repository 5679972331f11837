package io.sochdb.release.state;

import java.util.List;

/**
 * What a run has done so far, written as one transaction.
 *
 * @param sdkSource       {@code repo@commit} or a local path, once resolved; a resumed run builds from the same commit
 * @param githubReleaseId the SDK release's id once it exists, else null
 */
public record Progress(String sdkSource, Long githubReleaseId, String document, List<StepRecord> steps,
        List<ArtifactRecord> artifacts) {
}
