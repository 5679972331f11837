package io.sochdb.release.github;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;

import io.sochdb.release.http.HttpTransport;
import io.sochdb.release.http.HttpTransport.Request;
import io.sochdb.release.http.HttpTransport.Response;
import io.sochdb.release.retry.Sleeper;

/**
 * The GitHub REST calls a release makes. Base URLs come from configuration, so GitHub Enterprise Server and the
 * test fakes work unchanged.
 */
public final class GitHubClient implements AutoCloseable {

    private static final Pattern NEXT_LINK = Pattern.compile("<([^>]+)>;\\s*rel=\"next\"");
    private final ObjectMapper json = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    private final GitHubSettings settings;
    private final GitHubHttp http;

    /** A client on the application's outbound transport, which it does not close. */
    public GitHubClient(GitHubSettings settings, HttpTransport transport) {
        this.settings = settings;
        this.http = new GitHubHttp(settings, transport, false, java.time.Clock.systemUTC(), Sleeper.SYSTEM);
    }

    /** A client with a transport of its own (tools and tests), closed with it. */
    public GitHubClient(GitHubSettings settings) {
        this(settings, java.time.Clock.systemUTC(), Sleeper.SYSTEM);
    }

    GitHubClient(GitHubSettings settings, Sleeper sleeper) {
        this(settings, java.time.Clock.systemUTC(), sleeper);
    }

    GitHubClient(GitHubSettings settings, java.time.Clock clock, Sleeper sleeper) {
        this.settings = settings;
        this.http = new GitHubHttp(settings, HttpTransport.standalone(), true, clock, sleeper);
    }

    public boolean hasToken() {
        return settings.token() != null;
    }

    /** Published releases only: GitHub never returns a draft by tag. */
    public Optional<Release> releaseByTag(String repo, String tag) {
        Response reply = http.send("read release " + tag + " of " + repo,
                () -> get(api("/repos/" + repo + "/releases/tags/" + encode(tag))), true);
        if (reply.status() == 404) {
            return Optional.empty();
        }
        return Optional.of(parse(expect(reply, 200, "read release " + tag + " of " + repo), Release.class));
    }

    /** Every release, drafts included, across all pages. */
    public List<Release> releases(String repo) {
        List<Release> all = new ArrayList<>();
        String url = api("/repos/" + repo + "/releases?per_page=100");
        while (url != null) {
            String page = url;
            Response reply = http.send("list releases of " + repo, () -> get(page), true);
            all.addAll(parse(expect(reply, 200, "list releases of " + repo), new TypeReference<List<Release>>() { }));
            Matcher next = NEXT_LINK.matcher(String.valueOf(reply.header("link")));
            url = next.find() ? next.group(1) : null;
        }
        return all;
    }

    public Release release(String repo, long id) {
        Response reply = http.send("read release " + id + " of " + repo,
                () -> get(api("/repos/" + repo + "/releases/" + id)), false);
        return parse(expect(reply, 200, "read release " + id + " of " + repo), Release.class);
    }

    public String commitSha(String repo, String ref) {
        Response reply = http.send("resolve " + ref + " of " + repo,
                () -> get(api("/repos/" + repo + "/commits/" + encode(ref))), true);
        return parse(expect(reply, 200, "resolve " + ref + " of " + repo), Map.class).get("sha").toString();
    }

    /** Creates a release; empty when one with this tag already exists (422 already_exists). */
    public Optional<Release> createRelease(String repo, Map<String, Object> fields) {
        String description = "create release " + fields.get("tag_name") + " on " + repo;
        Response reply = http.send(description, () -> withJson("POST", api("/repos/" + repo + "/releases"), fields), false);
        if (GitHubErrors.alreadyExists(reply)) {
            return Optional.empty();
        }
        return Optional.of(parse(expect(reply, 201, description), Release.class));
    }

    public Release updateRelease(String repo, long id, Map<String, Object> fields) {
        String description = "update release " + id + " on " + repo;
        Response reply = http.send(description, () -> withJson("PATCH", api("/repos/" + repo + "/releases/" + id), fields), false);
        return parse(expect(reply, 200, description), Release.class);
    }

    /** Uploads a file, streamed with its length; empty when an asset of that name is already there. */
    public Optional<Asset> uploadAsset(String repo, long releaseId, Path file, String name, String contentType) {
        String description = "upload " + name + " to release " + releaseId + " on " + repo;
        URI uri = URI.create(settings.uploadUrl() + "/repos/" + repo + "/releases/" + releaseId + "/assets?name="
                + encode(name));
        // A File body is streamed from disk with its Content-Length.
        Response reply = http.send(description,
                () -> new Request("POST", uri, Map.of(), contentType, file.toFile()), false);
        if (GitHubErrors.alreadyExists(reply)) {
            return Optional.empty();
        }
        return Optional.of(parse(expect(reply, 201, description), Asset.class));
    }

    public void deleteAsset(String repo, long assetId) {
        String description = "delete asset " + assetId + " on " + repo;
        Response reply = http.send(description,
                () -> new Request("DELETE", URI.create(api("/repos/" + repo + "/releases/assets/" + assetId)), Map.of(), null,
                        null),
                false);
        if (reply.status() != 204 && reply.status() != 404) {
            throw GitHubErrors.of(reply, description);
        }
    }

    /** Streams a release asset to {@code target}, following the storage redirect without the token. */
    public void downloadAsset(String repo, long assetId, Path target) {
        http.download("download asset " + assetId + " of " + repo,
                URI.create(api("/repos/" + repo + "/releases/assets/" + assetId)), GitHubHttp.toFile(target));
    }

    public void downloadTarball(String repo, String ref, Path target) {
        http.download("download the source of " + repo + " at " + ref,
                URI.create(api("/repos/" + repo + "/tarball/" + encode(ref))), GitHubHttp.toFile(target));
    }

