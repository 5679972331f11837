package io.sochdb.release.fakes;

import static io.sochdb.release.fakes.FakeGitHubJson.MAPPER;
import static io.sochdb.release.fakes.FakeGitHubJson.message;
import static io.sochdb.release.fakes.FakeGitHubJson.notFound;
import static io.sochdb.release.fakes.FakeGitHubJson.validation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sochdb.release.fakes.FakeGitHubServer.Reply;
import io.sochdb.release.fakes.FakeGitHubState.Asset;
import io.sochdb.release.fakes.FakeGitHubState.Release;
import io.sochdb.release.fakes.FakeGitHubState.Repo;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The release endpoints of api.github.com and uploads.github.com. */
final class ReleaseApi {

    private static final Pattern REPO = Pattern.compile("^/api/repos/([^/]+/[^/]+)(/.*)?$");
    private static final Pattern UPLOAD = Pattern.compile("^/uploads/repos/([^/]+/[^/]+)/releases/(\\d+)/assets$");
    private static final Pattern ASSET = Pattern.compile("^/releases/assets/(\\d+)$");
    private static final Pattern RELEASE = Pattern.compile("^/releases/(\\d+)(/assets)?$");

    private final FakeGitHubServer server;
    private final FakeGitHubState state;
    private final ContentsApi contents;

    ReleaseApi(FakeGitHubServer server) {
        this.server = server;
        this.state = server.state;
        this.contents = new ContentsApi(server.json);
    }

    Reply serve(Call call) throws IOException {
        Matcher m = REPO.matcher(call.path);
        Repo repo = m.matches() ? state.repo(m.group(1)) : null;
        if (repo == null) {
            return new Reply(404, notFound());
        }
        JsonNode input = null;
        if (call.method.equals("POST") || call.method.equals("PATCH") || call.method.equals("PUT")) {
            try {
                input = MAPPER.readTree(call.readBody());
            } catch (IOException e) {
                input = null;
            }
            if (input == null || !input.isObject()) {
                return new Reply(400, message("Problems parsing JSON"));
            }
        }
        String rest = m.group(2) == null ? "" : m.group(2);
        synchronized (state) {
            return ContentsApi.handles(rest) ? contents.route(call, repo, rest, input) : route(call, repo, rest, input);
        }
    }

    private Reply route(Call call, Repo repo, String rest, JsonNode input) {
        String method = call.method;
        Matcher asset = ASSET.matcher(rest);
        Matcher release = RELEASE.matcher(rest);
        if (rest.equals("/releases") && method.equals("GET")) {
            return list(call, repo);
        } else if (rest.equals("/releases") && method.equals("POST")) {
            return create(repo, input);
        } else if (rest.equals("/releases/latest") && method.equals("GET")) {
            List<Release> published = new ArrayList<>(repo.releases);
            published.removeIf(r -> r.draft || r.prerelease);
            return published.isEmpty() ? new Reply(404, notFound()) : show(published.get(published.size() - 1));
        } else if (rest.startsWith("/releases/tags/") && method.equals("GET")) {
            Release found = repo.byTag(rest.substring("/releases/tags/".length()));
            // Drafts have no tag yet as far as GitHub is concerned: they are only reachable by id or in the list.
            return found == null || found.draft ? new Reply(404, notFound()) : show(found);
        } else if (asset.matches()) {
            return asset(call, state.asset(repo, Long.parseLong(asset.group(1))));
        } else if (release.matches()) {
            Release found = state.release(repo, Long.parseLong(release.group(1)));
            if (found == null) {
                return new Reply(404, notFound());
            } else if (release.group(2) != null && method.equals("GET")) {
                state.read(found);
                ArrayNode assets = MAPPER.createArrayNode();
                found.assets.forEach(a -> assets.add(server.json.asset(a)));
                return new Reply(200, assets);
            } else if (release.group(2) == null && method.equals("GET")) {
                return show(found);
            } else if (release.group(2) == null && method.equals("PATCH")) {
                return update(repo, found, input);
            } else if (release.group(2) == null && method.equals("DELETE")) {
                state.delete(found);
                return new Reply(204, null);
            }
        } else if (rest.startsWith("/tarball/") && method.equals("GET")) {
            String sha = repo.resolve(rest.substring("/tarball/".length()));
            return sha == null || !repo.tarballs.containsKey(sha) ? new Reply(404, notFound())
                : new Reply(302, null, Map.of("Location", server.json.storageTarball(repo.name, sha)));
        } else if (rest.startsWith("/commits/") && method.equals("GET")) {
            String sha = repo.resolve(rest.substring("/commits/".length()));
            return sha == null ? new Reply(404, notFound()) : new Reply(200, MAPPER.createObjectNode().put("sha", sha));
        }
        return new Reply(404, notFound());
    }

    private Reply show(Release release) {
        state.read(release);
        return new Reply(200, server.json.release(release));
    }

