package io.sochdb.release.pipeline;

import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.sochdb.release.run.ReleaseRun;
import io.sochdb.release.run.RunAbandonedException;

/** Records why a release stopped, against the step that was running. */
public final class ReleaseFailures {

    private static final Logger LOG = LoggerFactory.getLogger(ReleaseFailures.class);

    public void record(@ExchangeProperty(StepTracker.RUN_PROPERTY) ReleaseRun run,
            @ExchangeProperty(Exchange.EXCEPTION_CAUGHT) Exception error) {
        run.fail(error);
        if (error instanceof RunAbandonedException) {
            // Not a failure of the release: another replica owns it now and carries it on.
            LOG.warn("Release {} stopped here at step {}: {}", run.request().version(), run.failedStep(),
                    error.getMessage());
        } else {
            LOG.error("Release failed at step {}: {}", run.failedStep(), error.getMessage());
        }
        LOG.debug("Release failure", error);
    }
}
