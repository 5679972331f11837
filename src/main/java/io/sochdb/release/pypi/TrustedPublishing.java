package io.sochdb.release.pypi;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Trusted publishing: an OIDC ID token from where we run (GitHub Actions, a token file such as a projected
 * Kubernetes service account token, or the Google metadata server), exchanged at PyPI for a short-lived API token.
 */
final class TrustedPublishing {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final PypiClient client;

    TrustedPublishing(PypiClient client) {
        this.client = client;
    }

    /** True when some source of an ID token is configured. */
    boolean available() {
        PypiSettings s = client.settings();
        return (s.actionsTokenUrl() != null && s.actionsRequestToken() != null) || s.oidcTokenFile() != null
                || s.gceMetadataUrl() != null;
    }

    /** A fresh API token; they live 15 minutes, so callers mint just before uploading. */
    String mint() {
        String audience = audience();
        String idToken = idToken(audience);
        PypiClient.Reply reply = client.postJson(client.settings().indexUrl() + "/_/oidc/mint-token",
                JSON.createObjectNode().put("token", idToken).toString());
        if (reply.status() == 200) {
            String token = PypiClient.parse(reply.body()).path("token").asText(null);
            if (token == null) {
                throw new PypiException(200, "PyPI's token exchange answered without a token");
            }
            return token;
        }
        throw new PypiException(reply.status(), "trusted publishing failed: " + explain(reply));
    }

    private String audience() {
        PypiClient.Reply reply = client.get(client.settings().indexUrl() + "/_/oidc/audience", Map.of());
        if (reply.status() != 200) {
            throw new PypiException(reply.status(), "the index does not offer trusted publishing ("
                    + client.settings().indexUrl() + "/_/oidc/audience answered " + reply.status() + "); set PYPI_TOKEN");
        }
        return PypiClient.parse(reply.body()).path("audience").asText();
    }

    private String idToken(String audience) {
        PypiSettings s = client.settings();
        String encoded = URLEncoder.encode(audience, StandardCharsets.UTF_8);
        if (s.actionsTokenUrl() != null && s.actionsRequestToken() != null) {
            String url = s.actionsTokenUrl() + (s.actionsTokenUrl().contains("?") ? "&" : "?") + "audience=" + encoded;
            PypiClient.Reply reply = client.get(url, Map.of("Authorization", "bearer " + s.actionsRequestToken()));
            if (reply.status() != 200) {
                throw new PypiException(reply.status(), "GitHub Actions gave no OIDC token (" + reply.status()
                        + "); the workflow needs permissions: id-token: write");
            }
            return PypiClient.parse(reply.body()).path("value").asText();
        }
        if (s.oidcTokenFile() != null) {
            try {
                return Files.readString(Path.of(s.oidcTokenFile()), StandardCharsets.US_ASCII).strip();
            } catch (IOException e) {
                throw new PypiException(0, "cannot read the OIDC token file PYPI_OIDC_TOKEN_FILE=" + s.oidcTokenFile()
                        + " (" + e.getClass().getSimpleName() + ")");
            }
        }
        String url = s.gceMetadataUrl() + "/instance/service-accounts/default/identity?audience=" + encoded + "&format=full";
        PypiClient.Reply reply = client.get(url, Map.of("Metadata-Flavor", "Google"));
        if (reply.status() != 200) {
            throw new PypiException(reply.status(), "the Google metadata server gave no identity token (" + reply.status()
                    + "); check workload identity for this pod's service account");
        }
        return reply.body().strip();
    }

    /** PyPI's 422 codes, each with what to change. */
    private static String explain(PypiClient.Reply reply) {
        StringBuilder out = new StringBuilder();
        JsonNode body;
        try {
            body = PypiClient.parse(reply.body());
        } catch (PypiException e) {
            return "the index answered " + reply.status();
        }
        for (JsonNode error : body.path("errors")) {
            String code = error.path("code").asText();
            String hint = switch (code) {
                case "invalid-publisher" -> "no trusted publisher on PyPI matches this identity; add one under the "
                        + "project's Publishing settings (repository, workflow and environment must match)";
                case "invalid-token", "invalid-payload" -> "the OIDC token was refused; check its audience and that it "
                        + "has not expired";
                case "not-enabled" -> "trusted publishing is disabled on this index; set PYPI_TOKEN";
                case "invalid-pypi-token" -> "the index could not issue a token; try again later or set PYPI_TOKEN";
                default -> "see the index's documentation for this code";
            };
            if (out.length() > 0) {
                out.append("; ");
            }
            out.append(code).append(": ").append(error.path("description").asText()).append(" (").append(hint).append(')');
        }
        return out.length() == 0 ? body.path("message").asText("the index answered " + reply.status()) : out.toString();
    }
}