    private Reply list(Call call, Repo repo) {
        Map<String, String> params = call.params();
        int perPage = Math.min(100, Math.max(1, intParam(params.get("per_page"), 30)));
        int page = Math.max(1, intParam(params.get("page"), 1));
        List<Release> newestFirst = new ArrayList<>(repo.releases);
        Collections.reverse(newestFirst);
        int last = Math.max(1, (newestFirst.size() + perPage - 1) / perPage);
        ArrayNode body = MAPPER.createArrayNode();
        for (Release r : newestFirst.subList(Math.min(newestFirst.size(), (page - 1) * perPage),
            Math.min(newestFirst.size(), page * perPage))) {
            state.read(r);
            body.add(server.json.release(r));
        }
        List<String> links = new ArrayList<>();
        String url = server.json.api() + "/repos/" + repo.name + "/releases?per_page=" + perPage + "&page=";
        if (page > 1) {
            links.add("<" + url + Math.min(page - 1, last) + ">; rel=\"prev\"");
        }
        if (page < last) {
            links.add("<" + url + (page + 1) + ">; rel=\"next\"");
            links.add("<" + url + last + ">; rel=\"last\"");
        }
        if (page > 1) {
            links.add("<" + url + 1 + ">; rel=\"first\"");
        }
        return new Reply(200, body, links.isEmpty() ? Map.of() : Map.of("Link", String.join(", ", links)));
    }

    private Reply create(Repo repo, JsonNode input) {
        String tag = input.path("tag_name").asText("");
        if (tag.isBlank()) {
            return new Reply(422, validation("Release", "missing_field", "tag_name"));
        }
        Release release = state.createRelease(repo, tag);
        if (release == null) {
            return new Reply(422, validation("Release", "already_exists", "tag_name"));
        }
        apply(release, input);
        return new Reply(201, server.json.release(release), Map.of("Location", server.json.api() + "/repos/"
            + repo.name + "/releases/" + release.id));
    }

    private Reply update(Repo repo, Release release, JsonNode input) {
        String tag = input.path("tag_name").asText(release.tag);
        Release holder = repo.byTag(tag);
        if (holder != null && holder != release) {
            return new Reply(422, validation("Release", "already_exists", "tag_name"));
        }
        release.tag = tag;
        apply(release, input);
        return new Reply(200, server.json.release(release));
    }

    /** Fields absent from the request keep their value, as in a GitHub PATCH. */
    private static void apply(Release release, JsonNode input) {
        release.name = text(input, "name", release.name);
        release.body = text(input, "body", release.body);
        release.target = text(input, "target_commitish", release.target);
        release.makeLatest = text(input, "make_latest", release.makeLatest);
        release.prerelease = input.path("prerelease").asBoolean(release.prerelease);
        release.draft = input.path("draft").asBoolean(release.draft);
        if (release.draft) {
            release.publishedAt = null;
        } else if (release.publishedAt == null) {
            release.publishedAt = FakeGitHubState.now();
        }
    }

    private Reply asset(Call call, Asset asset) {
        if (asset == null) {
            return new Reply(404, notFound());
        } else if (call.method.equals("DELETE")) {
            state.delete(asset);
            return new Reply(204, null);
        } else if (!call.method.equals("GET")) {
            return new Reply(404, notFound());
        }
        String accept = call.header("Accept");
        if (accept != null && accept.contains("application/octet-stream")) {
            return new Reply(302, null, Map.of("Location", server.json.storageAsset(asset)));
        }
        return new Reply(200, server.json.asset(asset));
    }

    /** The body streams into a temp file; a body that breaks off leaves a "starter" stub, as on GitHub. */
    Reply upload(Call call) throws IOException {
        Matcher m = UPLOAD.matcher(call.path);
        Repo repo = m.matches() && call.method.equals("POST") ? state.repo(m.group(1)) : null;
        Release release = repo == null ? null : state.release(repo, Long.parseLong(m.group(2)));
        if (release == null) {
            return new Reply(404, notFound());
        }
        Map<String, String> params = call.params();
        String name = params.get("name");
        if (name == null || name.isBlank()) {
            return new Reply(422, validation("ReleaseAsset", "missing_field", "name"));
        }
        if (call.header("Content-Length") == null) {
            server.violations.add("upload without Content-Length: " + call.path + "?" + call.query);
        }
        if (call.header("Content-Type") == null) {
            server.violations.add("upload without Content-Type: " + call.path + "?" + call.query);
        }
        Asset asset = state.newAsset(release, name);
        asset.label = params.get("label");
        String contentType = call.header("Content-Type");
        asset.contentType = contentType == null ? "application/octet-stream" : contentType;
        try {
            state.store(asset, call.body());
        } catch (IOException e) {
            call.record();
            Asset stub = state.newAsset(release, name);
            stub.state = "starter";
            stub.contentType = asset.contentType;
            state.attach(stub);
            throw e;
        }
        if (state.attach(asset) == null) {
            FakeGitHubState.deleteFile(asset.file);
            return new Reply(422, validation("ReleaseAsset", "already_exists", "name"));
        }
        return new Reply(201, server.json.asset(asset));
    }

    private static String text(JsonNode input, String field, String fallback) {
        JsonNode value = input.get(field);
        return value == null || value.isNull() ? fallback : value.asText();
    }

    private static int intParam(String value, int fallback) {
        try {
            return value == null ? fallback : Integer.parseInt(value);
        } catch (NumberFormatException e) {
            return fallback;
        }
    }
}
