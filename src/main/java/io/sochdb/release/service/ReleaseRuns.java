package io.sochdb.release.service;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.apache.camel.ProducerTemplate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.sochdb.release.failure.ReleaseFailedException;
import io.sochdb.release.packaging.Version;
import io.sochdb.release.pipeline.ReleasePlanner;
import io.sochdb.release.retry.Failures;
import io.sochdb.release.run.ReleaseRequest;
import io.sochdb.release.run.ReleaseRun;
import io.sochdb.release.state.ArtifactRecord;
import io.sochdb.release.state.RunInput;
import io.sochdb.release.state.RunRecord;
import io.sochdb.release.state.RunStore;

/**
 * The runs of service mode, one per version across every replica. Every trigger (webhook, manual, poller) starts
 * runs here, and each start is a claim in the state store, so a version that is running anywhere or has been
 * released is never started twice. Runs execute the same {@code direct:release} route as the command line, in the
 * background, each writing to {@code <dist>/<run key>/}, and record every step in the store as they go.
 */
public final class ReleaseRuns {

    public enum Outcome { STARTED, ALREADY_RUNNING, ALREADY_DONE }

    public record Start(Outcome outcome, String version) {
    }

    private static final Logger LOG = LoggerFactory.getLogger(ReleaseRuns.class);

    private final ProducerTemplate template;
    private final ExecutorService executor;
    private final Path dist;
    private final RunStore store;
    private final String owner;
    private final Duration lease;
    private final Function<ReleaseRun, String> document;
    private final boolean dryRunFirst;
    /** The runs this replica holds, by run key. */
    private final Map<String, Held> held = new ConcurrentHashMap<>();
    private volatile boolean accepting = true;

    private record Held(ReleaseRun run, int attempt) {
    }

    /**
     * @param owner    this replica's id in the store
     * @param lease    how long a claim lasts without renewal; {@link RunKeeper} renews it
     * @param document    the status document of a run (summary.json), recorded with each step
     * @param dryRunFirst production runs started by the webhook or the poller run a dry run first, and go on only
     *                    when it succeeds (the publishing checklist's "dry run first", done by the pipeline)
     */
    public ReleaseRuns(ProducerTemplate template, ExecutorService executor, Path dist, RunStore store, String owner,
            Duration lease, Function<ReleaseRun, String> document, boolean dryRunFirst) {
        this.dryRunFirst = dryRunFirst;
        this.template = template;
        this.executor = executor;
        this.dist = dist.toAbsolutePath().normalize();
        this.store = store;
        this.owner = owner;
        this.lease = lease;
        this.document = document;
    }

    /** Checks the request (InvalidInputException for a bad one), then claims and starts it unless it is taken. */
    public Start start(String version, String sochdbVersion, boolean dryRun, String trigger) {
        ReleaseRequest probe = new ReleaseRequest(version, sochdbVersion, dryRun, dist, null, null);
        Version canonical = ReleasePlanner.checkRequest(probe);
        String key = canonical.canonical();
        Optional<RunRecord> production = store.find(key);
        // A dry run of a released version is kept apart, so that it never replaces the production record.
        boolean aside = dryRun && production.map(RunRecord::released).orElse(false);
        String runKey = aside ? key + "-dry-run" : key;
        Optional<RunRecord> current = aside ? store.find(runKey) : production;
        if (current.map(r -> r.leaseLive(System.currentTimeMillis())).orElse(false)) {
            return new Start(Outcome.ALREADY_RUNNING, key);
        }
        if (!dryRun && production.map(RunRecord::released).orElse(false)) {
            return new Start(Outcome.ALREADY_DONE, key);
        }
        if (!accepting) {
            throw new IllegalStateException("shutting down: no new release runs");
        }
        RunStore.Claim claim = store.claim(runKey,
                new RunInput(version, probe.upstreamVersion(), dryRun, trigger), owner, lease);
        return switch (claim.outcome()) {
            case RUNNING -> new Start(Outcome.ALREADY_RUNNING, key);
            case DONE -> new Start(Outcome.ALREADY_DONE, key);
            case CLAIMED, RESUMED -> {
                launch(claim, trigger);
                yield new Start(Outcome.STARTED, key);
            }
        };
    }

    /** Continues a run that another replica (or this one, before a restart) claimed and then stopped renewing. */
    void resume(RunStore.Claim claim, String reason) {
        launch(claim, reason);
    }

