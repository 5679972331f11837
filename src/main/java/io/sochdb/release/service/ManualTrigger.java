package io.sochdb.release.service;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.sochdb.release.failure.InvalidInputException;

/** {@code POST /releases}: a person or a pipeline asks for a release, with the trigger token. */
public final class ManualTrigger {

    private static final Logger LOG = LoggerFactory.getLogger(ManualTrigger.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final byte[] token;
    private final ReleaseRuns runs;

    public ManualTrigger(String token, ReleaseRuns runs) {
        this.token = token == null || token.isBlank() ? null : token.strip().getBytes(StandardCharsets.UTF_8);
        this.runs = runs;
        if (this.token == null) {
            LOG.warn("RELEASE_TRIGGER_TOKEN is not set: POST /releases refuses every request");
        }
    }

    public void receive(Exchange exchange) {
        handle(exchange).applyTo(exchange);
    }

    HttpReply handle(Exchange exchange) {
        if (token == null) {
            return HttpReply.of(503, "manual trigger not configured (RELEASE_TRIGGER_TOKEN)");
        }
        String authorization = exchange.getMessage().getHeader("Authorization", String.class);
        // The scheme is case-insensitive (RFC 7235); the token is compared in constant time.
        boolean bearer = authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7);
        byte[] given = bearer ? authorization.substring(7).strip().getBytes(StandardCharsets.UTF_8) : new byte[0];
        if (!MessageDigest.isEqual(token, given)) {
            return HttpReply.of(401, "missing or wrong bearer token").withHeader("WWW-Authenticate", "Bearer");
        }
        JsonNode body;
        try {
            body = JSON.readTree(exchange.getMessage().getBody(byte[].class));
        } catch (IOException | IllegalArgumentException e) {
            return HttpReply.of(400, "the body is not JSON");
        }
        if (body == null || !body.isObject() || !body.path("version").isTextual()) {
            return HttpReply.of(400, "the body must be a JSON object with a \"version\" string");
        }
        if (body.has("dry_run") && !body.get("dry_run").isBoolean()) {
            return HttpReply.of(400, "\"dry_run\" must be true or false");
        }
        if (body.has("sochdb_version") && !body.get("sochdb_version").isTextual()) {
            return HttpReply.of(400, "\"sochdb_version\" must be a string such as \"0.3.2\"");
        }
        // A typo such as "dryRun" must not quietly turn a dry run into a production release.
        java.util.List<String> unknown = new java.util.ArrayList<>();
        body.fieldNames().forEachRemaining(f -> {
            if (!java.util.Set.of("version", "sochdb_version", "dry_run").contains(f)) {
                unknown.add(f);
            }
        });
        if (!unknown.isEmpty()) {
            return HttpReply.of(400, "unknown field(s) " + unknown + "; expected version, sochdb_version, dry_run");
        }
        String version = body.get("version").asText();
        String sochdbVersion = body.path("sochdb_version").isTextual() ? body.get("sochdb_version").asText() : null;
        try {
            ReleaseRuns.Start start = runs.start(version, sochdbVersion, body.path("dry_run").asBoolean(false), "manual trigger");
            return HttpReply.forStart(start, 409);
        } catch (InvalidInputException e) {
            return HttpReply.of(400, e.getMessage());
        } catch (IllegalStateException e) {
            return HttpReply.of(503, e.getMessage());
        }
    }
}