    // ---- contents, refs and pulls: the CHANGELOG pull request ----

    public String defaultBranch(String repo) {
        Response reply = http.send("read repository " + repo, () -> get(api("/repos/" + repo)), true);
        return parse(expect(reply, 200, "read repository " + repo), Map.class).get("default_branch").toString();
    }

    /** The commit a branch points at; empty when there is no such branch. */
    public Optional<String> branchSha(String repo, String branch) {
        String description = "read branch " + branch + " of " + repo;
        Response reply = http.send(description, () -> get(api("/repos/" + repo + "/git/ref/heads/" + path(branch))),
                false);
        if (reply.status() == 404) {
            return Optional.empty();
        }
        Map<?, ?> object = (Map<?, ?>) parse(expect(reply, 200, description), Map.class).get("object");
        return Optional.of(object.get("sha").toString());
    }

    /** False when the branch exists already (422 "Reference already exists"). */
    public boolean createBranch(String repo, String branch, String sha) {
        String description = "create branch " + branch + " on " + repo;
        Response reply = http.send(description, () -> withJson("POST", api("/repos/" + repo + "/git/refs"),
                Map.of("ref", "refs/heads/" + branch, "sha", sha)), false);
        if (reply.status() == 422 && reply.body().contains("already exists")) {
            return false;
        }
        expect(reply, 201, description);
        return true;
    }

    /** A file's text and blob sha on a branch; empty when the file is not there. */
    public Optional<RepoFile> file(String repo, String filePath, String branch) {
        String description = "read " + filePath + " on " + branch + " of " + repo;
        Response reply = http.send(description, () -> get(api("/repos/" + repo + "/contents/" + path(filePath)
                + "?ref=" + encode(branch))), false);
        if (reply.status() == 404) {
            return Optional.empty();
        }
        Map<?, ?> file = parse(expect(reply, 200, description), Map.class);
        byte[] bytes = java.util.Base64.getMimeDecoder().decode(String.valueOf(file.get("content")));
        return Optional.of(new RepoFile(filePath, file.get("sha").toString(), new String(bytes, StandardCharsets.UTF_8)));
    }

    /** One commit on {@code branch}; {@code sha} is the blob being replaced, null for a new file. */
    public void putFile(String repo, String filePath, String branch, String message, String content, String sha) {
        String description = "commit " + filePath + " to " + branch + " of " + repo;
        Map<String, Object> fields = new java.util.LinkedHashMap<>();
        fields.put("message", message);
        fields.put("content", java.util.Base64.getEncoder().encodeToString(content.getBytes(StandardCharsets.UTF_8)));
        fields.put("branch", branch);
        if (sha != null) {
            fields.put("sha", sha);
        }
        Response reply = http.send(description, () -> withJson("PUT", api("/repos/" + repo + "/contents/" + path(filePath)), fields), false);
        if (reply.status() != 200 && reply.status() != 201) {
            throw GitHubErrors.of(reply, description);
        }
    }

    /** The open pull request from {@code branch} (of the repository's owner), if any. */
    public Optional<PullRequest> openPullRequest(String repo, String branch) {
        String head = repo.substring(0, repo.indexOf('/')) + ":" + branch;
        String description = "list pull requests from " + branch + " on " + repo;
        Response reply = http.send(description, () -> get(api("/repos/" + repo + "/pulls?state=open&head="
                + encode(head))), false);
        return parse(expect(reply, 200, description), new TypeReference<List<PullRequest>>() { }).stream().findFirst();
    }

    /** Empty when GitHub says one already exists for this branch (422). */
    public Optional<PullRequest> createPullRequest(String repo, String branch, String base, String title, String body) {
        String description = "open a pull request from " + branch + " on " + repo;
        Map<String, Object> fields = Map.of("title", title, "head", branch, "base", base, "body", body);
        Response reply = http.send(description, () -> withJson("POST", api("/repos/" + repo + "/pulls"), fields), false);
        if (reply.status() == 422 && reply.body().contains("already exists")) {
            return Optional.empty();
        }
        return Optional.of(parse(expect(reply, 201, description), PullRequest.class));
    }

    /** Each segment escaped, the slashes between them kept: {@code release/v0.3.2}, {@code docs/CHANGELOG.md}. */
    private static String path(String slashed) {
        return java.util.Arrays.stream(slashed.split("/")).map(GitHubClient::encode)
                .collect(java.util.stream.Collectors.joining("/"));
    }

    private String api(String path) {
        return settings.apiUrl() + path;
    }

    private static Request get(String url) {
        return Request.get(URI.create(url));
    }

    private Request withJson(String method, String url, Map<String, Object> fields) {
        try {
            return new Request(method, URI.create(url), Map.of(), "application/json; charset=UTF-8",
                    json.writeValueAsString(fields));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot encode request", e);
        }
    }

    private static Response expect(Response reply, int status, String description) {
        if (reply.status() != status) {
            throw GitHubErrors.of(reply, description);
        }
        return reply;
    }

    private <T> T parse(Response reply, Class<T> type) {
        try {
            return json.readValue(reply.body(), type);
        } catch (IOException e) {
            throw new UncheckedIOException("GitHub sent a body that is not the expected JSON", e);
        }
    }

    private <T> T parse(Response reply, TypeReference<T> type) {
        try {
            return json.readValue(reply.body(), type);
        } catch (IOException e) {
            throw new UncheckedIOException("GitHub sent a body that is not the expected JSON", e);
        }
    }

    private static String encode(String part) {
        return URLEncoder.encode(part, StandardCharsets.UTF_8).replace("+", "%20");
    }

    @Override
    public void close() throws IOException {
        http.close();
    }

}
