package io.sochdb.release.server;

import java.util.concurrent.atomic.AtomicLong;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * Runs before Camel's routes on the service port, before any body is read. platform-http reads a whole body into
 * memory before the route sees it, for every request at once, so this is where memory is bounded: each request
 * reserves its declared length from one budget of bytes in flight and gives it back when answered. A body larger
 * than its endpoint takes is refused at once with 413, and a request that does not fit the budget gets 503 with
 * Retry-After; both close the connection, so the unread body is not read after all.
 */
public final class RequestGuard implements Handler<RoutingContext> {

    private final ConnectionDeadlines deadlines;
    private final String webhookPath;
    private final long webhookMaxBytes;
    private final long otherMaxBytes;
    private final long budgetBytes;
    private final AtomicLong inFlight = new AtomicLong();

    /**
     * @param webhookMaxBytes the largest webhook body (GitHub sends up to 25 MB)
     * @param otherMaxBytes   the largest body of any other request (the manual trigger's is a few bytes)
     * @param budgetBytes     request bodies held in memory at once, all requests together
     */
    public RequestGuard(ConnectionDeadlines deadlines, String webhookPath, long webhookMaxBytes, long otherMaxBytes,
            long budgetBytes) {
        this.deadlines = deadlines;
        this.webhookPath = webhookPath;
        this.webhookMaxBytes = webhookMaxBytes;
        this.otherMaxBytes = otherMaxBytes;
        this.budgetBytes = Math.max(budgetBytes, webhookMaxBytes);
    }

    @Override
    public void handle(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        HttpConnection connection = request.connection();
        deadlines.requestStarted(request);
        ctx.addEndHandler(done -> deadlines.requestEnded(connection));
        // However a 413 comes about (here, or from the body reader for a body sent without a length), the rest of
        // that body is never read: the connection is closed after the answer.
        ctx.addHeadersEndHandler(v -> {
            if (ctx.response().getStatusCode() == 413) {
                ctx.response().putHeader(HttpHeaders.CONNECTION, "close");
            }
        });
        ctx.addEndHandler(done -> {
            if (ctx.response().getStatusCode() == 413) {
                connection.close();
            }
        });
        if (request.method() == HttpMethod.GET || request.method() == HttpMethod.HEAD) {
            ctx.next();
            return;
        }
        boolean webhook = webhookPath.equals(request.path());
        String contentType = request.getHeader(HttpHeaders.CONTENT_TYPE);
        if (webhook && contentType != null && contentType.toLowerCase(java.util.Locale.ROOT).contains("form-urlencoded")) {
            // The server would decode a form body, and the raw bytes that the signature covers would be gone.
            refuse(ctx, 415, "set the webhook's content type to application/json");
            return;
        }
        long max = webhook ? webhookMaxBytes : otherMaxBytes;
        String declared = request.getHeader(HttpHeaders.CONTENT_LENGTH);
        long length;
        if (declared == null) {
            // Sent in chunks, length unknown: it may be as large as the endpoint takes.
            length = max;
        } else {
            try {
                length = Long.parseLong(declared.strip());
            } catch (NumberFormatException e) {
                refuse(ctx, 400, "Content-Length is not a number");
                return;
            }
            if (length > max) {
                refuse(ctx, 413, "the body is larger than the " + max + " bytes " + request.path() + " takes");
                return;
            }
        }
        if (!reserve(length)) {
            ctx.response().putHeader("Retry-After", "5");
            refuse(ctx, 503, "too many requests at once; retry in a few seconds");
            return;
        }
        ctx.addEndHandler(done -> inFlight.addAndGet(-length));
        ctx.next();
    }

    private boolean reserve(long length) {
        while (true) {
            long current = inFlight.get();
            if (current + length > budgetBytes) {
                return false;
            }
            if (inFlight.compareAndSet(current, current + length)) {
                return true;
            }
        }
    }

    /** Bytes reserved by requests being received or handled now. */
    public long inFlight() {
        return inFlight.get();
    }

    private static void refuse(RoutingContext ctx, int status, String message) {
        HttpConnection connection = ctx.request().connection();
        ctx.response().setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                .putHeader(HttpHeaders.CONNECTION, "close")
                .end(new JsonObject().put("message", message).encode())
                .onComplete(done -> connection.close());
    }
}
