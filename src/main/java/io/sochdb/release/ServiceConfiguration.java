package io.sochdb.release;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Vertx;
import org.apache.camel.BeanInject;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.Configuration;
import org.apache.camel.PropertyInject;
import org.apache.camel.health.HealthCheckHelper;

import io.sochdb.release.cluster.ClusterServices;
import io.sochdb.release.github.GitHubClient;
import io.sochdb.release.server.ConnectionDeadlines;
import io.sochdb.release.server.HttpServerWiring;
import io.sochdb.release.server.RequestGuard;
import io.sochdb.release.server.ServerLiveness;
import io.sochdb.release.server.ServerVertx;
import io.sochdb.release.service.DeliveryRepository;
import io.sochdb.release.service.GitHubWebhook;
import io.sochdb.release.service.ManualTrigger;
import io.sochdb.release.service.ReleaseRuns;
import io.sochdb.release.service.ReleaseStatus;
import io.sochdb.release.service.Replies;
import io.sochdb.release.service.RunClaims;
import io.sochdb.release.service.RunKeeper;
import io.sochdb.release.service.UpstreamPoller;
import io.sochdb.release.state.DeliveryStore;
import io.sochdb.release.state.LeaseStore;
import io.sochdb.release.state.PollerStore;
import io.sochdb.release.state.QueuedRuns;
import io.sochdb.release.state.Replica;
import io.sochdb.release.state.RunStore;
import io.sochdb.release.state.StateDatabase;
import io.sochdb.release.state.StateStoreHealthCheck;
import io.sochdb.release.summary.SummaryWriter;

/**
 * The beans of service mode, which triggers.camel.yaml and runs.camel.yaml call: the triggers' steps, the runs and their keeper
 * with the state store, leader election for the poller, the status endpoints, and the HTTP server's defences.
 */
// Beans are lazy: camel-main post-processes configuration classes twice, and eager @BindToRegistry methods would
// build every bean (HTTP clients, thread pools) twice.
@Configuration
public class ServiceConfiguration implements CamelConfiguration {