    private void launch(RunStore.Claim claim, String trigger) {
        RunRecord record = claim.record();
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
        held.put(record.key(), new Held(run, attempt));
        if (resumed) {
            LOG.info("Resuming release {} (attempt {}, {}; it was at step {})", record.key(), attempt, trigger,
                    lastStep(claim));
        } else {
            LOG.info("Starting release {} ({}, {})", record.key(), trigger, record.dryRun() ? "dry run" : "production");
        }
        if (dryRunFirst && !record.dryRun() && automatic(record.trigger())) {
            run.dryRunFirst(new ReleaseRun(new ReleaseRequest(record.version(), record.sochdbVersion(), true,
                    dist.resolve(record.key() + "-dry-run"), null, null, false, request.sdkRef()), Clock.systemUTC()));
        }
        executor.submit(() -> execute(record.key(), run, attempt));
    }

    /** Webhook and poller runs start without a person watching; a manual trigger says itself what it wants. */
    private static boolean automatic(String trigger) {
        return trigger.startsWith("webhook") || trigger.equals("poller");
    }

    private void execute(String key, ReleaseRun run, int attempt) {
        try {
            ReleaseRun dryRun = run.dryRunFirst();
            if (dryRun != null) {
                LOG.info("Release {}: dry run first", key);
                template.requestBody("direct:release", dryRun, String.class);
                if (!dryRun.succeeded()) {
                    run.fail(new ReleaseFailedException("the dry run before the release failed at step "
                            + dryRun.failedStep() + ": " + dryRun.failure().getMessage()));
                    run.finish();
                    return;
                }
            }
            template.requestBody("direct:release", run, String.class);
        } catch (RuntimeException e) {
            run.fail(e);
            run.finish();
            LOG.error("Release {} stopped: {}", key, e.getMessage());
        } finally {
            // Recorded before it is let go, so that whoever sees the run gone here finds its end in the store.
            finishRecord(key, run, attempt);
            held.remove(key);
        }
    }

    private void finishRecord(String key, ReleaseRun run, int attempt) {
        if (run.lease().abandoned() != null) {
            LOG.warn("Release {} was given up here: {}", key, run.lease().abandoned());
            return;
        }
        Throwable failure = run.failure();
        if (failure != null && !accepting) {
            // Cut short by a shutdown (a rolling update, a drained node): not a failure of the release. Its lease is
            // let go at once, so that another replica continues it now rather than after the lease would expire.
            try {
                store.handOver(key, owner, attempt);
                LOG.warn("Release {} was interrupted by the shutdown; another replica takes it over", key);
            } catch (RuntimeException e) {
                LOG.warn("Release {} was interrupted by the shutdown; its lease expires in {}", key, lease);
            }
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

    /** Renews the lease of every run this replica holds; a run whose lease was lost is told to stop. */
    void renewLeases() {
        for (Map.Entry<String, Held> entry : held.entrySet()) {
            Held run = entry.getValue();
            try {
                long asked = System.currentTimeMillis();
                if (store.renew(entry.getKey(), owner, run.attempt(), lease)) {
                    run.run().lease().ownedUntil(asked + lease.toMillis());
                } else {
                    run.run().lease().abandon("another replica took release " + entry.getKey() + " over after this one "
                            + "missed its lease");
                    held.remove(entry.getKey());
                }
            } catch (RuntimeException e) {
                LOG.warn("Could not renew the lease of release {}: {}", entry.getKey(), e.getMessage());
            }
        }
    }

    public Optional<ReleaseRun> live(String key) {
        Held run = held.get(key);
        return run == null ? Optional.empty() : Optional.of(run.run());
    }

    /** The runs this replica is working on, fresher than their last record in the store. */
    public List<ReleaseRun> liveRuns() {
        return new ArrayList<>(held.values().stream().map(Held::run).toList());
    }

    /** The status document of a run, with its dry run first when it had one. */
    public String document(ReleaseRun run) {
        return document.apply(run);
    }

    public RunStore store() {
        return store;
    }

    public String owner() {
        return owner;
    }

    public Duration lease() {
        return lease;
    }

    /** Graceful shutdown: no new runs; the running one finishes its current step (the executor is drained). */
    public void stopAccepting() {
        accepting = false;
    }

    public boolean accepting() {
        return accepting;
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
