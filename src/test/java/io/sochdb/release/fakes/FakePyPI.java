package io.sochdb.release.fakes;

import com.sun.net.httpserver.HttpServer;
import io.sochdb.release.fakes.FakePyPIState.StoredFile;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Stream;

/**
 * A stateful stand-in for PyPI on 127.0.0.1, one port for everything: the upload endpoint {@code /legacy/}, the
 * simple index {@code /simple/} (PEP 503 HTML and PEP 691 JSON), the JSON API {@code /pypi/...}, files under
 * {@code /files/}, trusted publishing under {@code /_/oidc/}, and the two ID-token sources a publisher asks first:
 * GitHub Actions ({@code /actions/idtoken}) and the Google metadata server ({@code /computeMetadata/v1}).
 *
 * <p>{@link #start()} behaves like pypi.org (Warehouse); {@link #startPrivateIndex()} like pypiserver, devpi or
 * Nexus: no JSON API and no OIDC (404), an HTML-only simple index, and 409 for any re-upload of a file name.
 *
 * <p>Error answers carry Warehouse's message in the body: Warehouse also puts it in the reason phrase, which the
 * JDK server cannot set, so here the reason phrase is always the standard one. The body is Pyramid's: HTML by
 * default (message HTML-escaped, in {@code <title>}, {@code <h1>} and after the explanation), JSON
 * ({@code {"message","code","title"}}, code {@code "400 <message>"}) when the client's Accept prefers
 * application/json, plain text when it asks for text/plain only; a private index answers the bare message as
 * text/plain. Messages not checked against Warehouse (approximate): missing or bad {@code :action},
 * {@code protocol_version} and required fields, a file name that does not parse or fit the filetype, a
 * wheel with pyversion "source", and {@link #TOO_LATE}.
 */
public final class FakePyPI implements AutoCloseable {

    public static final String INVALID_AUTH = "Invalid or non-existent authentication information. See"
        + " https://pypi.org/help/#invalid-auth for more information.";
    public static final String PASSWORD_AUTH = "Username/Password authentication is no longer supported. Migrate"
        + " to API Tokens or Trusted Publishers instead. See https://pypi.org/help/#apitoken and"
        + " https://pypi.org/help/#trusted-publishers";
    /** Approximate: Warehouse's wording for this rule is not known here. */
    public static final String TOO_LATE = "The release has been created more than 14 days ago; new files cannot be"
        + " added.";

    private final HttpServer server;
    private final ExecutorService executor;
    private final Path tempDir;
    private final FakePyPIState state;
    private final FakePyPIServer handler;
    private final String host;
    private boolean closed;

