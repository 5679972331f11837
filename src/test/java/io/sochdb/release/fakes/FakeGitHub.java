package io.sochdb.release.fakes;

import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import javax.net.ssl.SSLContext;
import io.sochdb.release.fakes.FakeGitHubState.Asset;
import io.sochdb.release.fakes.FakeGitHubState.Release;
import io.sochdb.release.fakes.FakeGitHubState.Repo;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Stream;

/**
 * A stateful stand-in for GitHub's release API on 127.0.0.1, one port for three hosts: {@code /api} for
 * api.github.com, {@code /uploads} for uploads.github.com and {@code /storage} for the object store that asset and
 * tarball downloads are redirected to. Repositories exist once seeded ({@link #addRepo} or any other seeding call).
 * Ids of releases and assets come from one counter, so a client that mixes them up gets a 404.
 */
public final class FakeGitHub implements AutoCloseable {

    private final HttpServer server;
    private final ExecutorService executor;
    private final Path tempDir;
    private final FakeGitHubState state;
    private final FakeGitHubServer handler;
    private final String base;
    private boolean closed;

    private FakeGitHub(SSLContext tls, String host) throws IOException {
        tempDir = Files.createTempDirectory("fake-github-");
        InetSocketAddress loopback = new InetSocketAddress(InetAddress.getByAddress(new byte[] {127, 0, 0, 1}), 0);
        if (tls == null) {
            server = HttpServer.create(loopback, 0);
        } else {
            HttpsServer https = HttpsServer.create(loopback, 0);
            https.setHttpsConfigurator(new HttpsConfigurator(tls));
            server = https;
        }
        base = (tls == null ? "http://" : "https://") + host + ":" + port();
        state = new FakeGitHubState(tempDir);
        handler = new FakeGitHubServer(state, new FakeGitHubJson(base));
        // Several threads, so that parallel uploads really overlap and a slow download does not stall the API.
        executor = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "fake-github");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/", handler);
        server.start();
    }

    /**
     * GitHub over TLS with the certificate of {@code tls}, known as {@code host}: every URL it hands out (storage
     * redirects, download links) names that host, while it listens on 127.0.0.1.
     */
    public static FakeGitHub startTls(SSLContext tls, String host) {
        try {
            return new FakeGitHub(tls, host);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static FakeGitHub start() {
        try {
            return new FakeGitHub(null, "127.0.0.1");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        server.stop(0);
        executor.shutdownNow();
        state.clear();
        try (Stream<Path> files = Files.walk(tempDir)) {
            files.sorted(Comparator.reverseOrder()).forEach(FakeGitHubState::deleteFile);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** {@code http://127.0.0.1:PORT}: the github.com of html_url and browser_download_url. */
    public String baseUrl() {
        return base;
    }

    public String apiUrl() {
        return baseUrl() + "/api";
    }

    public String uploadUrl() {
        return baseUrl() + "/uploads";
    }

    // ---- seeding -----------------------------------------------------------------------------------------------

    public void addRepo(String repo) {
        state.addRepo(repo);
    }

    /** A release named after its tag; published now unless {@code draft}. */
    public long addRelease(String repo, String tag, boolean draft) {
        synchronized (state) {
            Release release = state.createRelease(state.addRepo(repo), tag);
            if (release == null) {
                throw new IllegalArgumentException("release " + tag + " already exists in " + repo);
            }
            release.draft = draft;
            release.publishedAt = draft ? null : FakeGitHubState.now();
            return release.id;
        }
    }

    public long addAsset(String repo, long releaseId, String name, byte[] content) {
        return attach(FakeGitHubState.storeBytes(state.newAsset(releaseById(repo, releaseId), name), content));
    }

    public long addAsset(String repo, long releaseId, String name, Path content) {
        return attach(storeFile(state.newAsset(releaseById(repo, releaseId), name), content));
    }

    /** What an upload that broke off leaves behind: state "starter", size 0, no bytes. */
    public long addStubAsset(String repo, long releaseId, String name) {
        Asset stub = state.newAsset(releaseById(repo, releaseId), name);
        stub.state = "starter";
        return attach(stub);
    }

    /** The asset becomes visible on the read after {@code afterReads} reads of its release (by id, tag or list). */
    public long scheduleAsset(String repo, long releaseId, String name, byte[] content, int afterReads) {
        Asset asset = FakeGitHubState.storeBytes(state.newAsset(releaseById(repo, releaseId), name), content);
        state.schedule(asset, afterReads);
        return asset.id;
    }

    public long scheduleAsset(String repo, long releaseId, String name, Path content, int afterReads) {
        Asset asset = storeFile(state.newAsset(releaseById(repo, releaseId), name), content);
        state.schedule(asset, afterReads);
        return asset.id;
    }

    public void setDigest(long assetId, String digest) {
        synchronized (state) {
            asset(assetId).digest = digest;
        }
    }

    /** Assets uploaded before GitHub started computing digests report {@code "digest": null}. */
    public void clearDigest(long assetId) {
        setDigest(assetId, null);
    }

    /** {@code ref} (branch, tag, or the sha itself) resolves to {@code sha}, whose tarball is {@code tarGz}. */
    public void addTarball(String repo, String ref, String sha, byte[] tarGz) {
        if (!sha.matches("[0-9a-f]{40}")) {
            throw new IllegalArgumentException("sha must be 40 lowercase hex digits: " + sha);
        }
        synchronized (state) {
            Repo r = state.addRepo(repo);
            r.refs.put(ref, sha);
            r.tarballs.put(sha, tarGz.clone());
        }
    }

    /** Branches, files and pull requests of a repository, which is created if needed. */
    public FakeContents contents(String repo) {
        return new FakeContents(state, state.addRepo(repo));
    }

    // ---- faults: each queued rule is used up by the next matching requests, in the order queued ----------------

    /** {@code method} may be "*"; {@code pathRegex} is searched for in the decoded path, e.g. "/uploads/.+/assets$". */
    public void failNext(String method, String pathRegex, int status, int times) {
        handler.faults.add(method, pathRegex, new Faults.Fault(Faults.Kind.FAIL, status, 0), times);
    }

    /**
     * The connection breaks mid-response: headers of a 200 with Content-Length 65536, then 16 bytes, then the socket
     * closes, so reading the response fails. The request body is read in full first.
     */
    /** The next matching request is held for {@code millis} before it is served as usual. */
    public void stallNext(String method, String pathRegex, long millis) {
        handler.faults.add(method, pathRegex, new Faults.Fault(Faults.Kind.STALL, 0, millis), 1);
    }

    /** How many stalled requests have begun: the moment to kill the client. */
    public int stallsBegun() {
        return handler.faults.stallsBegun();
    }

    public void dropNext(String method, String pathRegex, int times) {
        handler.faults.add(method, pathRegex, new Faults.Fault(Faults.Kind.DROP, 0, 0), times);
    }

    /**
     * The request is served in full (a release is created, an asset stored) and then its response breaks off as in
     * {@link #dropNext}: the case where a retry meets 422 already_exists.
     */
    public void dropResponseNext(String method, String pathRegex, int times) {
        handler.faults.add(method, pathRegex, new Faults.Fault(Faults.Kind.DROP_RESPONSE, 0, 0), times);
    }

    /** A secondary rate limit: 403 with Retry-After. */
    public void rateLimitNext(String method, String pathRegex, int retryAfterSeconds) {
        handler.faults.add(method, pathRegex, new Faults.Fault(Faults.Kind.RATE_LIMIT, 403, retryAfterSeconds), 1);
    }

    /** The primary rate limit: 403 with x-ratelimit-remaining 0 and x-ratelimit-reset. */
    public void rateLimitResetNext(String method, String pathRegex, long resetEpochSeconds) {
        handler.faults.add(method, pathRegex,
            new Faults.Fault(Faults.Kind.RATE_LIMIT_RESET, 403, resetEpochSeconds), 1);
    }

    /** Faults queued and not yet used up; 0 once a test has hit every one it set up. */
    public int pendingFaults() {
        return handler.faults.pending();
    }

    /** From now on /api and /uploads answer 401 unless sent {@code Authorization: Bearer <token>}. */
    public void requireToken(String token) {
        handler.token = token;
    }

    // ---- inspection --------------------------------------------------------------------------------------------

    public List<Recorded> requests() {
        return List.copyOf(handler.requests);
    }

    /** POST, PATCH, PUT and DELETE requests to /api and /uploads. */
    public List<Recorded> writeRequests() {
        return handler.requests.stream().filter(Recorded::isWrite).toList();
    }

    /** Things a correct client never does, such as sending its token to storage. */
    public List<String> violations() {
        return List.copyOf(handler.violations);
    }

    /** The release with that tag, drafts included, or null. Reading it here does not count as a read. */
    public FakeRelease release(String repo, String tag) {
        synchronized (state) {
            Repo r = state.repo(repo);
            Release release = r == null ? null : r.byTag(tag);
            if (release == null) {
                return null;
            }
            return new FakeRelease(release.id, r.name, release.tag, release.name, release.body, release.draft,
                release.prerelease, release.makeLatest, release.target, release.publishedAt,
                release.assets.stream().map(a -> new FakeRelease.Asset(a.id, a.name, a.label, a.contentType, a.size,
                    a.state, a.digest)).toList());
        }
    }

    /** The stored bytes of an asset, or null if there is no such asset (any more). */
    public byte[] assetBytes(long assetId) {
        Asset asset = state.asset(assetId);
        if (asset == null) {
            return null;
        }
        try (InputStream in = asset.open()) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Back to an empty server on the same port: no repos, faults, records, violations or token. */
    public void reset() {
        state.clear();
        handler.reset();
    }

    private Release releaseById(String repo, long releaseId) {
        Repo r = state.repo(repo);
        Release release = r == null ? null : state.release(r, releaseId);
        if (release == null) {
            throw new IllegalArgumentException("no release " + releaseId + " in " + repo);
        }
        return release;
    }

    private Asset asset(long assetId) {
        Asset asset = state.asset(assetId);
        if (asset == null) {
            throw new IllegalArgumentException("no asset " + assetId);
        }
        return asset;
    }

    private long attach(Asset asset) {
        if (state.attach(asset) == null) {
            FakeGitHubState.deleteFile(asset.file);
            throw new IllegalArgumentException("release already has an asset named " + asset.name);
        }
        return asset.id;
    }

    private Asset storeFile(Asset asset, Path content) {
        try (InputStream in = Files.newInputStream(content)) {
            return state.store(asset, in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
