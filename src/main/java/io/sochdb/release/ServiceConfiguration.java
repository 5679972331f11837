package io.sochdb.release;

import java.nio.file.Path;

import org.apache.camel.BeanInject;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.Configuration;
import org.apache.camel.PropertyInject;
import org.apache.camel.support.LifecycleStrategySupport;

import io.sochdb.release.github.GitHubClient;
import io.sochdb.release.service.DeliveryLog;
import io.sochdb.release.service.GitHubWebhook;
import io.sochdb.release.service.ManualTrigger;
import io.sochdb.release.service.ReleaseRuns;
import io.sochdb.release.service.ReleaseStatus;
import io.sochdb.release.service.UpstreamPoller;
import io.sochdb.release.summary.SummaryWriter;

/** The beans of service mode: the three triggers, the run registry behind them, and the status endpoints. */
// Beans are lazy: camel-main post-processes configuration classes twice, and eager @BindToRegistry methods would
// build every bean (HTTP clients, thread pools) twice.
@Configuration
public class ServiceConfiguration implements CamelConfiguration {

    @BindToRegistry(lazy = true)
    public ReleaseRuns releaseRuns(CamelContext context, @PropertyInject("dist.dir") String dist) {
        return new ReleaseRuns(context.createProducerTemplate(),
                context.getExecutorServiceManager().newSingleThreadExecutor(this, "release-runs"), Path.of(dist));
    }

    @BindToRegistry(lazy = true)
    public GitHubWebhook gitHubWebhook(@PropertyInject(value = "webhook.secret", defaultValue = "") String secret,
            @PropertyInject("sochdb.repo") String upstreamRepo,
            @PropertyInject("release.prereleases") boolean prereleases,
            @PropertyInject("state.dir") String stateDir,
            @BeanInject("releaseRuns") ReleaseRuns runs) {
        return new GitHubWebhook(secret, upstreamRepo, prereleases,
                new DeliveryLog(Path.of(stateDir).resolve("webhook-deliveries.log")), runs);
    }

    @BindToRegistry(lazy = true)
    public ManualTrigger manualTrigger(@PropertyInject(value = "trigger.token", defaultValue = "") String token,
            @BeanInject("releaseRuns") ReleaseRuns runs) {
        return new ManualTrigger(token, runs);
    }

    @BindToRegistry(lazy = true)
    public ReleaseStatus releaseStatus(@BeanInject("releaseRuns") ReleaseRuns runs,
            @BeanInject("summaryWriter") SummaryWriter summaries) {
        return new ReleaseStatus(runs, summaries);
    }

    @BindToRegistry(lazy = true)
    public UpstreamPoller upstreamPoller(@BeanInject("gitHubClient") GitHubClient github,
            @PropertyInject("sochdb.repo") String repo, @PropertyInject("release.prereleases") boolean prereleases,
            @PropertyInject(value = "sochdb.poll-since", defaultValue = "") String since,
            @BeanInject("releaseRuns") ReleaseRuns runs) {
        return new UpstreamPoller(github, repo, prereleases, runs, since);
    }

    /** An empty SOCHDB_POLL_INTERVAL turns the poller off; the timer still needs a valid period to be created. */
    @Override
    public void configure(CamelContext context) {
        // On SIGTERM Camel stops the routes; from then on no trigger may start a run, while the one in progress
        // gets the shutdown grace period (SHUTDOWN_GRACE_SECONDS) to finish its step.
        context.addLifecycleStrategy(new LifecycleStrategySupport() {
            @Override
            public void onContextStopping(CamelContext stopping) {
                ReleaseRuns runs = stopping.getRegistry().lookupByNameAndType("releaseRuns", ReleaseRuns.class);
                if (runs != null) {
                    runs.stopAccepting();
                }
            }
        });
        String interval = context.getPropertiesComponent().resolveProperty("sochdb.poll-interval").orElse("").strip();
        context.getPropertiesComponent().addOverrideProperty("poller.enabled", String.valueOf(!interval.isEmpty()));
        context.getPropertiesComponent().addOverrideProperty("poller.period", interval.isEmpty() ? "1h" : interval);
    }
}
