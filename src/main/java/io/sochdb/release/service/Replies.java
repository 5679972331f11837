package io.sochdb.release.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.sochdb.release.failure.InvalidInputException;
import io.sochdb.release.state.StateStoreException;

/**
 * Writes every answer of the HTTP routes: the outcome of a trigger, and, from {@code onException}, the status that
 * each kind of failure means. Bodies are written by the one JSON mapper, so whatever a message quotes (a version
 * with a newline, a control character) the body is valid JSON.
 */
public final class Replies {

    private static final Logger LOG = LoggerFactory.getLogger(Replies.class);

    private final ObjectMapper json;

    public Replies(ObjectMapper json) {
        this.json = json;
    }

    /**
     * The answer to a trigger: 202 with the run's Location when it started or waits behind its dry run; for a
     * version already running 409 for a person (who retries) and 200 for GitHub and the poller (the run they asked
     * for is under way, and GitHub must not redeliver).
     */
    public void started(Exchange exchange) {
        RunClaims.Start start = exchange.getMessage().getBody(RunClaims.Start.class);
        String version = start.version();
        HttpReply reply = switch (start.outcome()) {
            case STARTED -> HttpReply.of(202, "release " + version + " started")
                    .withHeader("Location", "/releases/" + version);
            case QUEUED -> HttpReply.of(202, "release " + version + " waits for the dry run of " + version
                    + " to end, then starts").withHeader("Location", "/releases/" + version);
            case ALREADY_RUNNING -> HttpReply.of(start.request().source() == RunRequest.Source.MANUAL ? 409 : 200,
                    "release " + version + " is already running");
            case ALREADY_DONE -> HttpReply.of(200, "release " + version + " is already done");
        };
        apply(exchange, reply);
    }

    /** A delivery handled before: GitHub must see success, so that it does not show the redelivery as failed. */
    public void redelivery(Exchange exchange) {
        apply(exchange, HttpReply.of(200, "delivery " + exchange.getMessage().getHeader("X-GitHub-Delivery")
                + " was handled before"));
    }

    public void pong(Exchange exchange) {
        apply(exchange, HttpReply.of(200, "pong"));
    }

    /** Signed, but not a release of ours to make (another event, action or repository, a draft). */
    public void ignored(Exchange exchange) {
        apply(exchange, HttpReply.of(204, null));
    }

    /** From onException: the caught failure's status and reason; the stack trace only in the log, for a 500. */
    public void failure(Exchange exchange) {
        Throwable caught = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        apply(exchange, reply(caught));
    }

    HttpReply reply(Throwable caught) {
        for (Throwable t = caught; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof HttpProblem p) {
                return new HttpReply(p.status(), p.getMessage(), p.headers());
            }
            if (t instanceof UnrecognizedPropertyException e) {
                return HttpReply.of(400, "unknown field \"" + e.getPropertyName() + "\"; expected "
                        + e.getKnownPropertyIds());
            }
            if (t instanceof JsonProcessingException e) {
                return HttpReply.of(400, "the body is not the JSON expected: " + e.getOriginalMessage());
            }
            if (t instanceof InvalidInputException e) {
                return HttpReply.of(400, e.getMessage());
            }
            if (t instanceof ShuttingDownException e) {
                return new HttpReply(503, e.getMessage(), java.util.Map.of("Retry-After", "30"));
            }
            if (t instanceof StateStoreException) {
                LOG.error("Request failed, state store out of reach: {}", t.getMessage());
                return new HttpReply(503, "the release state store is out of reach; retry later",
                        java.util.Map.of("Retry-After", "30"));
            }
        }
        LOG.error("Request failed", caught);
        return HttpReply.of(500, "internal error; the service log has the details");
    }

    private void apply(Exchange exchange, HttpReply reply) {
        Message message = exchange.getMessage();
        // Nothing of the request's headers goes back out.
        message.getHeaders().clear();
        reply.headers().forEach(message::setHeader);
        if (reply.status() == 204) {
            message.setHeader(Exchange.HTTP_RESPONSE_CODE, 204);
            message.setBody(null);
            return;
        }
        write(message, reply.status(), json.createObjectNode().put("message", reply.message()));
    }

    private void write(Message message, int status, JsonNode body) {
        message.setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        message.setHeader(Exchange.CONTENT_TYPE, "application/json");
        try {
            message.setBody(json.writeValueAsString(body));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a reply", e);
        }
    }
}
