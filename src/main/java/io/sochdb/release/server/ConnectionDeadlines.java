package io.sochdb.release.server;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerRequest;

/**
 * Closes connections that do not send a complete request in time. A new (or kept-alive) connection must send its
 * request headers within the header timeout, and a request must be received completely, body included, within the
 * request timeout. Idle timeouts alone do not do this: a client that sends one byte every few seconds never idles.
 * Checked once a second on one timer, so a flood of connections costs no timer each.
 */
public final class ConnectionDeadlines {

    private final Duration headerTimeout;
    private final Duration requestTimeout;
    private final Map<HttpConnection, Watch> watched = new ConcurrentHashMap<>();

    private static final class Watch {
        volatile long since = System.nanoTime();
        volatile HttpServerRequest receiving;
    }

    public ConnectionDeadlines(Duration headerTimeout, Duration requestTimeout) {
        this.headerTimeout = headerTimeout;
        this.requestTimeout = requestTimeout;
    }

    public Duration requestTimeout() {
        return requestTimeout;
    }

    void start(Vertx vertx) {
        vertx.setPeriodic(1000, id -> sweep());
    }

    void watch(HttpConnection connection) {
        watched.put(connection, new Watch());
        connection.closeHandler(v -> watched.remove(connection));
    }

    /** The request's headers are in; from now on it has the request timeout to arrive completely. */
    void requestStarted(HttpServerRequest request) {
        Watch watch = watched.get(request.connection());
        if (watch != null) {
            watch.receiving = request;
            watch.since = System.nanoTime();
        }
    }

    /** Answered: a kept-alive connection has the header timeout again for its next request. */
    void requestEnded(HttpConnection connection) {
        Watch watch = watched.get(connection);
        if (watch != null) {
            watch.receiving = null;
            watch.since = System.nanoTime();
        }
    }

    /** Connections held open now, for tests and the logs. */
    public int open() {
        return watched.size();
    }

    private void sweep() {
        long now = System.nanoTime();
        watched.forEach((connection, watch) -> {
            HttpServerRequest request = watch.receiving;
            Duration allowed = request == null ? headerTimeout : requestTimeout;
            boolean waiting = request == null || !request.isEnded();
            if (waiting && now - watch.since > allowed.toNanos()) {
                watched.remove(connection);
                connection.close();
            }
        });
    }
}
