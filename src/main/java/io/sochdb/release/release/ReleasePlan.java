package io.sochdb.release.release;

import java.util.List;

/** A resolved release: inputs checked, upstream archives at hand, ready to build. */
public record ReleasePlan(ReleaseRequest request, BuildContext build, List<WheelJob> wheelJobs) {
}
