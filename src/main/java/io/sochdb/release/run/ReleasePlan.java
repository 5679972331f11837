package io.sochdb.release.run;

import java.util.List;

import io.sochdb.release.platform.Platform;

/**
 * A resolved release: inputs checked, upstream archives at hand, ready to build.
 *
 * @param notAttached optional platforms whose archive upstream did not attach: no wheel, named in summary and notes
 */
public record ReleasePlan(ReleaseRequest request, BuildContext build, List<WheelJob> wheelJobs, List<Platform> notAttached) {

    public ReleasePlan {
        wheelJobs = List.copyOf(wheelJobs);
        notAttached = List.copyOf(notAttached);
    }

    public ReleasePlan(ReleaseRequest request, BuildContext build, List<WheelJob> wheelJobs) {
        this(request, build, wheelJobs, List.of());
    }
}
