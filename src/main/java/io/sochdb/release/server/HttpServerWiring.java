package io.sochdb.release.server;

import io.vertx.core.Vertx;
import org.apache.camel.CamelContext;
import org.apache.camel.StartupListener;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts the request guard in front of Camel's routes on the service port, once platform-http has made its router,
 * and ends the start-up with one line saying that the service is ready and where.
 */
public final class HttpServerWiring implements StartupListener {

    private static final Logger LOG = LoggerFactory.getLogger(HttpServerWiring.class);

    private final RequestGuard guard;
    private final Vertx vertx;
    private final String version;
    private boolean guarded;

    /** @param version this build's, for the ready line */
    public HttpServerWiring(RequestGuard guard, Vertx vertx, String version) {
        this.guard = guard;
        this.vertx = vertx;
        this.version = version;
    }

    @Override
    public void onCamelContextStarted(CamelContext context, boolean alreadyStarted) {
        guard(context);
    }

    @Override
    public void onCamelContextFullyStarted(CamelContext context, boolean alreadyStarted) {
        guard(context);
        VertxPlatformHttpRouter router = router(context);
        String service = router == null ? "?" : String.valueOf(router.getServer().getPort());
        String management = context.getPropertiesComponent().resolveProperty("camel.management.port").orElse("?");
        LOG.info("sochdb-release {} is ready: webhook, trigger and status on port {}; health and metrics on port {}",
                version, service, management);
    }

    private synchronized void guard(CamelContext context) {
        if (guarded) {
            return;
        }
        VertxPlatformHttpRouter router = router(context);
        if (router != null) {
            // Before every route of Camel's (their order starts at 0), so no body is read before the guard ran.
            router.route().order(-1000).handler(guard);
            guarded = true;
        }
    }

    /** The service port's router; platform-http names it after the port unless it is the default one. */
    static VertxPlatformHttpRouter router(CamelContext context) {
        int port = Integer.parseInt(context.getPropertiesComponent().resolveProperty("camel.server.port").orElse("8080").strip());
        VertxPlatformHttpRouter router = VertxPlatformHttpRouter.lookup(context,
                VertxPlatformHttpRouter.getRouterNameFromPort(port));
        return router != null ? router : VertxPlatformHttpRouter.lookup(context);
    }

    Vertx vertx() {
        return vertx;
    }
}
