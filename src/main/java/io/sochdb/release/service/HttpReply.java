package io.sochdb.release.service;

import java.util.Map;

import org.apache.camel.Exchange;
import org.apache.camel.Message;

/** What an HTTP route answers: status, JSON body and extra headers, applied to the exchange in one place. */
public record HttpReply(int status, String json, Map<String, String> headers) {

    public static HttpReply of(int status, String message) {
        return new HttpReply(status, "{\"message\":\"" + message.replace("\\", "\\\\").replace("\"", "\\\"") + "\"}", Map.of());
    }

    /**
     * The answer to a trigger: 202 with the run's Location when it started, and for a version already running
     * {@code whenRunning} (409 for a person who asked, 200 for GitHub, which must not redeliver).
     */
    public static HttpReply forStart(ReleaseRuns.Start start, int whenRunning) {
        return switch (start.outcome()) {
            case STARTED -> of(202, "release " + start.version() + " started")
                    .withHeader("Location", "/releases/" + start.version());
            case ALREADY_RUNNING -> of(whenRunning, "release " + start.version() + " is already running");
            case ALREADY_DONE -> of(200, "release " + start.version() + " is already done");
        };
    }

    public HttpReply withHeader(String name, String value) {
        Map<String, String> all = new java.util.LinkedHashMap<>(headers);
        all.put(name, value);
        return new HttpReply(status, json, Map.copyOf(all));
    }

    /** Replaces the request on the exchange with this answer; nothing of the request's headers goes back out. */
    public void applyTo(Exchange exchange) {
        Message message = exchange.getMessage();
        message.getHeaders().clear();
        message.setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        message.setHeader(Exchange.CONTENT_TYPE, "application/json");
        headers.forEach(message::setHeader);
        message.setBody(json == null ? "" : json);
    }
}
