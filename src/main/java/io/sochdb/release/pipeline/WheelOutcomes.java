package io.sochdb.release.pipeline;

import java.util.List;
import java.util.stream.Collectors;

import org.apache.camel.AggregationStrategy;
import org.apache.camel.Exchange;

import io.sochdb.release.failure.ReleaseFailedException;
import io.sochdb.release.run.ReleaseRun;
import io.sochdb.release.run.WheelOutcome;

/** Gathers the per-platform outcomes of the parallel split into the run, and hands the run back as the body. */
public final class WheelOutcomes implements AggregationStrategy {

    @Override
    public Exchange aggregate(Exchange oldExchange, Exchange newExchange) {
        ReleaseRun run = newExchange.getProperty(StepTracker.RUN_PROPERTY, ReleaseRun.class);
        WheelOutcome outcome = newExchange.getMessage().getBody(WheelOutcome.class);
        if (outcome != null) {
            run.platform(outcome);
            if (outcome.succeeded()) {
                run.artifact(outcome.wheel());
            }
        }
        Exchange result = oldExchange == null ? newExchange : oldExchange;
        result.getMessage().setBody(run);
        return result;
    }

    /** Ends the wheels step: every platform must have its wheel, or nothing of this release may ship. */
    public void requireAll(ReleaseRun run) {
        List<WheelOutcome> outcomes = run.platforms();
        List<WheelOutcome> failed = outcomes.stream().filter(o -> !o.succeeded()).toList();
        int expected = run.plan().wheelJobs().size();
        if (!failed.isEmpty() || outcomes.size() != expected) {
            ReleaseFailedException error = new ReleaseFailedException(failed.size() + " of " + expected
                    + " wheels failed: " + failed.stream().map(o -> o.platform().triple() + ": " + o.error())
                    .collect(Collectors.joining("; ")));
            // Each platform's own cause goes along, so that whoever decides on a retry sees all of them.
            failed.stream().map(WheelOutcome::failure).filter(f -> f != null).forEach(error::addSuppressed);
            throw error;
        }
        run.detail(expected + " wheels built");
    }
}
