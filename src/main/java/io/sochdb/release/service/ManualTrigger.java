package io.sochdb.release.service;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

import org.apache.camel.Body;
import org.apache.camel.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The steps of {@code POST /releases}: a person or a pipeline asks for a release, with the trigger token. */
public final class ManualTrigger {

    private static final Logger LOG = LoggerFactory.getLogger(ManualTrigger.class);

    private final byte[] token;

    public ManualTrigger(String token) {
        this.token = token == null || token.isBlank() ? null : token.strip().getBytes(StandardCharsets.UTF_8);
        if (this.token == null) {
            LOG.warn("RELEASE_TRIGGER_TOKEN is not set: POST /releases refuses every request");
        }
    }

    /** Checked before the body is read: without the token nothing of the request is looked at. */
    public void authorize(@Header("Authorization") String authorization, @Body byte[] body) {
        if (token == null) {
            throw new HttpProblem(503, "manual trigger not configured (RELEASE_TRIGGER_TOKEN)");
        }
        // The scheme is case-insensitive (RFC 7235); the token is compared in constant time.
        boolean bearer = authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7);
        byte[] given = bearer ? authorization.substring(7).strip().getBytes(StandardCharsets.UTF_8) : new byte[0];
        if (!MessageDigest.isEqual(token, given)) {
            throw HttpProblem.unauthorized("missing or wrong bearer token", "Bearer");
        }
        if (body == null || body.length == 0) {
            throw new HttpProblem(400, "the body is empty; send a JSON object such as {\"version\": \"0.3.2\"}");
        }
    }

    /** The bound body as a run request; the version itself is checked when the run is claimed. */
    public RunRequest request(TriggerRequest body) {
        if (body == null || body.version() == null) {
            throw new HttpProblem(400, "the body must be a JSON object with a \"version\" string, e.g. "
                    + "{\"version\": \"0.3.2\", \"dry_run\": true}");
        }
        return new RunRequest(body.version(), body.sochdbVersion(), Boolean.TRUE.equals(body.dryRun()),
                RunRequest.Source.MANUAL, "manual trigger");
    }
}
