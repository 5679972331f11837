package io.sochdb.release.run;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.sochdb.release.install.report.InstallReport;

/**
 * The live record of one release run: each step's state, each platform's outcome, the artifacts and the error.
 * Platforms are built in parallel, so every method is synchronized.
 */
public final class ReleaseRun {

    public enum State { PENDING, RUNNING, SUCCEEDED, SKIPPED, FAILED }

    public record Step(String name, State state, String detail, Instant started, Instant finished) {
    }

    /** Where a run's progress is kept beyond this process (the state store in service mode); called at each step. */
    public interface Journal {
        Journal NONE = run -> { };

        void record(ReleaseRun run);
    }

    private final ReleaseRequest request;
    private final Clock clock;
    private final Instant started;
    private final Map<String, Step> steps = new LinkedHashMap<>();
    private final Map<String, WheelOutcome> platforms = new LinkedHashMap<>();
    private final List<Artifact> artifacts = new ArrayList<>();
    private ReleasePlan plan;
    private String sdkSource;
    private final Map<String, String> links = new LinkedHashMap<>();
    private final Map<String, String> publications = new LinkedHashMap<>();
    private InstallReport installProof;
    private long bytesDownloaded;
    private long bytesUploaded;
    private Throwable failure;
    private String failedStep;
    private String current;
    private Instant finished;
    private Journal journal = Journal.NONE;
    private ReleaseRun dryRunFirst;
    private RunLease lease = new RunLease();
    private Long githubReleaseId;
    private final Map<String, Long> githubAssets = new LinkedHashMap<>();
    /** sha256 by file name, of what an interrupted attempt of this run built; a resumed run must build the same. */
    private Map<String, String> expectedDigests = Map.of();

    public ReleaseRun(ReleaseRequest request, Clock clock) {
        this.request = request;
        this.clock = clock;
        this.started = clock.instant();
    }

    /**
     * The steps ahead, in order, as the release route lists them; every run reports every step, so a reader sees how
     * far it got. Steps already known (a resumed run's) keep their state.
     */
    public synchronized void expect(List<String> names) {
        Map<String, Step> known = new LinkedHashMap<>(steps);
        steps.clear();
        for (String name : names) {
            steps.put(name, known.getOrDefault(name, new Step(name, State.PENDING, null, null, null)));
        }
        known.forEach(steps::putIfAbsent);
    }

    public ReleaseRequest request() {
        return request;
    }

    public synchronized void journal(Journal journal) {
        this.journal = journal;
    }

    /** Hands the run's current state to its journal; the StepTracker calls it as steps begin and end. */
    public void changed() {
        Journal current;
        synchronized (this) {
            current = journal;
        }
        current.record(this);
    }

    /** Whether this replica still owns the run (service mode's fencing between replicas). */
    public synchronized RunLease lease() {
        return lease;
    }

    /**
     * The dry run that policy runs before this production run (DRY_RUN_FIRST), shown with it in the status. It runs
     * under this run's lease.
     */
    public void dryRunFirst(ReleaseRun dryRun) {
        RunLease shared;
        synchronized (this) {
            dryRunFirst = dryRun;
            shared = lease;
        }
        synchronized (dryRun) {
            dryRun.lease = shared;
        }
    }

    public synchronized ReleaseRun dryRunFirst() {
        return dryRunFirst;
    }

    public synchronized void expectDigests(Map<String, String> digests) {
        expectedDigests = Map.copyOf(digests);
    }

    public synchronized Map<String, String> expectedDigests() {
        return expectedDigests;
    }

    /** The SDK's GitHub release this run staged, and the ids of its assets by file name. */
    public synchronized void githubRelease(long releaseId, Map<String, Long> assetIds) {
        githubReleaseId = releaseId;
        githubAssets.putAll(assetIds);
    }

    public synchronized Long githubReleaseId() {
        return githubReleaseId;
    }

    public synchronized Map<String, Long> githubAssets() {
        return Map.copyOf(githubAssets);
    }

    public synchronized void begin(String step) {
        steps.put(step, new Step(step, State.RUNNING, null, clock.instant(), null));
        current = step;
    }

    /** Completes a running step, keeping the detail it reported; a skipped or failed step stays as it is. */
    public synchronized void succeed(String step) {
        Step now = steps.get(step);
        if (now != null && now.state() == State.RUNNING) {
            steps.put(step, new Step(step, State.SUCCEEDED, now.detail(), now.started(), clock.instant()));
        }
    }

