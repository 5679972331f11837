package io.sochdb.release.release;

/**
 * The PyPI step, until the PyPI client arrives. A dry run records what it would do. A real release stops here,
 * after the GitHub draft is staged and before anything is made public.
 */
public final class Publication {

    private final String pypiRepositoryUrl;

    public Publication(String pypiRepositoryUrl) {
        this.pypiRepositoryUrl = pypiRepositoryUrl;
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
                + "the files are built in " + run.request().dist() + " and the GitHub release is still a draft, "
                + "so nothing was made public. Use --dry-run.");
    }
}
