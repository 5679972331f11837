package io.sochdb.release.service;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.function.BooleanSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.sochdb.release.packaging.Version;
import io.sochdb.release.pipeline.ReleasePlanner;
import io.sochdb.release.run.ReleaseRequest;
import io.sochdb.release.state.QueuedRuns;
import io.sochdb.release.state.RunInput;
import io.sochdb.release.state.RunRecord;
import io.sochdb.release.state.RunStore;

/**
 * Claims runs, one per version across every replica. Every trigger (and the keeper) claims its run here, and the
 * claim is a row in the state store, so a version that is running anywhere or has been released is never started
 * twice. A claimed run is held by this replica (its lease renewed) until it has run.
 */
public final class RunClaims {

    public enum Outcome { STARTED, QUEUED, ALREADY_RUNNING, ALREADY_DONE }

    /**
     * @param claim the store's claim when this replica owns the run now (STARTED), else null
     * @param why   why the keeper resumed the run (taken over, retried), for the log; null otherwise
     */
    public record Start(Outcome outcome, String version, RunRequest request, RunStore.Claim claim, String why) {

        public Start(Outcome outcome, String version, RunRequest request, RunStore.Claim claim) {
            this(outcome, version, request, claim, null);
        }
    }

    private static final Logger LOG = LoggerFactory.getLogger(RunClaims.class);

    private final Path dist;
    private final RunStore store;
    private final QueuedRuns queued;
    private final String owner;
    private final Duration lease;
    private final HeldRuns held;
    private final BooleanSupplier stopping;

    RunClaims(Path dist, RunStore store, QueuedRuns queued, String owner, Duration lease, HeldRuns held,
            BooleanSupplier stopping) {
        this.dist = dist;
        this.store = store;
        this.queued = queued;
        this.owner = owner;
        this.lease = lease;
        this.held = held;
        this.stopping = stopping;
    }

    /**
     * Checks the request (InvalidInputException for a bad one), then claims it unless it is taken. A production
     * run asked for while a dry run of the same version runs waits for it in the store (QUEUED): it is never
     * answered as running when what runs is only its dry run.
     */
    public Start claim(RunRequest request) {
        ReleaseRequest probe = new ReleaseRequest(request.version(), request.sochdbVersion(), request.dryRun(), dist,
                null, null);
        Version canonical = ReleasePlanner.checkRequest(probe);
        String key = canonical.canonical();
        String upstream = probe.upstreamVersion().strip();
        Optional<RunRecord> production = store.find(key);
        // A dry run of a released version is kept apart, so that it never replaces the production record.
        boolean aside = request.dryRun() && production.map(RunRecord::released).orElse(false);
        String runKey = aside ? key + "-dry-run" : key;
        Optional<RunRecord> current = aside ? store.find(runKey) : production;
        if (current.map(r -> r.leaseLive(System.currentTimeMillis())).orElse(false)) {
            return waitOrRunning(request, key, upstream, current.get());
        }
        if (!request.dryRun() && production.map(RunRecord::released).orElse(false)) {
            return new Start(Outcome.ALREADY_DONE, key, request, null);
        }
        if (stopping.getAsBoolean()) {
            throw new ShuttingDownException();
        }
        RunStore.Claim claim = store.claim(runKey, new RunInput(key, upstream, request.dryRun(), request.trigger()),
                owner, lease);
        return switch (claim.outcome()) {
            case RUNNING -> waitOrRunning(request, key, upstream, claim.record());
            case DONE -> new Start(Outcome.ALREADY_DONE, key, request, null);
            case CLAIMED, RESUMED -> {
                held.hold(runKey, null, claim.record().attempt());
                yield new Start(Outcome.STARTED, key, request, claim);
            }
        };
    }

    private Start waitOrRunning(RunRequest request, String key, String upstream, RunRecord running) {
        if (!request.dryRun() && running.dryRun()) {
            queued.add(key, new RunInput(key, upstream, false, request.trigger()));
            LOG.info("Release {} ({}) waits for the dry run of {} to end", key, request.trigger(), key);
            return new Start(Outcome.QUEUED, key, request, null);
        }
        return new Start(Outcome.ALREADY_RUNNING, key, request, null);
    }

    /** Claims a production run that waited for a dry run, once that dry run is over; empty while it runs. */
    Optional<Start> claimQueued(QueuedRuns.Queued waiting) {
        RunInput input = waiting.input();
        RunStore.Claim claim = store.claim(waiting.key(), input, owner, lease);
        switch (claim.outcome()) {
            case RUNNING:
                return Optional.empty();
            case DONE:
                queued.remove(waiting.key());
                return Optional.empty();
            default:
                queued.remove(waiting.key());
                held.hold(waiting.key(), null, claim.record().attempt());
                return Optional.of(new Start(Outcome.STARTED, waiting.key(), new RunRequest(input.version(),
                        input.sochdbVersion(), false, RunRequest.Source.KEEPER, input.trigger()), claim));
        }
    }

    /** A run claimed by the keeper (takeover, retry): held from now on, so that its lease is renewed in the queue. */
    Start resumed(RunStore.Claim claim, String why) {
        held.hold(claim.record().key(), null, claim.record().attempt());
        RunRecord record = claim.record();
        return new Start(Outcome.STARTED, record.key(), new RunRequest(record.version(), record.sochdbVersion(),
                record.dryRun(), RunRequest.Source.KEEPER, record.trigger()), claim, why);
    }
}
