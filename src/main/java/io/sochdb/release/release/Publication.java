package io.sochdb.release.release;

import java.util.stream.Collectors;

/**
 * The publishing steps. A dry run records what they would do and skips them. Publishing itself arrives with the
 * GitHub and PyPI clients; until then a real release stops here, after the files are built and before anything
 * is made public.
 */
public final class Publication {

    private final String sdkRepo;
    private final String pypiRepositoryUrl;

    public Publication(String sdkRepo, String pypiRepositoryUrl) {
        this.sdkRepo = sdkRepo;
        this.pypiRepositoryUrl = pypiRepositoryUrl;
    }

    public void github(ReleaseRun run) {
        String version = run.plan().build().version().canonical();
        String files = run.artifacts().stream().map(Artifact::name).collect(Collectors.joining(", "));
        refuseUnlessDryRun(run, "github", "dry run: would create release v" + version + " on " + sdkRepo + " with " + files);
    }

    public void pypi(ReleaseRun run) {
        long count = run.artifacts().stream().filter(a -> !a.kind().equals("checksums")).count();
        refuseUnlessDryRun(run, "pypi", "dry run: would upload " + count + " files to " + pypiRepositoryUrl);
    }

    private static void refuseUnlessDryRun(ReleaseRun run, String step, String wouldDo) {
        if (run.request().dryRun()) {
            run.skip(step, wouldDo);
            return;
        }
        throw new ReleaseFailedException("publishing (" + step + ") is not available in this build yet; "
                + "the files are built in " + run.request().dist() + " and nothing was published. Use --dry-run.");
    }
}
