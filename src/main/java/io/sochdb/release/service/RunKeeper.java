package io.sochdb.release.service;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.sochdb.release.state.RunRecord;
import io.sochdb.release.state.RunStore;

/**
 * Keeps runs alive across replicas: renews the leases of the runs this replica holds, takes over runs whose owner
 * stopped renewing (killed, partitioned), and tries again runs that failed for a passing reason. Every replica
 * runs one; the store's conditional updates make sure each run has one owner.
 */
public final class RunKeeper {

    private static final Logger LOG = LoggerFactory.getLogger(RunKeeper.class);

    private final ReleaseRuns runs;
    private final Clock clock;
    private final int maxAttempts;
    private final Duration retryDelay;
    private ScheduledExecutorService timer;

    /**
     * @param maxAttempts a run failed for a passing reason is claimed again until it has had this many attempts
     * @param retryDelay  the wait before the second attempt; it doubles for each later one
     */
    public RunKeeper(ReleaseRuns runs, Clock clock, int maxAttempts, Duration retryDelay) {
        this.runs = runs;
        this.clock = clock;
        this.maxAttempts = maxAttempts;
        this.retryDelay = retryDelay;
    }

    public synchronized void start(ScheduledExecutorService timer) {
        this.timer = timer;
        long lease = runs.lease().toMillis();
        timer.scheduleWithFixedDelay(this::renew, lease / 3, Math.max(100, lease / 3), TimeUnit.MILLISECONDS);
        timer.scheduleWithFixedDelay(this::reap, 0, Math.max(200, lease / 2), TimeUnit.MILLISECONDS);
    }

    public synchronized void stop() {
        if (timer != null) {
            timer.shutdownNow();
        }
    }

    void renew() {
        try {
            runs.renewLeases();
        } catch (RuntimeException e) {
            LOG.warn("Lease renewal failed: {}", e.getMessage());
        }
    }

    /** One look for orphaned and retryable runs. */
    void reap() {
        if (!runs.accepting()) {
            return;
        }
        RunStore store = runs.store();
        try {
            for (RunRecord expired : store.expired()) {
                LOG.info("Release {} lost its owner {} (lease expired); taking it over", expired.key(), expired.owner());
                store.takeOver(expired, runs.owner(), runs.lease())
                        .ifPresent(claim -> runs.resume(claim, "taken over from " + expired.owner()));
            }
            for (RunRecord failed : store.retryable(maxAttempts)) {
                if (failed.finished() != null && clock.instant().isAfter(failed.finished().plus(backoff(failed.attempt())))) {
                    LOG.info("Release {} failed for a passing reason ({}); attempt {} of {}", failed.key(),
                            failed.error(), failed.attempt() + 1, maxAttempts);
                    store.retry(failed, runs.owner(), runs.lease())
                            .ifPresent(claim -> runs.resume(claim, "tried again after: " + failed.error()));
                }
            }
        } catch (RuntimeException e) {
            LOG.warn("Could not look for runs to take over: {}", e.getMessage());
        }
    }

    private Duration backoff(int attempt) {
        return retryDelay.multipliedBy(1L << Math.min(10, Math.max(0, attempt - 1)));
    }
}