    private FakePyPI(boolean privateIndex, String host) throws IOException {
        this.host = host;
        tempDir = Files.createTempDirectory("fake-pypi-");
        server = HttpServer.create(new InetSocketAddress(InetAddress.getByAddress(new byte[] {127, 0, 0, 1}), 0), 0);
        state = new FakePyPIState(tempDir, privateIndex);
        handler = new FakePyPIServer(state, baseUrl());
        defaults();
        executor = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "fake-pypi");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/", handler);
        server.start();
    }

    /** Like pypi.org. */
    public static FakePyPI start() {
        return create(false);
    }

    /** Like a private index (pypiserver, devpi, Nexus). */
    public static FakePyPI startPrivateIndex() {
        return create(true);
    }

    /**
     * Like pypi.org, known by a made-up host name that only a proxy resolves: every URL it hands out (file links)
     * names that host, while it listens on 127.0.0.1.
     */
    public static FakePyPI startAs(String host) {
        try {
            return new FakePyPI(false, host);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static FakePyPI create(boolean privateIndex) {
        try {
            return new FakePyPI(privateIndex, "127.0.0.1");
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
            files.sorted(Comparator.reverseOrder()).forEach(FakePyPIState::deleteFile);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public boolean isPrivateIndex() {
        return state.privateIndex;
    }

    // ---- addresses ---------------------------------------------------------------------------------------------

    public int port() {
        return server.getAddress().getPort();
    }

    /** {@code http://127.0.0.1:PORT}: pypi.org, and also where {@code /_/oidc/...} lives. */
    public String baseUrl() {
        return "http://" + host + ":" + port();
    }

    /** {@code http://127.0.0.1:PORT/legacy/}, twine's {@code --repository-url}. */
    public String repositoryUrl() {
        return baseUrl() + "/legacy/";
    }

    /** {@code http://127.0.0.1:PORT/simple/}, pip's {@code --index-url}. */
    public String simpleUrl() {
        return baseUrl() + "/simple/";
    }

    public String fileUrl(String filename) {
        return baseUrl() + "/files/" + filename;
    }

    /** GitHub's {@code ACTIONS_ID_TOKEN_REQUEST_URL}; the client appends {@code &audience=pypi}. */
    public String actionsTokenUrl() {
        return baseUrl() + "/actions/idtoken?api-version=2.0";
    }

    /** GitHub's {@code ACTIONS_ID_TOKEN_REQUEST_TOKEN}, to be sent as {@code Authorization: bearer <it>}. */
    public String actionsRequestToken() {
        synchronized (state) {
            return state.actionsRequestToken;
        }
    }

    /** The metadata server's base; the identity endpoint is {@code <it>/instance/service-accounts/default/identity}. */
    public String gceMetadataUrl() {
        return baseUrl() + "/computeMetadata/v1";
    }

    // ---- credentials -------------------------------------------------------------------------------------------

    /** Uploads with Basic {@code __token__:<token>} are let in from now on. */
    public void acceptToken(String token) {
        synchronized (state) {
            state.apiTokens.add(token);
        }
    }

    /** A fresh {@code pypi-...} API token that the fake accepts. */
    public String newApiToken() {
        String token = "pypi-" + PyPIOidc.random(48);
        acceptToken(token);
        return token;
    }

    /** A private index lets this user in; pypi.org refuses every password (403, {@link #PASSWORD_AUTH}). */
    public void acceptLogin(String user, String password) {
        synchronized (state) {
            state.logins.put(user, password);
        }
    }

    /** The token both ID-token sources hand out for audience "pypi"; mint-token accepts it. */
    public void idToken(String token) {
        synchronized (state) {
            state.idToken = token;
            state.idTokens.add(token);
        }
    }

    /** The token the ID-token sources hand out now (a JWT-shaped default until {@link #idToken(String)}). */
    public String idToken() {
        synchronized (state) {
            return state.idToken;
        }
    }

    public void acceptIdToken(String token) {
        synchronized (state) {
            state.idTokens.add(token);
        }
    }

    /** Mint-token stops accepting this ID token: it answers 422 invalid-publisher. */
    public void rejectIdToken(String token) {
        synchronized (state) {
            state.idTokens.remove(token);
        }
    }

    /**
     * The next mint request fails with 422 and this error, whatever it sends ({@code invalid-token},
     * {@code invalid-payload}, {@code not-enabled}, {@code invalid-publisher}, {@code invalid-pypi-token}...); a null
     * description takes Warehouse's usual one for the code. Queued calls fail later requests in order.
     */
    public void mintError(String code, String description) {
        synchronized (state) {
            state.mintErrors.add(new FakePyPIState.MintError(code, description));
        }
    }

    /** Tokens minted so far, in order. */
    public List<String> mintedTokens() {
        synchronized (state) {
            return List.copyOf(state.mintedTokens.keySet());
        }
    }

    /** Every token minted so far now gets 403 "Invalid API Token: token is expired"; later mints work. */
    public void expireMintedTokens() {
        synchronized (state) {
            state.mintedTokens.replaceAll((token, expired) -> true);
        }
    }

    // ---- seeding and rules -------------------------------------------------------------------------------------

    /** A file as if uploaded earlier (name and version from the file name; no requires-python). */
    public void addFile(String filename, byte[] content) {
        addFile(filename, new ByteArrayInputStream(content));
    }

    public void addFile(String filename, Path content) {
        try (InputStream in = Files.newInputStream(content)) {
            addFile(filename, in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** As {@link #addFile(String, Path)}, but the next {@code reads} listings of the project leave it out (CDN lag). */
    public void addFileListedLater(String filename, Path content, int reads) {
        try (InputStream in = Files.newInputStream(content)) {
            state.seed(filename, in, reads);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void addFile(String filename, InputStream in) {
        try {
            state.seed(filename, in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Removes a file; on pypi.org its name stays used ("This filename has already been used"). */
    public void deleteFile(String filename) {
        if (!state.delete(filename)) {
            throw new IllegalArgumentException("no file " + filename);
        }
    }

    /** New files for this release are refused (400, {@link #TOO_LATE}); pypi.org only. */
    public void tooLateAfter(String project, String version) {
        synchronized (state) {
            state.closedReleases.add(FakePyPIState.releaseKey(project, version));
        }
    }

    /** Files uploaded from now on are left out of the first {@code reads} listings of their project (CDN lag). */
    public void delayListing(int reads) {
        synchronized (state) {
            state.listingDelay = reads;
        }
    }

    /** PyPI's per-file limit, 100 MB unless changed. */
    public void maxFileSize(long bytes) {
        synchronized (state) {
            state.maxFileSize = bytes;
        }
    }

    /** What {@code /legacy} (no slash) answers: 301 unless changed (308 keeps the method). */
    public void legacyRedirectStatus(int status) {
        synchronized (state) {
            state.legacyRedirectStatus = status;
        }
    }

    // ---- faults: each queued rule is used up by the next matching requests, in the order queued ----------------

    /** {@code method} may be "*"; {@code pathRegex} is searched for in the decoded path, e.g. "^/legacy/$". */
    public void failNext(String method, String pathRegex, int status, int times) {
        handler.faults.add(method, pathRegex, new Faults.Fault(Faults.Kind.FAIL, status, 0), times);
    }

    /** The connection breaks mid-response (see {@link FakeGitHub#dropNext}); the request is not served. */
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
     * The request is served in full (an upload stored, a token minted) and then its response breaks off as in
     * {@link #dropNext}: the case where a retried upload meets its own file (200 on pypi.org, 409 on a private index).
     */
    public void dropResponseNext(String method, String pathRegex, int times) {
        handler.faults.add(method, pathRegex, new Faults.Fault(Faults.Kind.DROP_RESPONSE, 0, 0), times);
    }

    public int pendingFaults() {
        return handler.faults.pending();
    }

    // ---- inspection --------------------------------------------------------------------------------------------

    /** Every POST to /legacy/ that got an answer from the upload logic, accepted or not. */
    public List<PyPIUpload> uploads() {
        return List.copyOf(handler.uploads);
    }

    public List<Recorded> requests() {
        return List.copyOf(handler.requests);
    }

    /** Stored files, file name to sha256, in upload order; hidden (delayed) files included. */
    public Map<String, String> files() {
        return state.sha256s();
    }

    /** Where the bytes of a stored file are, or null. */
    public Path filePath(String filename) {
        StoredFile f = state.file(filename);
        return f == null ? null : f.content.path();
    }

    public byte[] fileBytes(String filename) {
        Path path = filePath(filename);
        try {
            return path == null ? null : Files.readAllBytes(path);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Things a correct client never does, such as sending a token anywhere but the upload endpoint. */
    public List<String> violations() {
        return List.copyOf(handler.violations);
    }

    /** Back to a fresh server on the same port: no files, tokens, faults, records or violations; new ID tokens. */
    public void reset() {
        state.clear();
        handler.reset();
        defaults();
    }

    private void defaults() {
        synchronized (state) {
            state.actionsRequestToken = "actions-" + PyPIOidc.random(24);
        }
        idToken(PyPIOidc.jwt(PyPIOidc.AUDIENCE));
    }
}
