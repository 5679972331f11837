package io.sochdb.release.fakes;

import static io.sochdb.release.fakes.FakeGitHubJson.bytes;
import static io.sochdb.release.fakes.FakeGitHubJson.message;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.sochdb.release.fakes.FakeGitHubState.Asset;
import io.sochdb.release.fakes.FakeGitHubState.Release;
import io.sochdb.release.fakes.FakeGitHubState.Repo;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Entry point of every exchange: faults first (they stand for the network and the load balancer, which act before
 * GitHub does), then the token check, then the host the path prefix stands for.
 */
final class FakeGitHubServer implements HttpHandler {

    record Reply(int status, JsonNode json, Map<String, String> headers) {
        Reply(int status, JsonNode json) {
            this(status, json, Map.of());
        }
    }

    private static final int RATE_LIMIT = 5000;
    private static final Pattern STORAGE_ASSET = Pattern.compile("^/storage/assets/(\\d+)$");
    private static final Pattern STORAGE_TARBALL = Pattern.compile("^/storage/tarball/([^/]+/[^/]+)/([0-9a-f]+)$");
    private static final Pattern DOWNLOAD = Pattern.compile("^/([^/]+/[^/]+)/releases/download/(.+)/([^/]+)$");
    private static final String S3_AUTH_ERROR = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        + "<Error><Code>InvalidArgument</Code><Message>Only one auth mechanism allowed; only the X-Amz-Algorithm"
        + " query parameter, Signature query string parameter or the Authorization header should be specified"
        + "</Message><ArgumentName>Authorization</ArgumentName></Error>";

    final FakeGitHubState state;
    final FakeGitHubJson json;
    final Faults faults = new Faults();
    final List<Recorded> requests = new CopyOnWriteArrayList<>();
    final List<String> violations = new CopyOnWriteArrayList<>();
    volatile String token;
    private final AtomicInteger remaining = new AtomicInteger(RATE_LIMIT);
    private final long resetAt = Instant.now().getEpochSecond() + 3600;
    private final ReleaseApi api;

    FakeGitHubServer(FakeGitHubState state, FakeGitHubJson json) {
        this.state = state;
        this.json = json;
        this.api = new ReleaseApi(this);
    }

    void reset() {
        faults.clear();
        requests.clear();
        violations.clear();
        token = null;
        remaining.set(RATE_LIMIT);
    }

    @Override
    public void handle(HttpExchange exchange) {
        Call call = new Call(exchange, requests::add);
        try {
            serve(call);
        } catch (IOException e) {
            // The client went away, or an upload broke off; either way there is no one left to answer.
        } catch (RuntimeException | Error e) {
            // A bug in the fake must not pass for a server hiccup that the client under test retries away.
            violations.add("fake failed on " + call.method + " " + call.path + ": " + e);
            e.printStackTrace();
            try {
                reply(call, new Reply(500, message("fake GitHub failed: " + e)));
            } catch (IOException | RuntimeException ignored) {
                // Headers may already be out; closing below is all that is left.
            }
        } finally {
            exchange.close();
        }
    }

    private void serve(Call call) throws IOException {
        Faults.Fault fault = faults.takeAfterStall(call.method, call.path);
        call.loseResponse = fault != null && fault.kind() == Faults.Kind.DROP_RESPONSE;
        if (fault != null && !call.loseResponse) {
            inject(call, fault);
        } else if (call.path.startsWith("/api/") || call.path.startsWith("/uploads/")) {
            if (token != null && !("Bearer " + token).equals(call.header("Authorization"))) {
                reply(call, new Reply(401, message("Bad credentials")));
            } else if (call.path.startsWith("/api/")) {
                reply(call, api.serve(call));
            } else {
                reply(call, api.upload(call));
            }
        } else if (call.path.startsWith("/storage/")) {
            storage(call);
        } else {
            browserDownload(call);
        }
    }

    private void inject(Call call, Faults.Fault fault) throws IOException {
        switch (fault.kind()) {
            case DROP -> call.drop();
            case FAIL -> reply(call, new Reply(fault.status(), message("Server Error")));
            case RATE_LIMIT -> reply(call, new Reply(403, message("You have exceeded a secondary rate limit"),
                Map.of("Retry-After", Long.toString(fault.value()))));
            case RATE_LIMIT_RESET -> reply(call, new Reply(403, message("API rate limit exceeded"),
                Map.of("x-ratelimit-remaining", "0", "x-ratelimit-reset", Long.toString(fault.value()))));
            default -> throw new IllegalStateException(fault.toString());
        }
    }

