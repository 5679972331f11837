package io.sochdb.release.service;

import java.io.IOException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.sochdb.release.failure.InvalidInputException;
import io.sochdb.release.state.DeliveryStore;

/**
 * {@code POST /webhooks/github}. The signature is checked over the raw bytes before anything is parsed or logged;
 * only a published, non-draft release of the upstream repository starts a run, in the background, so that GitHub
 * gets its answer within its 10 s.
 */
public final class GitHubWebhook {

    private static final Logger LOG = LoggerFactory.getLogger(GitHubWebhook.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final WebhookSignature signature;
    private final String upstreamRepo;
    private final boolean prereleases;
    private final DeliveryStore deliveries;
    private final ReleaseRuns runs;

    /** @param secret null or blank: every request is refused */
    public GitHubWebhook(String secret, String upstreamRepo, boolean prereleases, DeliveryStore deliveries, ReleaseRuns runs) {
        this.signature = secret == null || secret.isBlank() ? null : new WebhookSignature(secret);
        this.upstreamRepo = upstreamRepo;
        this.prereleases = prereleases;
        this.deliveries = deliveries;
        this.runs = runs;
        if (signature == null) {
            LOG.warn("WEBHOOK_SECRET is not set: POST /webhooks/github refuses every request");
        }
    }

    public void receive(Exchange exchange) {
        handle(exchange).applyTo(exchange);
    }

    HttpReply handle(Exchange exchange) {
        if (signature == null) {
            return HttpReply.of(401, "webhook secret not configured (WEBHOOK_SECRET)");
        }
        String contentType = exchange.getMessage().getHeader(Exchange.CONTENT_TYPE, String.class);
        if (contentType != null && contentType.toLowerCase(java.util.Locale.ROOT).contains("form-urlencoded")) {
            // The HTTP server decodes form bodies, so their raw bytes, and with them the signature, are gone.
            return HttpReply.of(415, "set the webhook's content type to application/json");
        }
        byte[] body = exchange.getMessage().getBody(byte[].class);
        if (body == null) {
            body = new byte[0];
        }
        if (!signature.matches(body, exchange.getMessage().getHeader("X-Hub-Signature-256", String.class))) {
            return HttpReply.of(401, "missing or wrong X-Hub-Signature-256");
        }
        String event = exchange.getMessage().getHeader("X-GitHub-Event", String.class);
        String delivery = exchange.getMessage().getHeader("X-GitHub-Delivery", String.class);
        JsonNode payload;
        try {
            payload = JSON.readTree(body);
        } catch (IOException e) {
            return HttpReply.of(400, "the body is not JSON");
        }
        if (payload == null || !payload.isObject()) {
            return HttpReply.of(400, "the body is not a JSON object");
        }
        if ("ping".equals(event)) {
            return HttpReply.of(200, "pong");
        }
        if (!"release".equals(event) || !"published".equals(payload.path("action").asText())) {
            return new HttpReply(204, null, java.util.Map.of());
        }
        JsonNode release = payload.path("release");
        if (!upstreamRepo.equalsIgnoreCase(payload.path("repository").path("full_name").asText())
                || release.path("draft").asBoolean(false)
                || (release.path("prerelease").asBoolean(false) && !prereleases)) {
            return new HttpReply(204, null, java.util.Map.of());
        }
        String tag = release.path("tag_name").asText("");
        if (tag.isEmpty()) {
            return HttpReply.of(400, "release.tag_name is missing");
        }
        if (!runs.accepting()) {
            // Before the delivery is recorded, so that GitHub's redelivery after the restart is not ignored.
            return HttpReply.of(503, "shutting down: no new release runs");
        }
        if (!deliveries.firstTime(delivery)) {
            return HttpReply.of(200, "already handled delivery " + delivery);
        }
        String version = tag.startsWith("v") || tag.startsWith("V") ? tag.substring(1) : tag;
        try {
            ReleaseRuns.Start start = runs.start(version, version, false, "webhook " + delivery);
            return HttpReply.forStart(start, 200);
        } catch (InvalidInputException e) {
            return HttpReply.of(400, "tag " + tag + ": " + e.getMessage());
        } catch (IllegalStateException e) {
            // Shutting down: 503 makes GitHub show the delivery as failed, so it can be redelivered later.
            deliveries.forget(delivery);
            return HttpReply.of(503, e.getMessage());
        } catch (RuntimeException e) {
            // The state store is out of reach: a redelivery must be able to start the run later.
            deliveries.forget(delivery);
            throw e;
        }
    }
}
