package io.sochdb.release.service;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.sochdb.release.failure.ReleaseFailedException;
import io.sochdb.release.retry.Failures;
import io.sochdb.release.run.ReleaseRequest;
import io.sochdb.release.run.ReleaseRun;
import io.sochdb.release.state.ArtifactRecord;
import io.sochdb.release.state.QueuedRuns;
import io.sochdb.release.state.RunRecord;
import io.sochdb.release.state.RunStore;

/**
 * The runs of service mode, one per version across every replica (runs.camel.yaml calls these steps). A run claimed in
 * the state store (see RunClaims) waits in the run queue, then executes the same {@code direct:release} route as the
 * command line, writing to {@code <dist>/<run key>/} and recording every step and its end.
 */
public final class ReleaseRuns {

    static final String RUN = "releaseRun";
    static final String DRY_RUN_FIRST = "dryRunFirst";
    static final String RUN_KEY = "runKey";

    private static final Logger LOG = LoggerFactory.getLogger(ReleaseRuns.class);

    private final Path dist;
    private final RunStore store;
    private final QueuedRuns queued;
    private final String owner;
    private final Duration lease;
    private final Function<ReleaseRun, String> document;
    private final boolean dryRunFirst;
    private final BooleanSupplier stopping;
    private final HeldRuns held;
    private final RunClaims claims;

    /**
     * @param owner       this replica's id in the store
     * @param lease       how long a claim lasts without renewal; the lease-renewal route renews it
     * @param document    the status document of a run (summary.json), recorded with each step
     * @param dryRunFirst production runs started by the webhook or the poller run a dry run first, and go on only
     *                    when it succeeds (the publishing checklist's "dry run first", done by the pipeline)
     * @param stopping    true once the service is shutting down: from then on no run starts
     */
    public ReleaseRuns(Path dist, RunStore store, QueuedRuns queued, String owner, Duration lease,
            Function<ReleaseRun, String> document, boolean dryRunFirst, BooleanSupplier stopping) {
        this.dist = dist.toAbsolutePath().normalize();
        this.store = store;
        this.queued = queued;
        this.owner = owner;
        this.lease = lease;
        this.document = document;
        this.dryRunFirst = dryRunFirst;
        this.stopping = stopping;
        this.held = new HeldRuns(store, owner, lease);
        this.claims = new RunClaims(this.dist, store, queued, owner, lease, held, stopping);
    }

    /** Where every trigger and the keeper claim the runs that this class then executes. */
    public RunClaims claims() {
        return claims;
    }

    /**
     * The run queue's first step: the claimed run becomes a ReleaseRun (with its dry run first when it has one, in
     * the exchange property {@code dryRunFirst}). Null when the service is shutting down: the run is then let go at
     * once, for another replica to take over, instead of starting.
     */
    public ReleaseRun begin(Exchange exchange) {
        RunClaims.Start start = exchange.getMessage().getBody(RunClaims.Start.class);
        RunStore.Claim claim = start.claim();
        RunRecord record = claim.record();
        if (stopping.getAsBoolean()) {
            held.handOver(record.key(), record.attempt(), "the service is shutting down before it started");
            return null;
        }
        boolean resumed = claim.outcome() == RunStore.Outcome.RESUMED;
        ReleaseRequest request = new ReleaseRequest(record.version(), record.sochdbVersion(), record.dryRun(),
                dist.resolve(record.key()), null, null, false, resumed ? pinnedCommit(record.sdkSource()) : null);
        ReleaseRun run = new ReleaseRun(request, Clock.systemUTC());
        if (resumed) {
            run.expectDigests(claim.previousArtifacts().stream()
                    .collect(Collectors.toMap(ArtifactRecord::name, ArtifactRecord::sha256)));
        }
        int attempt = record.attempt();
        // The claim's lease was written just before; counting from now errs on the safe side.
        run.lease().ownedUntil(System.currentTimeMillis() + lease.toMillis());
        run.journal(new StoreJournal(store, record.key(), owner, attempt, lease, document));
        held.hold(record.key(), run, attempt);
        if (resumed) {
            LOG.info("Resuming release {} (attempt {}, {}{}; it was at step {})", record.key(), attempt, record.trigger(),
                    start.why() == null ? "" : ", " + start.why(), lastStep(claim));
        } else {
            LOG.info("Starting release {} ({}, {})", record.key(), record.trigger(), record.dryRun() ? "dry run" : "production");
        }
        exchange.setProperty(RUN, run);
        exchange.setProperty(RUN_KEY, record.key());
        if (dryRunFirst && !record.dryRun() && automatic(record.trigger())) {
            LOG.info("Release {}: dry run first", record.key());
            ReleaseRun dryRun = new ReleaseRun(new ReleaseRequest(record.version(), record.sochdbVersion(), true,
                    dist.resolve(record.key() + "-dry-run"), null, null, false, request.sdkRef()), Clock.systemUTC());
            run.dryRunFirst(dryRun);
            exchange.setProperty(DRY_RUN_FIRST, dryRun);
        }
        return run;
    }

