package io.sochdb.release.service;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

import io.sochdb.release.run.Artifact;
import io.sochdb.release.run.ReleaseRun;
import io.sochdb.release.state.ArtifactRecord;
import io.sochdb.release.state.Progress;
import io.sochdb.release.state.RunStore;
import io.sochdb.release.state.StepRecord;

/**
 * Writes a run's progress to the state store at every step, fenced by the run's attempt: once another replica has
 * taken the run over, the write changes nothing and the run is told to stop here.
 */
final class StoreJournal implements ReleaseRun.Journal {

    private final RunStore store;
    private final String key;
    private final String owner;
    private final int attempt;
    private final Duration lease;
    private final Function<ReleaseRun, String> document;

    StoreJournal(RunStore store, String key, String owner, int attempt, Duration lease,
            Function<ReleaseRun, String> document) {
        this.store = store;
        this.key = key;
        this.owner = owner;
        this.attempt = attempt;
        this.lease = lease;
        this.document = document;
    }

    @Override
    public void record(ReleaseRun run) {
        if (run.lease().abandoned() != null) {
            return;
        }
        if (!store.record(key, owner, attempt, progress(run, document), lease)) {
            run.lease().abandon("another replica took release " + key + " over (attempt " + attempt + " is no longer current)");
        }
    }

    static Progress progress(ReleaseRun run, Function<ReleaseRun, String> document) {
        List<StepRecord> steps = run.steps().stream().map(s -> new StepRecord(s.name(),
                s.state().name().toLowerCase(Locale.ROOT), s.detail(), s.started(), s.finished())).toList();
        Map<String, String> published = run.publications();
        Map<String, Long> assets = run.githubAssets();
        List<ArtifactRecord> artifacts = run.artifacts().stream().map((Artifact a) -> new ArtifactRecord(a.name(),
                a.kind(), a.platform(), a.size(), a.sha256(), published.get(a.name()), assets.get(a.name()))).toList();
        return new Progress(run.sdkSource(), run.githubReleaseId(), document.apply(run), steps, artifacts);
    }
}
