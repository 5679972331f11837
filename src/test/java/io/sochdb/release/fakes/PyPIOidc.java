package io.sochdb.release.fakes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sochdb.release.fakes.PyPIPages.Page;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Trusted publishing: PyPI's {@code /_/oidc/audience} and {@code /_/oidc/mint-token}, and the two places an ID
 * token comes from, GitHub Actions' token endpoint and the Google metadata server.
 */
final class PyPIOidc {

    static final String AUDIENCE = "pypi";
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Map<String, String> DESCRIPTIONS = Map.of(
        "invalid-payload", "malformed payload",
        "invalid-token", "malformed or invalid token",
        "not-enabled", "GitHub trusted publishing functionality not enabled",
        "invalid-publisher", "valid token, but no corresponding publisher (Publisher with matching claims was not"
            + " found)",
        "invalid-pypi-token", "valid token, but project does not exist or the publisher may not upload to it");

    private final FakePyPIState state;
    private final Consumer<String> violations;

    PyPIOidc(FakePyPIState state, Consumer<String> violations) {
        this.state = state;
        this.violations = violations;
    }

    static Page audience() {
        return json(200, FakeGitHubJson.MAPPER.createObjectNode().put("audience", AUDIENCE));
    }

    Page mint(Call call) throws IOException {
        byte[] body = call.readBody();
        FakePyPIState.MintError forced;
        synchronized (state) {
            forced = state.mintErrors.poll();
        }
        if (forced != null) {
            return failed(forced.code(), forced.description());
        }
        JsonNode payload;
        try {
            payload = FakeGitHubJson.MAPPER.readTree(body);
        } catch (IOException e) {
            return failed("invalid-payload", "payload is not valid JSON");
        }
        JsonNode token = payload == null ? null : payload.get("token");
        if (token == null || !token.isTextual() || token.asText().isEmpty()) {
            return failed("invalid-payload", null);
        }
        String minted;
        synchronized (state) {
            if (!state.idTokens.contains(token.asText())) {
                return failed("invalid-publisher", null);
            }
            minted = "pypi-" + random(48);
            state.mintedTokens.put(minted, false);
        }
        ObjectNode ok = FakeGitHubJson.MAPPER.createObjectNode();
        ok.put("success", true);
        ok.put("token", minted);
        ok.put("expires", Instant.now().getEpochSecond() + 900);
        return json(200, ok);
    }

    /** GitHub's {@code ACTIONS_ID_TOKEN_REQUEST_URL}: needs {@code Authorization: bearer <request token>}. */
    Page actions(Call call) {
        String auth = call.header("Authorization");
        String expected;
        synchronized (state) {
            expected = state.actionsRequestToken;
        }
        if (auth == null || !auth.regionMatches(true, 0, "bearer ", 0, 7)
            || !auth.substring(7).trim().equals(expected)) {
            return json(401, FakeGitHubJson.MAPPER.createObjectNode().put("message", "Unauthorized"));
        }
        Map<String, String> params = call.params();
        if (!"2.0".equals(params.get("api-version"))) {
            violations.accept("actions ID token requested without api-version=2.0 (query: " + call.query + ")");
        }
        ObjectNode json = FakeGitHubJson.MAPPER.createObjectNode();
        json.put("count", 1);
        json.put("value", tokenFor(params.get("audience"), "actions"));
        return json(200, json);
    }

    /** The metadata server: needs {@code Metadata-Flavor: Google}, answers the bare token. */
    Page gce(Call call) {
        if (!"Google".equals(call.header("Metadata-Flavor"))) {
            return new Page(403, "text/html; charset=UTF-8", ("Your client does not have permission to get URL "
                + call.path + " from this server. Missing Metadata-Flavor:Google header.")
                .getBytes(StandardCharsets.UTF_8));
        }
        String audience = call.params().get("audience");
        if (audience == null || audience.isEmpty()) {
            return new Page(400, "text/plain; charset=utf-8",
                "non-empty audience parameter required".getBytes(StandardCharsets.UTF_8));
        }
        return new Page(200, "application/text", tokenFor(audience, "GCE metadata").getBytes(StandardCharsets.UTF_8));
    }

    /** The configured token for PyPI's audience; for any other audience one that mint-token does not accept. */
    private String tokenFor(String audience, String source) {
        if (AUDIENCE.equals(audience)) {
            synchronized (state) {
                return state.idToken;
            }
        }
        violations.accept("ID token requested from " + source + " for audience '" + audience + "', PyPI's is '"
            + AUDIENCE + "'");
        return jwt(audience == null ? "https://github.com/sochdb" : audience);
    }

    private Page failed(String code, String description) {
        ObjectNode json = FakeGitHubJson.MAPPER.createObjectNode();
        json.put("message", "Token request failed");
        ObjectNode error = json.putArray("errors").addObject();
        error.put("code", code);
        error.put("description", description != null ? description
            : DESCRIPTIONS.getOrDefault(code, "token request failed (" + code + ")"));
        return json(422, json);
    }

    private static Page json(int status, JsonNode json) {
        return new Page(status, "application/json", FakeGitHubJson.bytes(json));
    }

    /** A token shaped like GitHub's: three base64url parts, claims readable, signature random. */
    static String jwt(String audience) {
        long now = Instant.now().getEpochSecond();
        ObjectNode claims = FakeGitHubJson.MAPPER.createObjectNode();
        claims.put("iss", "https://token.actions.githubusercontent.com");
        claims.put("aud", audience);
        claims.put("sub", "repo:sochdb/sochdb-python-sdk:environment:pypi");
        claims.put("repository", "sochdb/sochdb-python-sdk");
        claims.put("workflow_ref", "sochdb/sochdb-python-sdk/.github/workflows/release.yml@refs/tags/v1.0.0");
        claims.put("jti", random(12));
        claims.put("iat", now);
        claims.put("nbf", now);
        claims.put("exp", now + 300);
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        return b64.encodeToString("{\"alg\":\"RS256\",\"kid\":\"fake\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8))
            + "." + b64.encodeToString(FakeGitHubJson.bytes(claims)) + "." + random(64);
    }

    static String random(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }
}
