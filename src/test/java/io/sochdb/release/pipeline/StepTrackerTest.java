package io.sochdb.release.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;

import org.apache.camel.CamelContext;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.junit.jupiter.api.Test;

import io.sochdb.release.run.ReleaseRequest;
import io.sochdb.release.run.ReleaseRun;

/** The release route is the one list of steps: whatever it sends to is tracked, in its order, and nothing else. */
class StepTrackerTest {

    private static final String STEP_ROUTES = """
            - route:
                id: one
                from:
                  uri: direct:one
                  steps:
                    - bean:
                        beanType: io.sochdb.release.pipeline.StepTrackerTest$Detailer
            """;

    private static CamelContext started(String releaseRoute, String others) throws Exception {
        CamelContext context = new DefaultCamelContext();
        StepTracker tracker = new StepTracker();
        context.addStartupListener(tracker);
        context.getManagementStrategy().addEventNotifier(tracker);
        PluginHelper.getRoutesLoader(context).loadRoutes(
                ResourceHelper.fromString("steps.yaml", releaseRoute + others));
        context.start();
        return context;
    }

    private static ReleaseRun run() {
        return new ReleaseRun(new ReleaseRequest("1.2.3", null, true, Path.of("dist"), null, null), Clock.systemUTC());
    }

    @Test
    void aStepAddedToTheRouteIsTrackedInTheRoutesOrderWithoutBeingListedAnywhereElse() throws Exception {
        String release = """
                - route:
                    id: release
                    from:
                      uri: direct:release
                      steps:
                        - setProperty:
                            name: run
                            simple: "${body}"
                        - doTry:
                            steps:
                              - to: direct:added
                              - to: direct:one
                            doFinally:
                              steps:
                                - to: direct:cleanup
                - route:
                    id: added
                    from:
                      uri: direct:added
                      steps:
                        - bean:
                            beanType: io.sochdb.release.pipeline.StepTrackerTest$Skipper
                - route:
                    id: cleanup
                    from:
                      uri: direct:cleanup
                      steps:
                        - log: "clean"
                """;
        try (CamelContext context = started(release, STEP_ROUTES)) {
            assertThat(StepTracker.stepsOf(context)).containsExactly("added", "one");
            ReleaseRun run = run();
            context.createProducerTemplate().sendBody("direct:release", run);
            assertThat(run.steps()).extracting(ReleaseRun.Step::name, ReleaseRun.Step::state, ReleaseRun.Step::detail)
                    .containsExactly(
                            tuple("added", ReleaseRun.State.SKIPPED, "nothing to add"),
                            tuple("one", ReleaseRun.State.SUCCEEDED, "did one"));
        }
    }

    @Test
    void theRealReleaseRouteListsTheStepsOfARelease() throws Exception {
        CamelContext context = new DefaultCamelContext();
        PluginHelper.getRoutesLoader(context).loadRoutes(ResourceHelper.resolveMandatoryResource(context,
                "classpath:routes/release.camel.yaml"));
        assertThat(StepTracker.stepsOf(context)).containsExactly("resolve", "wheels", "sdist", "checks", "outputs",
                "github-draft", "pypi", "github-publish", "verify", "install-proof", "changelog");
        context.close();
    }

    @Test
    void aStepSentToTwiceStopsStartUp() {
        String release = """
                - route:
                    id: release
                    from:
                      uri: direct:release
                      steps:
                        - to: direct:one
                        - to: direct:one
                """;
        assertThatThrownBy(() -> started(release, STEP_ROUTES).close())
                .hasStackTraceContaining("route release sends to direct:one twice");
    }

    @Test
    void reportingOutsideAStepIsRefusedRatherThanFiledUnderAGuess() {
        ReleaseRun run = run();
        run.expect(List.of("resolve"));
        assertThatThrownBy(() -> run.detail("lost")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("no step of release 1.2.3 is running");
        run.begin("resolve");
        run.detail("found");
        run.succeed("resolve");
        assertThatThrownBy(() -> run.skip("late")).isInstanceOf(IllegalStateException.class);
        assertThat(run.steps()).singleElement().satisfies(s -> assertThat(s.detail()).isEqualTo("found"));
    }

    public static final class Skipper {
        public void skip(@ExchangeProperty("run") ReleaseRun run) {
            run.skip("nothing to add");
        }
    }

    public static final class Detailer {
        public void detail(@ExchangeProperty("run") ReleaseRun run) {
            run.detail("did one");
        }
    }
}
