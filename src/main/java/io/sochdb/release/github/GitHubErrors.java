package io.sochdb.release.github;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.sochdb.release.http.HttpTransport.Response;

/** Turns GitHub's error answers into messages that say what to fix. */
final class GitHubErrors {

    private static final ObjectMapper JSON = new ObjectMapper();

    private GitHubErrors() {
    }

    static GitHubException of(Response reply, String description) {
        String detail = detail(reply.body());
        String message = switch (reply.status()) {
            case 401 -> description + ": GitHub rejected the token (401 " + detail + "); check GITHUB_TOKEN";
            case 403 -> description + ": GitHub refused it (403 " + detail + "); the token needs the contents: write "
                    + "permission on the repository (fine-grained token) or the repo scope (classic token)";
            case 404 -> description + ": not found (404); check the repository name, and that GITHUB_TOKEN can see it "
                    + "if it is private";
            case 422 -> description + ": GitHub refused the request (422 " + detail + ")";
            default -> description + ": GitHub answered " + reply.status() + " (" + detail + ")";
        };
        return new GitHubException(reply.status(), message);
    }

    /** The "message" and the validation error codes, which is all GitHub puts in an error body. */
    static String detail(String body) {
        try {
            JsonNode node = JSON.readTree(body);
            StringBuilder out = new StringBuilder(node.path("message").asText("no message"));
            for (JsonNode error : node.path("errors")) {
                out.append("; ").append(error.path("resource").asText()).append(' ')
                        .append(error.path("field").asText()).append(' ').append(error.path("code").asText());
            }
            return out.toString();
        } catch (Exception e) {
            return body == null || body.isBlank() ? "no message" : body.length() > 200 ? body.substring(0, 200) : body;
        }
    }

    static boolean alreadyExists(Response reply) {
        return reply.status() == 422 && reply.body() != null && reply.body().contains("already_exists");
    }
}