    /** The routes whose loss leaves runs unattended: liveness is DOWN without them. */
    static final List<String> VITAL_ROUTES = List.of("webhook", "run", "lease-renewal", "run-takeover", "run-retry",
            "run-waiting");

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
            @BeanInject("summaryWriter") SummaryWriter summaries, @BeanInject("jsonMapper") ObjectMapper json,
            @PropertyInject("release.dry-run-first") boolean dryRunFirst) {
        return new ReleaseRuns(Path.of(dist), new RunStore(db, Clock.systemUTC()), new QueuedRuns(db, Clock.systemUTC()),
                Replica.newId(), Duration.ofSeconds(Math.max(1, leaseSeconds)),
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
                }, dryRunFirst, () -> context.isStopping() || context.isStopped());
    }

    @BindToRegistry(lazy = true)
    public RunClaims runClaims(@BeanInject("releaseRuns") ReleaseRuns runs) {
        return runs.claims();
    }

    @BindToRegistry(lazy = true)
    public RunKeeper runKeeper(@BeanInject("releaseRuns") ReleaseRuns runs,
            @PropertyInject("state.retry.max-attempts") int maxAttempts,
            @PropertyInject("state.retry.delay-seconds") long delaySeconds) {
        // 1 attempt in all (or 0, read the same way) means no retry.
        return new RunKeeper(runs, Clock.systemUTC(),
                RunKeeper.policy(Math.max(1, maxAttempts), Duration.ofSeconds(Math.max(0, delaySeconds))));
    }

    @BindToRegistry(lazy = true)
    public GitHubWebhook gitHubWebhook(@PropertyInject(value = "webhook.secret", defaultValue = "") String secret,
            @PropertyInject("sochdb.repo") String upstreamRepo,
            @PropertyInject("release.prereleases") boolean prereleases, @BeanInject("jsonMapper") ObjectMapper json) {
        return new GitHubWebhook(secret, upstreamRepo, prereleases, json);
    }

    @BindToRegistry(lazy = true)
    public DeliveryRepository deliveryRepository(@BeanInject("stateDatabase") StateDatabase db) {
        return new DeliveryRepository(new DeliveryStore(db, Clock.systemUTC()));
    }

    @BindToRegistry(lazy = true)
    public ManualTrigger manualTrigger(@PropertyInject(value = "trigger.token", defaultValue = "") String token) {
        return new ManualTrigger(token);
    }

    @BindToRegistry(lazy = true)
    public ReleaseStatus releaseStatus(@BeanInject("releaseRuns") ReleaseRuns runs,
            @BeanInject("jsonMapper") ObjectMapper json) {
        return new ReleaseStatus(runs, json);
    }

    @BindToRegistry(lazy = true)
    public Replies replies(@BeanInject("jsonMapper") ObjectMapper json) {
        return new Replies(json);
    }

    @BindToRegistry(lazy = true)
    public UpstreamPoller upstreamPoller(@BeanInject("gitHubClient") GitHubClient github,
            @PropertyInject("sochdb.repo") String repo, @PropertyInject("release.prereleases") boolean prereleases,
            @PropertyInject(value = "sochdb.poll-since", defaultValue = "") String since,
            @BeanInject("stateDatabase") StateDatabase db) {
        return new UpstreamPoller(github, repo, prereleases, since, new PollerStore(db, Clock.systemUTC()));
    }

    @BindToRegistry(lazy = true)
    public ConnectionDeadlines connectionDeadlines(
            @PropertyInject("server.header-timeout-seconds") long headerSeconds,
            @PropertyInject("server.request-timeout-seconds") long requestSeconds) {
        return new ConnectionDeadlines(Duration.ofSeconds(headerSeconds), Duration.ofSeconds(requestSeconds));
    }

    /** platform-http takes the one Vert.x instance of the registry for its servers (service and management). */
    @BindToRegistry(lazy = true)
    public Vertx vertx(@BeanInject("connectionDeadlines") ConnectionDeadlines deadlines) {
        return ServerVertx.create(deadlines);
    }

    @BindToRegistry(lazy = true)
    public RequestGuard requestGuard(@BeanInject("connectionDeadlines") ConnectionDeadlines deadlines,
            @PropertyInject("camel.server.maxBodySize") long webhookMaxBytes,
            @PropertyInject("server.max-body-bytes") long otherMaxBytes,
            @PropertyInject("server.max-bytes-in-flight") long budget) {
        return new RequestGuard(deadlines, "/webhooks/github", webhookMaxBytes, otherMaxBytes, budget);
    }

    @Override
    public void configure(CamelContext context) throws Exception {
        // An empty SOCHDB_POLL_INTERVAL turns the poller off; the timer still needs a valid period to be created.
        String interval = context.getPropertiesComponent().resolveProperty("sochdb.poll-interval").orElse("").strip();
        context.getPropertiesComponent().addOverrideProperty("poller.enabled", String.valueOf(!interval.isEmpty()));
        context.getPropertiesComponent().addOverrideProperty("poller.period", interval.isEmpty() ? "1h" : interval);
        long leaseMillis = Math.max(1, Long.parseLong(context.getPropertiesComponent()
                .resolveProperty("state.lease-seconds").orElse("30").strip())) * 1000;
        // Three renewals per lease, so one missed renewal never loses a run; the looks twice per lease.
        context.getPropertiesComponent().addOverrideProperty("runs.renew-period", String.valueOf(Math.max(100, leaseMillis / 3)));
        context.getPropertiesComponent().addOverrideProperty("runs.look-period", String.valueOf(Math.max(200, leaseMillis / 2)));

        StateDatabase db = context.getRegistry().lookupByNameAndType("stateDatabase", StateDatabase.class);
        ReleaseRuns runs = context.getRegistry().lookupByNameAndType("releaseRuns", ReleaseRuns.class);
        // Stopped after the routes (services stop after them), so no run ever meets a closed pool.
        context.addService(db.asService(), true, true);
        // Only the leader polls: the poller route consumes from master:poller:..., elected through this service.
        context.addService(ClusterServices.create(context, new LeaseStore(db, Clock.systemUTC()), runs.owner()));
        Vertx vertx = context.getRegistry().lookupByNameAndType("vertx", Vertx.class);
        HealthCheckHelper.getHealthCheckRegistry(context).register(new StateStoreHealthCheck(db));
        HealthCheckHelper.getHealthCheckRegistry(context).register(new ServerLiveness(vertx, VITAL_ROUTES));
        context.addStartupListener(new HttpServerWiring(
                context.getRegistry().lookupByNameAndType("requestGuard", RequestGuard.class), vertx,
                Application.version()));
    }
}
