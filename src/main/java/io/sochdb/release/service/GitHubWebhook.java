package io.sochdb.release.service;

import java.io.IOException;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Exchange;
import org.apache.camel.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The steps of {@code POST /webhooks/github} (see triggers.camel.yaml). The signature is checked over the raw bytes
 * before anything is parsed or logged; only a published, non-draft release of the upstream repository asks for a
 * run. (A form-encoded delivery never gets here: the request guard refuses it, as the HTTP server would decode
 * it and lose the bytes the signature covers.)
 */
public final class GitHubWebhook {

    private static final Logger LOG = LoggerFactory.getLogger(GitHubWebhook.class);
    /** GitHub's delivery ids are GUIDs; the store keeps up to 100 characters. */
    private static final Pattern DELIVERY = Pattern.compile("[A-Za-z0-9-]{1,100}");

    private final WebhookSignature signature;
    private final String upstreamRepo;
    private final boolean prereleases;
    private final ObjectMapper json;

    /** @param secret null or blank: every request is refused */
    public GitHubWebhook(String secret, String upstreamRepo, boolean prereleases, ObjectMapper json) {
        this.signature = secret == null || secret.isBlank() ? null : new WebhookSignature(secret);
        this.upstreamRepo = upstreamRepo;
        this.prereleases = prereleases;
        this.json = json;
        if (signature == null) {
            LOG.warn("WEBHOOK_SECRET is not set: POST /webhooks/github refuses every request");
        }
    }

    /** 401 unless signed with the secret; then the delivery id must be one the store can remember. */
    public void verify(Exchange exchange) {
        if (signature == null) {
            throw HttpProblem.unauthorized("webhook secret not configured (WEBHOOK_SECRET)", null);
        }
        byte[] body = exchange.getMessage().getBody(byte[].class);
        if (!signature.matches(body == null ? new byte[0] : body,
                exchange.getMessage().getHeader("X-Hub-Signature-256", String.class))) {
            throw HttpProblem.unauthorized("missing or wrong X-Hub-Signature-256", null);
        }
        exchange.getMessage().setBody(body);
        String delivery = exchange.getMessage().getHeader("X-GitHub-Delivery", String.class);
        if (delivery == null || !DELIVERY.matcher(delivery).matches()) {
            throw new HttpProblem(400, "X-GitHub-Delivery must be GitHub's delivery id: 1 to 100 letters, digits "
                    + "and dashes");
        }
    }

    /** The signed body as JSON: 400 when it is not a JSON object. */
    public JsonNode payload(byte[] body) {
        JsonNode payload;
        try {
            payload = json.readTree(body);
        } catch (IOException e) {
            throw new HttpProblem(400, "the body is not JSON");
        }
        if (payload == null || !payload.isObject()) {
            throw new HttpProblem(400, "the body is not a JSON object");
        }
        return payload;
    }

    /**
     * The run a {@code release} event asks for, or null when it is not for us: another action, another repository,
     * a draft, or a prerelease while those are not released.
     */
    public RunRequest releaseRequest(JsonNode payload, @Header("X-GitHub-Delivery") String delivery) {
        JsonNode release = payload.path("release");
        if (!"published".equals(payload.path("action").asText())
                || !upstreamRepo.equalsIgnoreCase(payload.path("repository").path("full_name").asText())
                || release.path("draft").asBoolean(false)
                || (release.path("prerelease").asBoolean(false) && !prereleases)) {
            return null;
        }
        JsonNode tag = release.path("tag_name");
        if (!tag.isTextual() || tag.asText().isBlank()) {
            throw new HttpProblem(400, "release.tag_name must be the release's tag, a string such as \"v0.3.2\"");
        }
        String version = UpstreamVersions.withoutV(tag.asText().strip());
        return new RunRequest(version, version, false, RunRequest.Source.WEBHOOK, "webhook " + delivery);
    }
}