    /**
     * What the running step did, in a few words. Steps never name themselves: the release route says which step is
     * running (see StepTracker), so a step's code cannot report into another's line.
     */
    public synchronized void detail(String detail) {
        Step now = running("detail");
        steps.put(now.name(), new Step(now.name(), now.state(), detail, now.started(), now.finished()));
    }

    /** The running step had nothing to do, for {@code reason}; it ends as skipped rather than done. */
    public synchronized void skip(String reason) {
        Step now = running("skip");
        steps.put(now.name(), new Step(now.name(), State.SKIPPED, reason, now.started(), clock.instant()));
    }

    private Step running(String what) {
        Step now = current == null ? null : steps.get(current);
        if (now == null || now.state() != State.RUNNING) {
            throw new IllegalStateException(what + " reported while no step of release " + request.version()
                    + " is running (steps report from inside the route's direct: step)");
        }
        return now;
    }

    /** Marks the running step (or the first pending one) failed; later steps stay pending. */
    public synchronized void fail(Throwable error) {
        if (failure != null) {
            return;
        }
        failure = error;
        String target = steps.values().stream().filter(s -> s.state() == State.RUNNING).map(Step::name).findFirst()
                .orElseGet(() -> steps.values().stream().filter(s -> s.state() == State.PENDING).map(Step::name)
                        .findFirst().orElse("release"));
        Step was = steps.get(target);
        steps.put(target, new Step(target, State.FAILED, error.getMessage(),
                was == null ? null : was.started(), clock.instant()));
        failedStep = target;
    }

    public synchronized void finish() {
        finished = clock.instant();
    }

    public synchronized void plan(ReleasePlan plan) {
        this.plan = plan;
        for (WheelJob job : plan.wheelJobs()) {
            platforms.put(job.platform().triple(), null);
        }
    }

    /** Where the SDK source came from: a local path, or {@code repo@commit}. */
    public synchronized void sdkSource(String source) {
        this.sdkSource = source;
    }

    public synchronized String sdkSource() {
        return sdkSource;
    }

    /** Records a place people can look at, such as the GitHub release this run created. */
    public synchronized void link(String name, String url) {
        links.put(name, url);
    }

    public synchronized Map<String, String> links() {
        return Map.copyOf(links);
    }

    /** What happened to a file on the package index: uploaded, already published and identical, ... */
    public synchronized void publication(String file, String outcome) {
        publications.put(file, outcome);
    }

    public synchronized Map<String, String> publications() {
        return Map.copyOf(publications);
    }

    public synchronized ReleasePlan plan() {
        return plan;
    }

    /** What pip resolved per platform and Python, and the smoke test on this host. */
    public synchronized void installProof(InstallReport report) {
        this.installProof = report;
    }

    public synchronized InstallReport installProof() {
        return installProof;
    }

    public synchronized void platform(WheelOutcome outcome) {
        platforms.put(outcome.platform().triple(), outcome);
    }

    public synchronized List<WheelOutcome> platforms() {
        return platforms.values().stream().filter(o -> o != null).toList();
    }

    public synchronized void artifact(Artifact artifact) {
        artifacts.add(artifact);
    }

    public synchronized void replaceArtifacts(List<Artifact> moved) {
        artifacts.clear();
        artifacts.addAll(moved);
    }

    public synchronized List<Artifact> artifacts() {
        return List.copyOf(artifacts);
    }

    public synchronized List<Step> steps() {
        return List.copyOf(steps.values());
    }

    public synchronized Throwable failure() {
        return failure;
    }

    public synchronized void downloaded(long bytes) {
        bytesDownloaded += bytes;
    }

    public synchronized void uploaded(long bytes) {
        bytesUploaded += bytes;
    }

    public synchronized long bytesDownloaded() {
        return bytesDownloaded;
    }

    public synchronized long bytesUploaded() {
        return bytesUploaded;
    }

    /** {@code succeeded}, or {@code failed-<step>}: the label of the runs metric. */
    public synchronized String outcome() {
        return failure == null ? "succeeded" : "failed-" + failedStep;
    }

    public synchronized String failedStep() {
        return failedStep;
    }

    public synchronized boolean succeeded() {
        return failure == null;
    }

    public Instant started() {
        return started;
    }

    public synchronized Instant finished() {
        return finished;
    }
}