    /** An API answer: JSON, rate-limit headers, and an ETag that a matching If-None-Match turns into a 304. */
    void reply(Call call, Reply reply) throws IOException {
        byte[] body = reply.json() == null ? new byte[0] : bytes(reply.json());
        Map<String, String> headers = new LinkedHashMap<>();
        int left = Math.max(0, remaining.decrementAndGet());
        headers.put("x-ratelimit-limit", Integer.toString(RATE_LIMIT));
        headers.put("x-ratelimit-remaining", Integer.toString(left));
        headers.put("x-ratelimit-used", Integer.toString(RATE_LIMIT - left));
        headers.put("x-ratelimit-reset", Long.toString(resetAt));
        headers.put("x-ratelimit-resource", "core");
        headers.put("X-GitHub-Media-Type", "github.v3; format=json");
        String etag = etag(body);
        headers.put("ETag", etag);
        headers.putAll(reply.headers());
        if (call.method.equals("GET") && reply.status() == 200 && matches(call.header("If-None-Match"), etag)) {
            call.send(304, headers, new byte[0]);
            return;
        }
        if (body.length > 0) {
            headers.put("Content-Type", "application/json; charset=utf-8");
        }
        call.send(reply.status(), headers, body);
    }

    private void storage(Call call) throws IOException {
        if (call.header("Authorization") != null) {
            violations.add("Authorization header sent to storage: " + call.method + " " + call.path);
            call.send(400, Map.of("Content-Type", "application/xml"), S3_AUTH_ERROR.getBytes(StandardCharsets.UTF_8));
            return;
        }
        Matcher asset = STORAGE_ASSET.matcher(call.path);
        Matcher tarball = STORAGE_TARBALL.matcher(call.path);
        if (call.method.equals("GET") && asset.matches()) {
            Asset found = state.asset(Long.parseLong(asset.group(1)));
            if (found == null || found.state.equals("starter")) {
                plain(call, 404, "Not Found");
                return;
            }
            call.sendStream(200, Map.of("Content-Type", "application/octet-stream",
                "Content-Disposition", "attachment; filename=" + found.name), found.open(), found.size);
        } else if (call.method.equals("GET") && tarball.matches()) {
            Repo repo = state.repo(tarball.group(1));
            byte[] bytes;
            synchronized (state) {
                bytes = repo == null ? null : repo.tarballs.get(tarball.group(2));
            }
            if (bytes == null) {
                plain(call, 404, "Not Found");
                return;
            }
            String folder = repo.name.replace('/', '-') + "-" + tarball.group(2).substring(0, 7);
            call.sendStream(200, Map.of("Content-Type", "application/x-gzip",
                "Content-Disposition", "attachment; filename=" + folder + ".tar.gz"), new ByteArrayInputStream(bytes),
                bytes.length);
        } else {
            plain(call, 404, "Not Found");
        }
    }

    /** github.com's own download links: published releases only, redirected to storage like the API's. */
    private void browserDownload(Call call) throws IOException {
        Matcher m = DOWNLOAD.matcher(call.path);
        String location = null;
        if (call.method.equals("GET") && m.matches()) {
            synchronized (state) {
                Repo repo = state.repo(m.group(1));
                Release release = repo == null ? null : repo.byTag(m.group(2));
                Asset asset = release == null || release.draft ? null : release.asset(m.group(3));
                location = asset == null ? null : json.storageAsset(asset);
            }
        }
        if (location == null) {
            plain(call, 404, "Not Found");
        } else {
            call.send(302, Map.of("Location", location), new byte[0]);
        }
    }

    private static void plain(Call call, int status, String text) throws IOException {
        call.send(status, Map.of("Content-Type", "text/plain; charset=utf-8"), text.getBytes(StandardCharsets.UTF_8));
    }

    private static String etag(byte[] body) {
        MessageDigest md = FakeGitHubState.sha256();
        return "W/\"" + HexFormat.of().formatHex(md.digest(body)).substring(0, 40) + "\"";
    }

    /** Weak comparison, as RFC 9110 asks for If-None-Match; "*" matches anything. */
    private static boolean matches(String ifNoneMatch, String etag) {
        if (ifNoneMatch == null) {
            return false;
        }
        String bare = etag.substring(2);
        for (String candidate : ifNoneMatch.split(",")) {
            String c = candidate.trim();
            if (c.equals("*") || (c.startsWith("W/") ? c.substring(2) : c).equals(bare)) {
                return true;
            }
        }
        return false;
    }
}
