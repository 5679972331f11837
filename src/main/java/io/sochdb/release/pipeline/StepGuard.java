package io.sochdb.release.pipeline;

import org.apache.camel.Exchange;

import io.sochdb.release.run.ReleaseRun;

/**
 * Runs before every step: a run that this replica lost to another (its lease expired while it was stalled) stops
 * here, so that two replicas never work on the same release at once.
 */
public final class StepGuard {

    public void check(Exchange exchange) {
        ReleaseRun run = exchange.getProperty(StepTracker.RUN_PROPERTY, ReleaseRun.class);
        if (run != null) {
            run.lease().requireOwned();
        }
    }
}
