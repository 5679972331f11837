package io.sochdb.release.fakes;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sochdb.release.fakes.FakePyPIState.StoredFile;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** What PyPI's pages look like: the simple index (PEP 503 HTML, PEP 691 JSON), the JSON API and error bodies. */
final class PyPIPages {

    static final String TEXT_HTML = "text/html";
    static final String V1_HTML = "application/vnd.pypi.simple.v1+html";
    static final String V1_JSON = "application/vnd.pypi.simple.v1+json";

    /** A body to send. */
    record Page(int status, String contentType, byte[] body) {
    }

    private final String base;

    PyPIPages(String base) {
        this.base = base;
    }

    /**
     * Warehouse's choice among its offers (text/html, v1 HTML, v1 JSON, and "latest" aliases of the v1 types): the
     * highest q wins, ties go to the earlier offer, and an Accept that matches none gets text/html.
     */
    static String negotiate(String accept) {
        String[] offers = {TEXT_HTML, V1_HTML, V1_JSON, "application/vnd.pypi.simple.latest+html",
            "application/vnd.pypi.simple.latest+json"};
        String best = TEXT_HTML;
        double bestQ = 0;
        for (String offer : offers) {
            double q = quality(accept, offer);
            if (q > bestQ) {
                best = offer;
                bestQ = q;
            }
        }
        return best.replace(".latest+", ".v1+");
    }

    /** The q an Accept header gives a type: from its most specific matching range; all 1 when there is no header. */
    static double quality(String accept, String type) {
        if (accept == null || accept.isBlank()) {
            return 1;
        }
        double q = 0;
        int specificity = -1;
        for (String range : accept.split(",")) {
            Map<String, String> params = PyPIMultipart.parameters(range);
            String media = params.getOrDefault("", "").toLowerCase(Locale.ROOT);
            int s = media.equals(type) ? 2 : media.equals("*/*") ? 0
                : media.endsWith("/*") && type.startsWith(media.substring(0, media.length() - 1)) ? 1 : -1;
            if (s > specificity) {
                specificity = s;
                try {
                    q = Double.parseDouble(params.getOrDefault("q", "1"));
                } catch (NumberFormatException e) {
                    q = 0;
                }
            }
        }
        return q;
    }

    Page simple(String project, List<StoredFile> files, String type, int serial) {
        if (type.equals(V1_JSON)) {
            ObjectNode json = FakeGitHubJson.MAPPER.createObjectNode();
            json.putObject("meta").put("api-version", "1.1").put("_last-serial", serial);
            json.put("name", project);
            ArrayNode versions = json.putArray("versions");
            files.stream().map(f -> f.version).distinct().forEach(versions::add);
            ArrayNode list = json.putArray("files");
            for (StoredFile f : files) {
                ObjectNode file = list.addObject();
                file.put("filename", f.filename);
                file.put("url", fileUrl(f.filename));
                file.putObject("hashes").put("sha256", f.content.sha256());
                if (f.requiresPython != null) {
                    file.put("requires-python", f.requiresPython);
                }
                file.put("size", f.content.size());
                file.put("upload-time", f.uploadedAt.toString());
                file.put("yanked", false);
            }
            return new Page(200, V1_JSON, FakeGitHubJson.bytes(json));
        }
        StringBuilder html = new StringBuilder("<!DOCTYPE html>\n<html>\n  <head>\n"
            + "    <meta name=\"pypi:repository-version\" content=\"1.1\">\n    <title>Links for " + escape(project)
            + "</title>\n  </head>\n  <body>\n    <h1>Links for " + escape(project) + "</h1>\n");
        for (StoredFile f : files) {
            html.append("    <a href=\"/files/").append(escape(f.filename)).append("#sha256=")
                .append(f.content.sha256()).append('"');
            if (f.requiresPython != null) {
                html.append(" data-requires-python=\"").append(escape(f.requiresPython)).append('"');
            }
            html.append(">").append(escape(f.filename)).append("</a><br />\n");
        }
        html.append("  </body>\n</html>\n<!--SERIAL ").append(serial).append("-->");
        return new Page(200, type + "; charset=utf-8", html.toString().getBytes(StandardCharsets.UTF_8));
    }

