package io.sochdb.release.pipeline;

import java.util.ArrayList;
import java.util.List;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.StartupListener;
import org.apache.camel.model.CatchDefinition;
import org.apache.camel.model.FinallyDefinition;
import org.apache.camel.model.ModelCamelContext;
import org.apache.camel.model.ProcessorDefinition;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.model.ToDefinition;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.support.EventNotifierSupport;

import io.sochdb.release.run.ReleaseRun;

/**
 * Records step states from the release route itself: sending to {@code direct:<step>} begins the step, and its
 * return completes or fails it. The steps and their order are read from the {@code release} route at start-up, so
 * the route file is the single place that names them: a new {@code to: direct:x} there is tracked without more ado.
 */
public final class StepTracker extends EventNotifierSupport implements StartupListener {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(StepTracker.class);

    public static final String RUN_PROPERTY = "run";
    static final String RELEASE_ROUTE = "release";

    private volatile List<String> steps = List.of();

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
    public void onCamelContextStarting(CamelContext context, boolean alreadyStarted) {
        steps = stepsOf(context);
        if (!steps.isEmpty()) {
            LOG.debug("Release steps, from route {}: {}", RELEASE_ROUTE, steps);
        }
    }

    @Override
    public void onCamelContextStarted(CamelContext context, boolean alreadyStarted) {
        // Read while starting, before any run can enter the route.
    }

    /** The steps of a release: the {@code direct:} endpoints the release route's main path sends to, in order. */
    public static List<String> stepsOf(CamelContext context) {
        if (!(context instanceof ModelCamelContext model)) {
            return List.of();
        }
        RouteDefinition route = model.getRouteDefinition(RELEASE_ROUTE);
        if (route == null) {
            return List.of();
        }
        List<String> names = new ArrayList<>();
        collect(route.getOutputs(), names);
        return List.copyOf(names);
    }

    private static void collect(List<ProcessorDefinition<?>> outputs, List<String> names) {
        for (ProcessorDefinition<?> output : outputs) {
            // Failure handling and clean-up are not steps.
            if (output instanceof CatchDefinition || output instanceof FinallyDefinition) {
                continue;
            }
            if (output instanceof ToDefinition to && to.getUri().startsWith("direct:")) {
                String name = to.getUri().substring("direct:".length());
                if (names.contains(name)) {
                    throw new IllegalStateException("route " + RELEASE_ROUTE + " sends to direct:" + name
                            + " twice; a step is run once per release");
                }
                names.add(name);
            }
            collect(output.getOutputs(), names);
        }
    }

    @Override
    public boolean isEnabled(CamelEvent event) {
        return event instanceof CamelEvent.ExchangeSendingEvent || event instanceof CamelEvent.ExchangeSentEvent;
    }

    @Override
    public void notify(CamelEvent event) {
        CamelEvent.ExchangeEvent exchangeEvent = (CamelEvent.ExchangeEvent) event;
        Exchange exchange = exchangeEvent.getExchange();
        String endpoint = endpointOf(event);
        if (event instanceof CamelEvent.ExchangeSendingEvent && endpoint.equals("direct://" + RELEASE_ROUTE)
                && exchange.getIn().getBody() instanceof ReleaseRun entering) {
            entering.expect(steps);
            return;
        }
        ReleaseRun run = exchange.getProperty(RUN_PROPERTY, ReleaseRun.class);
        String step = endpoint.startsWith("direct://") ? endpoint.substring("direct://".length()) : null;
        if (run == null || step == null || !steps.contains(step)) {
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

    /** The endpoint without its options: service mode calls {@code direct:release?synchronous=true}. */
    private static String endpointOf(CamelEvent event) {
        String uri = event instanceof CamelEvent.ExchangeSendingEvent sending
                ? sending.getEndpoint().getEndpointUri()
                : ((CamelEvent.ExchangeSentEvent) event).getEndpoint().getEndpointUri();
        int query = uri.indexOf('?');
        return query < 0 ? uri : uri.substring(0, query);
    }
}
