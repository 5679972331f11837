package io.sochdb.release.fakes;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.sochdb.release.fakes.FakePyPIState.StoredFile;
import io.sochdb.release.fakes.PyPIPages.Page;
import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Entry point of every exchange of a {@link FakePyPI}: secrets are checked for where they do not belong, then
 * faults (the network and the CDN act before Warehouse does), then the route.
 */
final class FakePyPIServer implements HttpHandler {

    private static final Pattern JSON_API = Pattern.compile("^/pypi/([^/]+)(?:/([^/]+))?/json/?$");
    private static final Pattern SIMPLE = Pattern.compile("^/simple/([^/]+)(/?)$");
    private static final Pattern FILES = Pattern.compile("^/files/([^/]+)$");
    static final String GCE_IDENTITY = "/computeMetadata/v1/instance/service-accounts/default/identity";

    final FakePyPIState state;
    final PyPIPages pages;
    final Faults faults = new Faults();
    final List<Recorded> requests = new CopyOnWriteArrayList<>();
    final List<PyPIUpload> uploads = new CopyOnWriteArrayList<>();
    final List<String> violations = new CopyOnWriteArrayList<>();
    private final PyPIForklift forklift;
    private final PyPIOidc oidc;
    private final String base;

    FakePyPIServer(FakePyPIState state, String base) {
        this.state = state;
        this.base = base;
        this.pages = new PyPIPages(base);
        this.forklift = new PyPIForklift(state, violations::add);
        this.oidc = new PyPIOidc(state, violations::add);
    }

    void reset() {
        faults.clear();
        requests.clear();
        uploads.clear();
        violations.clear();
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
                send(call, PyPIPages.error(500, "fake PyPI failed: " + e, null, true));
            } catch (IOException | RuntimeException ignored) {
                // Headers may already be out; closing below is all that is left.
            }
        } finally {
            exchange.close();
        }
    }

    private void serve(Call call) throws IOException {
        checkSecrets(call);
        Faults.Fault fault = faults.takeAfterStall(call.method, call.path);
        call.loseResponse = fault != null && fault.kind() == Faults.Kind.DROP_RESPONSE;
        if (fault != null && !call.loseResponse) {
            if (fault.kind() == Faults.Kind.DROP) {
                call.drop();
            } else {
                send(call, PyPIPages.error(fault.status(), null, call.header("Accept"), false));
            }
            return;
        }
        String path = call.path;
        boolean get = call.method.equals("GET");
        Matcher m;
        if (path.equals("/legacy")) {
            call.send(state.legacyRedirectStatus, Map.of("Location", base + "/legacy/"), new byte[0]);
        } else if (path.equals("/legacy/")) {
            upload(call);
        } else if (get && path.equals("/simple")) {
            call.send(301, Map.of("Location", base + "/simple/"), new byte[0]);
        } else if (get && path.equals("/simple/")) {
            TreeSet<String> projects = new TreeSet<>();
            synchronized (state) {
                state.files.values().stream().filter(f -> f.hiddenReads == 0).forEach(f -> projects.add(f.project));
            }
            send(call, pages.root(projects, state.privateIndex ? PyPIPages.TEXT_HTML
                : PyPIPages.negotiate(call.header("Accept"))));
        } else if (get && (m = SIMPLE.matcher(path)).matches()) {
            simple(call, m.group(1), !m.group(2).isEmpty());
        } else if (get && (m = JSON_API.matcher(path)).matches() && !state.privateIndex) {
            String project = FakePyPIState.normalize(m.group(1));
            send(call, pages.jsonApi(state.list(project), m.group(2), serial()));
        } else if (get && (m = FILES.matcher(path)).matches()) {
            StoredFile file = state.file(m.group(1));
            if (file == null) {
                send(call, PyPIPages.error(404, null, call.header("Accept"), state.privateIndex));
            } else {
                call.sendStream(200, Map.of("Content-Type", "application/octet-stream"),
                    Files.newInputStream(file.content.path()), file.content.size());
            }
        } else if (get && path.equals("/_/oidc/audience") && !state.privateIndex) {
            send(call, PyPIOidc.audience());
        } else if (call.method.equals("POST") && path.equals("/_/oidc/mint-token") && !state.privateIndex) {
            send(call, oidc.mint(call));
        } else if (get && path.equals("/actions/idtoken")) {
            send(call, oidc.actions(call));
        } else if (get && path.equals(GCE_IDENTITY)) {
            send(call, oidc.gce(call));
        } else {
            send(call, PyPIPages.error(404, null, call.header("Accept"), state.privateIndex));
        }
    }

    private void upload(Call call) throws IOException {
        if (!call.method.equals("POST")) {
            violations.add(call.method + " /legacy/: the upload endpoint takes POST only (a redirect followed?)");
            send(call, PyPIPages.error(405, null, call.header("Accept"), state.privateIndex));
            return;
        }
        PyPIUpload upload = forklift.receive(call);
        uploads.add(upload);
        if (upload.status() == 200) {
            call.send(200, Map.of("Content-Type", "text/html; charset=UTF-8"), new byte[0]);
        } else {
            send(call, PyPIPages.error(upload.status(), upload.message(), call.header("Accept"), state.privateIndex));
        }
    }

    private void simple(Call call, String name, boolean slash) throws IOException {
        String project = FakePyPIState.normalize(name);
        if (!project.equals(name) || !slash) {
            call.send(301, Map.of("Location", base + "/simple/" + project + "/"), new byte[0]);
            return;
        }
        List<StoredFile> files = state.list(project);
        if (files.isEmpty()) {
            send(call, PyPIPages.error(404, null, call.header("Accept"), state.privateIndex));
            return;
        }
        String type = state.privateIndex ? PyPIPages.TEXT_HTML : PyPIPages.negotiate(call.header("Accept"));
        send(call, pages.simple(project, files, type, serial()));
    }

    /** A token the fake knows of travels only to the upload endpoint (and the request token to its endpoint). */
    private void checkSecrets(Call call) {
        String auth = call.header("Authorization");
        if (auth == null || call.path.equals("/legacy/") || call.path.equals("/legacy")) {
            return;
        }
        String[] login = PyPIForklift.basic(auth);
        String secret = login != null ? login[1] : auth.contains(" ") ? auth.substring(auth.indexOf(' ') + 1).trim()
            : auth;
        boolean requestToken;
        synchronized (state) {
            requestToken = secret.equals(state.actionsRequestToken);
        }
        if (state.isSecret(secret) && !(requestToken && call.path.equals("/actions/idtoken"))) {
            violations.add("a secret was sent in the Authorization header of " + call.method + " " + call.path);
        }
    }

    private int serial() {
        synchronized (state) {
            return state.serial;
        }
    }

    private static void send(Call call, Page page) throws IOException {
        call.send(page.status(), Map.of("Content-Type", page.contentType()), page.body());
    }
}
