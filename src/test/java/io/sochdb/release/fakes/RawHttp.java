package io.sochdb.release.fakes;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;

/** Plain HTTP calls against a {@link FakeGitHub}, for tests of the fake itself. */
final class RawHttp {

    // Redirects are never followed: each hop is looked at, as the client under test must look at it.
    final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
        .version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    private final FakeGitHub github;
    private final String repo;

    RawHttp(FakeGitHub github, String repo) {
        this.github = github;
        this.repo = repo;
    }

    HttpResponse<String> createRelease(String tag, boolean draft) throws Exception {
        return send("POST", github.apiUrl() + "/repos/" + repo + "/releases",
            "{\"tag_name\":\"" + tag + "\",\"name\":\"" + tag + "\",\"body\":\"notes\",\"draft\":" + draft
                + ",\"prerelease\":false,\"make_latest\":\"true\"}");
    }

    HttpResponse<String> upload(long releaseId, String name, byte[] content) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(uploadUri(releaseId, name)))
            .header("Content-Type", "application/octet-stream").POST(BodyPublishers.ofByteArray(content)).build(),
            BodyHandlers.ofString());
    }

    String uploadUri(long releaseId, String name) {
        return github.uploadUrl() + "/repos/" + repo + "/releases/" + releaseId + "/assets?name=" + name + "&label=L";
    }

    HttpRequest.Builder request(String apiPath) {
        return HttpRequest.newBuilder(URI.create(github.apiUrl() + apiPath)).header("Accept", "application/json");
    }

    HttpResponse<String> get(String apiPath) throws Exception {
        return http.send(request(apiPath).build(), BodyHandlers.ofString());
    }

    HttpResponse<byte[]> fetch(String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).build(), BodyHandlers.ofByteArray());
    }

    HttpResponse<String> send(String method, String url, String json) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
            .method(method, json == null ? BodyPublishers.noBody() : BodyPublishers.ofString(json)).build(),
            BodyHandlers.ofString());
    }

    static String nextLink(String link) {
        for (String part : link.split(",")) {
            if (part.contains("rel=\"next\"")) {
                return part.substring(part.indexOf('<') + 1, part.indexOf('>'));
            }
        }
        return null;
    }

    static String sha256(byte[] content) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
    }
}
