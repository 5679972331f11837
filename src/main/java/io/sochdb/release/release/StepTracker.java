package io.sochdb.release.release;

import java.util.Set;

import org.apache.camel.Exchange;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.support.EventNotifierSupport;

/**
 * Records step states from the release route itself: sending to {@code direct:<step>} begins the step, and its
 * return completes or fails it. The routes stay the single place that says what the steps are and in which order.
 */
public final class StepTracker extends EventNotifierSupport {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(StepTracker.class);

    public static final String RUN_PROPERTY = "run";
    private static final Set<String> STEPS = Set.copyOf(ReleaseRun.STEPS);

    public StepTracker() {
        setIgnoreCamelContextEvents(true);
        setIgnoreRouteEvents(true);
        setIgnoreServiceEvents(true);
        setIgnoreStepEvents(true);
        setIgnoreExchangeCreatedEvent(true);
        setIgnoreExchangeCompletedEvent(true);
        setIgnoreExchangeFailedEvents(true);
        setIgnoreExchangeRedeliveryEvents(true);
        setIgnoreExchangeAsyncProcessingStartedEvents(true);
    }

    @Override
    public boolean isEnabled(CamelEvent event) {
        return event instanceof CamelEvent.ExchangeSendingEvent || event instanceof CamelEvent.ExchangeSentEvent;
    }

    @Override
    public void notify(CamelEvent event) {
        CamelEvent.ExchangeEvent exchangeEvent = (CamelEvent.ExchangeEvent) event;
        Exchange exchange = exchangeEvent.getExchange();
        ReleaseRun run = exchange.getProperty(RUN_PROPERTY, ReleaseRun.class);
        String step = stepOf(event);
        if (run == null || step == null) {
            return;
        }
        if (event instanceof CamelEvent.ExchangeSendingEvent) {
            run.begin(step);
            run.changed();
            return;
        }
        if (exchange.getException() == null) {
            run.succeed(step);
        }
        run.changed();
        ReleaseRun.Step done = run.steps().stream().filter(s -> s.name().equals(step)).findFirst().orElse(null);
        long millis = ((CamelEvent.ExchangeSentEvent) event).getTimeTaken();
        String state = exchange.getException() != null ? "failed"
                : done == null ? "done" : done.state().name().toLowerCase(java.util.Locale.ROOT);
        LOG.info("Release {} step {}: {} in {} ms{}", run.request().version(), step, state, millis,
                done == null || done.detail() == null ? "" : " (" + done.detail() + ")");
    }

    private static String stepOf(CamelEvent event) {
        String uri = event instanceof CamelEvent.ExchangeSendingEvent sending
                ? sending.getEndpoint().getEndpointUri()
                : ((CamelEvent.ExchangeSentEvent) event).getEndpoint().getEndpointUri();
        if (!uri.startsWith("direct://")) {
            return null;
        }
        String name = uri.substring("direct://".length());
        return STEPS.contains(name) ? name : null;
    }
}
