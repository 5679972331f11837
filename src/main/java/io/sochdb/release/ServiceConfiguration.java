package io.sochdb.release;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.camel.BeanInject;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.Configuration;
import org.apache.camel.PropertyInject;
import org.apache.camel.health.HealthCheckHelper;
import org.apache.camel.support.LifecycleStrategySupport;

import io.sochdb.release.cluster.ClusterServices;
import io.sochdb.release.github.GitHubClient;
import io.sochdb.release.service.GitHubWebhook;
import io.sochdb.release.service.ManualTrigger;
import io.sochdb.release.service.ReleaseRuns;
import io.sochdb.release.service.ReleaseStatus;
import io.sochdb.release.service.RunKeeper;
import io.sochdb.release.service.UpstreamPoller;
import io.sochdb.release.state.DeliveryStore;
import io.sochdb.release.state.LeaseStore;
import io.sochdb.release.state.PollerStore;
import io.sochdb.release.state.Replica;
import io.sochdb.release.state.RunStore;
import io.sochdb.release.state.StateDatabase;
import io.sochdb.release.state.StateStoreHealthCheck;
import io.sochdb.release.summary.SummaryWriter;

/**
 * The beans of service mode: the three triggers, the runs behind them with their state store, leader election
 * for the poller, and the status endpoints.
 */
// Beans are lazy: camel-main post-processes configuration classes twice, and eager @BindToRegistry methods would
// build every bean (HTTP clients, thread pools) twice.
@Configuration
public class ServiceConfiguration implements CamelConfiguration {

    @BindToRegistry(lazy = true)
    public StateDatabase stateDatabase(@PropertyInject(value = "state.db-url", defaultValue = "") String url,
            @PropertyInject(value = "state.db-user", defaultValue = "") String user,
            @PropertyInject(value = "state.db-password", defaultValue = "") String password,
            @PropertyInject("state.dir") String stateDir) {
        return StateDatabase.open(url, user, password, Path.of(stateDir));
    }

    @BindToRegistry(lazy = true)
    public ReleaseRuns releaseRuns(CamelContext context, @PropertyInject("dist.dir") String dist,
            @BeanInject("stateDatabase") StateDatabase db, @PropertyInject("state.lease-seconds") long leaseSeconds,
            @BeanInject("summaryWriter") SummaryWriter summaries,
            @PropertyInject("release.dry-run-first") boolean dryRunFirst) {
        ObjectMapper json = new ObjectMapper().setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);
        return new ReleaseRuns(context.createProducerTemplate(),
                context.getExecutorServiceManager().newSingleThreadExecutor(this, "release-runs"), Path.of(dist),
                new RunStore(db, Clock.systemUTC()), Replica.newId(), Duration.ofSeconds(Math.max(1, leaseSeconds)),
                run -> {
                    ObjectNode document = json.valueToTree(summaries.summarize(run));
                    if (run.dryRunFirst() != null) {
                        document.set("dry_run_first", json.valueToTree(summaries.summarize(run.dryRunFirst())));
                    }
                    try {
                        return json.writeValueAsString(document);
                    } catch (JsonProcessingException e) {
                        throw new IllegalStateException("cannot write the status document", e);
                    }
                }, dryRunFirst);
    }

    @BindToRegistry(lazy = true)
    public RunKeeper runKeeper(@BeanInject("releaseRuns") ReleaseRuns runs,
            @PropertyInject("state.retry.max-attempts") int maxAttempts,
            @PropertyInject("state.retry.delay-seconds") long delaySeconds) {
        return new RunKeeper(runs, Clock.systemUTC(), maxAttempts, Duration.ofSeconds(delaySeconds));
    }

    @BindToRegistry(lazy = true)
    public GitHubWebhook gitHubWebhook(@PropertyInject(value = "webhook.secret", defaultValue = "") String secret,
            @PropertyInject("sochdb.repo") String upstreamRepo,
            @PropertyInject("release.prereleases") boolean prereleases,
            @BeanInject("stateDatabase") StateDatabase db,
            @BeanInject("releaseRuns") ReleaseRuns runs) {
        return new GitHubWebhook(secret, upstreamRepo, prereleases, new DeliveryStore(db, Clock.systemUTC()), runs);
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
            @BeanInject("stateDatabase") StateDatabase db,
            @BeanInject("releaseRuns") ReleaseRuns runs) {
        return new UpstreamPoller(github, repo, prereleases, runs, since, new PollerStore(db, Clock.systemUTC()));
    }

    @Override
    public void configure(CamelContext context) throws Exception {
        // An empty SOCHDB_POLL_INTERVAL turns the poller off; the timer still needs a valid period to be created.
        String interval = context.getPropertiesComponent().resolveProperty("sochdb.poll-interval").orElse("").strip();
        context.getPropertiesComponent().addOverrideProperty("poller.enabled", String.valueOf(!interval.isEmpty()));
        context.getPropertiesComponent().addOverrideProperty("poller.period", interval.isEmpty() ? "1h" : interval);

        StateDatabase db = context.getRegistry().lookupByNameAndType("stateDatabase", StateDatabase.class);
        ReleaseRuns runs = context.getRegistry().lookupByNameAndType("releaseRuns", ReleaseRuns.class);
        // Only the leader polls: the poller route consumes from master:poller:..., elected through this service.
        context.addService(ClusterServices.create(context, new LeaseStore(db, Clock.systemUTC()), runs.owner()));
        HealthCheckHelper.getHealthCheckRegistry(context).register(new StateStoreHealthCheck(db));

        context.addLifecycleStrategy(new LifecycleStrategySupport() {
            @Override
            public void onContextStarted(CamelContext started) {
                RunKeeper keeper = started.getRegistry().lookupByNameAndType("runKeeper", RunKeeper.class);
                keeper.start(started.getExecutorServiceManager().newSingleThreadScheduledExecutor(this, "run-keeper"));
            }

            @Override
            public void onContextStopping(CamelContext stopping) {
                // On SIGTERM Camel stops the routes; from then on no trigger may start a run, while the one in
                // progress gets the shutdown grace period (SHUTDOWN_GRACE_SECONDS) to finish its step. A run cut
                // short there keeps its lease until it expires, and then another replica resumes it.
                runs.stopAccepting();
                RunKeeper keeper = stopping.getRegistry().lookupByNameAndType("runKeeper", RunKeeper.class);
                if (keeper != null) {
                    keeper.stop();
                }
            }

            @Override
            public void onContextStopped(CamelContext stopped) {
                db.close();
            }
        });
    }
}
