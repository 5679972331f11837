package io.sochdb.release.fakes;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sochdb.release.fakes.FakeGitHubState.Asset;
import io.sochdb.release.fakes.FakeGitHubState.Release;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/** GitHub's JSON shapes, with every URL pointing back at this server. */
final class FakeGitHubJson {

    static final ObjectMapper MAPPER = new ObjectMapper();
    static final String DOCS = "https://docs.github.com/rest";

    final String base;

    FakeGitHubJson(String base) {
        this.base = base;
    }

    String api() {
        return base + "/api";
    }

    String uploads() {
        return base + "/uploads";
    }

    ObjectNode release(Release r) {
        String repoPath = "/repos/" + r.repo.name;
        String url = api() + repoPath + "/releases/" + r.id;
        ObjectNode json = MAPPER.createObjectNode();
        json.put("url", url);
        json.put("assets_url", url + "/assets");
        json.put("upload_url", uploads() + repoPath + "/releases/" + r.id + "/assets{?name,label}");
        json.put("html_url", base + "/" + r.repo.name + "/releases/tag/" + segment(r.tag));
        json.put("id", r.id);
        json.put("node_id", "RE_" + r.id);
        json.put("tag_name", r.tag);
        json.put("target_commitish", r.target);
        json.put("name", r.name);
        json.put("body", r.body);
        json.put("draft", r.draft);
        json.put("prerelease", r.prerelease);
        json.put("created_at", r.createdAt.toString());
        json.put("published_at", r.publishedAt == null ? null : r.publishedAt.toString());
        json.set("author", author());
        json.put("tarball_url", api() + repoPath + "/tarball/" + segment(r.tag));
        json.put("zipball_url", api() + repoPath + "/zipball/" + segment(r.tag));
        ArrayNode assets = json.putArray("assets");
        r.assets.forEach(a -> assets.add(asset(a)));
        return json;
    }

    ObjectNode asset(Asset a) {
        ObjectNode json = MAPPER.createObjectNode();
        json.put("url", api() + "/repos/" + a.release.repo.name + "/releases/assets/" + a.id);
        json.put("browser_download_url", browserDownloadUrl(a));
        json.put("id", a.id);
        json.put("node_id", "RA_" + a.id);
        json.put("name", a.name);
        json.put("label", a.label);
        json.put("state", a.state);
        json.put("content_type", a.contentType);
        json.put("size", a.size);
        json.put("digest", a.digest);
        json.put("download_count", 0);
        json.put("created_at", a.createdAt.toString());
        json.put("updated_at", a.createdAt.toString());
        json.set("uploader", author());
        return json;
    }

    String browserDownloadUrl(Asset a) {
        return base + "/" + a.release.repo.name + "/releases/download/" + segment(a.release.tag) + "/"
            + segment(a.name);
    }

    /** The query string stands in for the signature of a real pre-signed URL. */
    String storageAsset(Asset a) {
        return base + "/storage/assets/" + a.id + "?token=xyz&expires=" + (Instant.now().getEpochSecond() + 300);
    }

    String storageTarball(String repo, String sha) {
        return base + "/storage/tarball/" + repo + "/" + sha;
    }

    static ObjectNode message(String message) {
        ObjectNode json = MAPPER.createObjectNode();
        json.put("message", message);
        json.put("documentation_url", DOCS);
        return json;
    }

    static ObjectNode notFound() {
        return message("Not Found");
    }

    static ObjectNode validation(String resource, String code, String field) {
        ObjectNode json = message("Validation Failed");
        ObjectNode error = json.putArray("errors").addObject();
        error.put("resource", resource);
        error.put("code", code);
        error.put("field", field);
        return json;
    }

    static byte[] bytes(JsonNode json) {
        try {
            return MAPPER.writeValueAsBytes(json);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ObjectNode author() {
        ObjectNode user = MAPPER.createObjectNode();
        user.put("login", "github-actions[bot]");
        user.put("id", 41898282L);
        user.put("type", "Bot");
        return user;
    }

    /** Tag and asset names may hold characters a URL path cannot; GitHub escapes them too. */
    private static String segment(String raw) {
        return URLEncoder.encode(raw, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
