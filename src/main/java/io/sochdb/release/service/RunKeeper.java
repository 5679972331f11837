package io.sochdb.release.service;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.sochdb.release.retry.RetryPolicy;
import io.sochdb.release.state.QueuedRuns;
import io.sochdb.release.state.RunRecord;
import io.sochdb.release.state.RunStore;

/**
 * The keeper's looks, each called by a timer route in runs.camel.yaml: renew the leases of the runs this replica holds,
 * take over runs whose owner stopped renewing (killed, partitioned), try again runs that failed for a passing
 * reason, and start production runs that waited for their dry run. Every replica runs them; the store's conditional
 * updates make sure each run has one owner. The looks return the runs they claimed, for the run queue.
 */
public final class RunKeeper {

    private static final Logger LOG = LoggerFactory.getLogger(RunKeeper.class);

    private final ReleaseRuns runs;
    private final Clock clock;
    private final RetryPolicy retry;

    /**
     * @param retry a run failed for a passing reason is claimed again until it has had {@code maxAttempts}
     *              attempts, each after the policy's step for the attempt that failed (no jitter: the store's
     *              conditional claim already keeps replicas from retrying the same run twice)
     */
    public RunKeeper(ReleaseRuns runs, Clock clock, RetryPolicy retry) {
        this.runs = runs;
        this.clock = clock;
        this.retry = retry;
    }

    /** The policy of RUN_RETRY_*: the first retry after {@code delay}, each later one after twice the wait before. */
    public static RetryPolicy policy(int maxAttempts, Duration delay) {
        return new RetryPolicy(maxAttempts, delay, delay.multipliedBy(1024), false);
    }

    public void renew() {
        runs.renewLeases();
    }

    /** Runs whose owner's lease expired, now held here. */
    public List<RunClaims.Start> takeOvers() {
        List<RunClaims.Start> claimed = new ArrayList<>();
        if (!runs.accepting()) {
            return claimed;
        }
        RunStore store = runs.store();
        for (RunRecord expired : store.expired()) {
            LOG.info("Release {} lost its owner {} (lease expired); taking it over", expired.key(), expired.owner());
            store.takeOver(expired, runs.owner(), runs.lease())
                    .map(claim -> runs.claims().resumed(claim, "taken over from " + expired.owner()))
                    .ifPresent(claimed::add);
        }
        return claimed;
    }

    /** Runs that failed for a passing reason and whose wait is over, whatever started them. */
    public List<RunClaims.Start> retries() {
        List<RunClaims.Start> claimed = new ArrayList<>();
        if (!runs.accepting()) {
            return claimed;
        }
        RunStore store = runs.store();
        for (RunRecord failed : store.retryable(retry.maxAttempts())) {
            if (failed.finished() != null && clock.instant().isAfter(failed.finished().plus(retryDelay(failed.attempt())))) {
                LOG.info("Release {} failed for a passing reason ({}); attempt {} of {}", failed.key(),
                        failed.error(), failed.attempt() + 1, retry.maxAttempts());
                store.retry(failed, runs.owner(), runs.lease())
                        .map(claim -> runs.claims().resumed(claim, "retried after a passing failure"))
                        .ifPresent(claimed::add);
            }
        }
        return claimed;
    }

    /** Production runs that waited for a dry run of their version, claimed once it is over. */
    public List<RunClaims.Start> waiting() {
        List<RunClaims.Start> claimed = new ArrayList<>();
        if (!runs.accepting()) {
            return claimed;
        }
        for (QueuedRuns.Queued waiting : runs.queued().all()) {
            runs.claims().claimQueued(waiting).ifPresent(start -> {
                LOG.info("Release {}: its dry run is over; the release it waited for starts", waiting.key());
                claimed.add(start);
            });
        }
        return claimed;
    }

    /** The wait after a failed attempt before the next. */
    Duration retryDelay(int failedAttempt) {
        return retry.step(Math.max(1, failedAttempt));
    }
}