    /** Webhook and poller runs start without a person watching; a manual trigger says itself what it wants. */
    private static boolean automatic(String trigger) {
        return trigger.startsWith("webhook") || trigger.startsWith("poller");
    }

    /**
     * After the dry run: a failed one stops the release before it starts, and its failure is the run's cause, so
     * that a passing failure (an outage) is retried as it would be for a run without a dry run.
     */
    public ReleaseRun afterDryRun(Exchange exchange) {
        ReleaseRun run = exchange.getProperty(RUN, ReleaseRun.class);
        ReleaseRun dryRun = run.dryRunFirst();
        if (!dryRun.succeeded()) {
            run.fail(new ReleaseFailedException("the dry run before the release failed at step " + dryRun.failedStep()
                    + ": " + dryRun.failure().getMessage(), dryRun.failure()));
            run.finish();
        }
        return run;
    }

    /** The run stopped on an error outside its steps. */
    public void crashed(Exchange exchange) {
        ReleaseRun run = exchange.getProperty(RUN, ReleaseRun.class);
        Throwable error = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        run.fail(error);
        run.finish();
        LOG.error("Release {} stopped: {}", run.request().version(), error == null ? "?" : error.getMessage());
    }

    /** The run's end, recorded before it is let go, so that whoever sees it gone here finds its end in the store. */
    public void record(Exchange exchange) {
        ReleaseRun run = exchange.getProperty(RUN, ReleaseRun.class);
        String runKey = exchange.getProperty(RUN_KEY, String.class);
        Optional<Integer> attempt = held.attemptOf(runKey, run);
        if (attempt.isEmpty()) {
            // The replica that took it over records it; this one only says that it stopped.
            LOG.warn("Release {} was given up here: {}", runKey,
                    run.lease().abandoned() != null ? run.lease().abandoned() : "its lease was lost while it ran");
            return;
        }
        try {
            finishRecord(runKey, run, attempt.get());
        } finally {
            held.letGo(runKey);
        }
    }

    private void finishRecord(String key, ReleaseRun run, int attempt) {
        if (run.lease().abandoned() != null) {
            LOG.warn("Release {} was given up here: {}", key, run.lease().abandoned());
            return;
        }
        Throwable failure = run.failure();
        if (failure != null && stopping.getAsBoolean()) {
            // Cut short by a shutdown (a rolling update, a drained node): not a failure of the release. Its lease is
            // let go at once, so that another replica continues it now rather than after the lease would expire.
            held.handOver(key, attempt, "it was interrupted by the shutdown");
            return;
        }
        try {
            boolean recorded = store.finish(key, owner, attempt, failure == null ? RunRecord.SUCCEEDED : RunRecord.FAILED,
                    run.failedStep(), failure == null ? null : failure.getMessage(), Failures.needsPerson(failure),
                    StoreJournal.progress(run, document));
            if (!recorded) {
                LOG.warn("Release {} ended here, but another replica had taken it over; its record is theirs", key);
            }
        } catch (RuntimeException e) {
            // The lease runs out and another replica resumes the run, which then finds everything already done.
            LOG.error("Could not record the end of release {}: {}", key, e.getMessage());
        }
    }

    /** Renews the lease of every run this replica holds, queued or executing; a run whose lease was lost stops. */
    public void renewLeases() {
        held.renewLeases();
    }

    public Optional<ReleaseRun> live(String key) {
        return held.live(key);
    }

    /** The runs this replica is executing, fresher than their last record in the store. */
    public List<ReleaseRun> liveRuns() {
        return held.executing();
    }

    /** The status document of a run, with its dry run first when it had one. */
    public String document(ReleaseRun run) {
        return document.apply(run);
    }

    public RunStore store() {
        return store;
    }

    QueuedRuns queued() {
        return queued;
    }

    public String owner() {
        return owner;
    }

    public Duration lease() {
        return lease;
    }

    public boolean accepting() {
        return !stopping.getAsBoolean();
    }

    /** {@code repo@commit}: a resumed run builds from that commit; a local path pins nothing. */
    private static String pinnedCommit(String sdkSource) {
        if (sdkSource == null) {
            return null;
        }
        int at = sdkSource.lastIndexOf('@');
        return at < 0 ? null : sdkSource.substring(at + 1);
    }

    private static String lastStep(RunStore.Claim claim) {
        return claim.previousSteps().stream().filter(s -> !s.state().equals("pending")).reduce((a, b) -> b)
                .map(s -> s.step() + " (" + s.state() + ")").orElse("its start");
    }
}