    Page root(Collection<String> projects, String type) {
        if (type.equals(V1_JSON)) {
            ObjectNode json = FakeGitHubJson.MAPPER.createObjectNode();
            json.putObject("meta").put("api-version", "1.1");
            ArrayNode list = json.putArray("projects");
            projects.forEach(p -> list.addObject().put("name", p));
            return new Page(200, V1_JSON, FakeGitHubJson.bytes(json));
        }
        StringBuilder html = new StringBuilder("<!DOCTYPE html>\n<html>\n  <head>\n"
            + "    <meta name=\"pypi:repository-version\" content=\"1.1\">\n    <title>Simple index</title>\n"
            + "  </head>\n  <body>\n");
        projects.forEach(p -> html.append("    <a href=\"/simple/").append(escape(p)).append("/\">").append(escape(p))
            .append("</a>\n"));
        html.append("  </body>\n</html>");
        return new Page(200, type + "; charset=utf-8", html.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** {@code /pypi/<name>/<version>/json} when {@code version} is given, else {@code /pypi/<name>/json}. */
    Page jsonApi(List<StoredFile> files, String version, int serial) {
        Map<String, List<StoredFile>> releases = new LinkedHashMap<>();
        files.forEach(f -> releases.computeIfAbsent(f.version, v -> new ArrayList<>()).add(f));
        String shown = version != null ? version : releases.keySet().stream().reduce((a, b) -> b).orElse(null);
        List<StoredFile> current = releases.get(shown);
        if (current == null) {
            return new Page(404, "application/json", "{\"message\": \"Not Found\"}".getBytes(StandardCharsets.UTF_8));
        }
        StoredFile first = current.get(0);
        ObjectNode json = FakeGitHubJson.MAPPER.createObjectNode();
        ObjectNode info = json.putObject("info");
        info.put("name", first.displayName);
        info.put("version", shown);
        info.put("requires_python", first.requiresPython);
        info.put("package_url", base + "/project/" + first.project + "/");
        info.put("release_url", base + "/project/" + first.project + "/" + shown + "/");
        info.put("project_url", base + "/project/" + first.project + "/");
        info.put("yanked", false);
        info.putNull("yanked_reason");
        json.put("last_serial", serial);
        if (version == null) {
            ObjectNode all = json.putObject("releases");
            releases.forEach((v, list) -> urls(all.putArray(v), list));
        }
        urls(json.putArray("urls"), current);
        json.putArray("vulnerabilities");
        return new Page(200, "application/json", FakeGitHubJson.bytes(json));
    }

    private void urls(ArrayNode urls, List<StoredFile> files) {
        for (StoredFile f : files) {
            ObjectNode url = urls.addObject();
            url.put("filename", f.filename);
            url.put("packagetype", f.packagetype);
            url.put("python_version", f.pythonVersion);
            url.put("requires_python", f.requiresPython);
            ObjectNode digests = url.putObject("digests");
            digests.put("blake2b_256", f.content.blake2b256());
            digests.put("md5", f.content.md5());
            digests.put("sha256", f.content.sha256());
            url.put("md5_digest", f.content.md5());
            url.put("size", f.content.size());
            url.put("url", fileUrl(f.filename));
            url.put("upload_time", f.uploadedAt.toString().replaceAll("(\\.\\d+)?Z$", ""));
            url.put("upload_time_iso_8601", f.uploadedAt.toString());
            url.put("has_sig", false);
            url.put("comment_text", "");
            url.put("yanked", false);
            url.putNull("yanked_reason");
        }
    }

    String fileUrl(String filename) {
        return base + "/files/" + filename;
    }

    /**
     * A Pyramid HTTPException body as Warehouse sends it: the message is both the reason phrase (which the JDK server
     * cannot set, so it is always the standard one here) and the detail in the body. HTML unless the client prefers
     * JSON or plain text; {@code plain} forces the bare message, as a private index sends.
     */
    static Page error(int status, String message, String accept, boolean plain) {
        String title = switch (status) {
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 409 -> "Conflict";
            case 429 -> "Too Many Requests";
            case 503 -> "Service Unavailable";
            default -> status >= 500 ? "Internal Server Error" : "Error";
        };
        String explanation = switch (status) {
            case 400 -> "The server could not comply with the request since it is either malformed or otherwise"
                + " incorrect.";
            case 403 -> "Access was denied to this resource.";
            case 404 -> "The resource could not be found.";
            case 409 -> "There was a conflict when trying to complete your request.";
            default -> "";
        };
        String detail = message == null ? "" : message;
        if (plain) {
            return new Page(status, "text/plain; charset=utf-8", (detail.isEmpty() ? title : detail)
                .getBytes(StandardCharsets.UTF_8));
        }
        String line = status + " " + (message == null ? title : message);
        double html = quality(accept, "text/html");
        double json = quality(accept, "application/json");
        if (html > 0 && html >= json) {
            String body = "<html>\n <head>\n  <title>" + escape(line) + "</title>\n </head>\n <body>\n  <h1>"
                + escape(line) + "</h1>\n  " + escape(explanation) + "<br/><br/>\n" + escape(detail) + "\n\n"
                + " </body>\n</html>";
            return new Page(status, "text/html; charset=UTF-8", body.getBytes(StandardCharsets.UTF_8));
        }
        if (json > 0) {
            ObjectNode body = FakeGitHubJson.MAPPER.createObjectNode();
            body.put("message", explanation + "\n\n" + detail);
            body.put("code", line);
            body.put("title", title);
            return new Page(status, "application/json", FakeGitHubJson.bytes(body));
        }
        return new Page(status, "text/plain; charset=UTF-8", (line + "\n\n" + explanation + "\n\n\n" + detail + "\n\n")
            .getBytes(StandardCharsets.UTF_8));
    }

    static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;")
            .replace("'", "&#x27;");
    }
}
