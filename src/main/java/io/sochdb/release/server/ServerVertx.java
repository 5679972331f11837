package io.sochdb.release.server;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;

/**
 * The Vert.x instance behind Camel's HTTP servers (service and management port), found by platform-http in the
 * registry. Camel builds its servers with default options and no way to pass others, so every server created here
 * gets what a service facing the internet needs: connections that sit idle are closed, and so is every connection
 * that has not sent a complete request in time (see {@link ConnectionDeadlines}): a thousand clients that open a
 * connection and send half a header no longer hold a thousand sockets.
 */
public final class ServerVertx {

    private ServerVertx() {
    }

    public static Vertx create(ConnectionDeadlines deadlines) {
        Vertx vertx = Vertx.vertx();
        deadlines.start(vertx);
        InvocationHandler handler = (proxy, method, args) -> {
            if (method.getName().equals("createHttpServer")) {
                return createServer(vertx, args == null || args.length == 0 ? null : (HttpServerOptions) args[0], deadlines);
            }
            return invoke(vertx, method, args);
        };
        return (Vertx) Proxy.newProxyInstance(ServerVertx.class.getClassLoader(), interfaces(vertx.getClass()), handler);
    }

    private static HttpServer createServer(Vertx vertx, HttpServerOptions given, ConnectionDeadlines deadlines) {
        HttpServerOptions options = given == null ? new HttpServerOptions() : new HttpServerOptions(given);
        // No byte in or out for this long, e.g. a client that stopped reading our answer: the connection goes.
        options.setIdleTimeout((int) deadlines.requestTimeout().toSeconds()).setIdleTimeoutUnit(TimeUnit.SECONDS);
        // HTTP/1.1 only (GitHub's webhooks, curl, probes): one request at a time per connection is what the deadlines
        // and the request guard count on; an HTTP/2 upgrade would multiplex requests past them.
        options.setHttp2ClearTextEnabled(false);
        HttpServer server = vertx.createHttpServer(options);
        server.connectionHandler(deadlines::watch);
        return server;
    }

    private static Object invoke(Object target, Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    /** Every interface of Vert.x's own class, so that its internal casts (VertxInternal) still hold. */
    private static Class<?>[] interfaces(Class<?> type) {
        Set<Class<?>> all = new LinkedHashSet<>();
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            collect(c, all);
        }
        return all.toArray(Class<?>[]::new);
    }

    private static void collect(Class<?> type, Set<Class<?>> all) {
        for (Class<?> i : type.getInterfaces()) {
            if (all.add(i)) {
                collect(i, all);
            }
        }
    }
}
