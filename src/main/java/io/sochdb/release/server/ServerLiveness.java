package io.sochdb.release.server;

import java.util.List;
import java.util.Map;

import io.netty.util.concurrent.EventExecutor;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.impl.VertxInternal;
import org.apache.camel.CamelContext;
import org.apache.camel.ServiceStatus;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * Liveness: the process is alive only while it can still do its job. An HTTP server that is not listening (its
 * port was taken at start) or a Vert.x event loop that died (an error it could not survive) leaves webhooks
 * unanswered, and a stopped background route (the run queue, lease renewal, takeover, retry) leaves runs
 * unattended; either way a restart is the cure, so /observe/health/live says DOWN and the orchestrator restarts the
 * process.
 */
public final class ServerLiveness extends AbstractHealthCheck {

    private final Vertx vertx;
    private final List<String> vitalRoutes;

    public ServerLiveness(Vertx vertx, List<String> vitalRoutes) {
        super("sochdb-release", "service-alive");
        this.vertx = vertx;
        this.vitalRoutes = List.copyOf(vitalRoutes);
    }

    @Override
    public boolean isLiveness() {
        return true;
    }

    @Override
    public boolean isReadiness() {
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        CamelContext context = getCamelContext();
        if (context.isStopping() || context.isStopped()) {
            builder.up().detail("state", "stopping");
            return;
        }
        VertxPlatformHttpRouter router = HttpServerWiring.router(context);
        HttpServer server = router == null ? null : router.getServer().getServer();
        if (server == null || server.actualPort() <= 0) {
            builder.down().message("the HTTP server is not listening; webhooks and triggers get no answer");
            return;
        }
        for (EventExecutor loop : ((VertxInternal) vertx).getEventLoopGroup()) {
            if (loop.isShuttingDown()) {
                builder.down().message("an HTTP event loop has stopped; the service no longer answers requests");
                return;
            }
        }
        for (String id : vitalRoutes) {
            ServiceStatus status = context.getRouteController().getRouteStatus(id);
            if (status == null || !status.isStarted()) {
                builder.down().message("background route " + id + " is " + (status == null ? "gone" : status.name()
                        .toLowerCase(java.util.Locale.ROOT)) + "; runs are not looked after").detail("route", id);
                return;
            }
        }
        builder.up();
    }
}
