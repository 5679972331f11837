package io.sochdb.release.pypi;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.hc.client5.http.entity.mime.HttpMultipartMode;
import org.apache.hc.client5.http.entity.mime.MultipartEntityBuilder;
import org.apache.hc.core5.http.ContentType;

import io.sochdb.release.http.HttpTransport;
import io.sochdb.release.http.HttpTransport.Request;
import io.sochdb.release.http.HttpTransport.Response;
import io.sochdb.release.retry.Failures;
import io.sochdb.release.retry.Retry;
import io.sochdb.release.retry.RetryPolicy;
import io.sochdb.release.retry.ServerWaits;
import io.sochdb.release.retry.Sleeper;

/**
 * Talks to a Python package index: legacy-API uploads (multipart, the file streamed from disk), what the index
 * lists for a version (JSON API, else the simple index as PEP 691 JSON or PEP 503 HTML), and the trusted
 * publishing token exchange. Redirects are never followed: an upload URL that redirects is misconfigured.
 */
public final class PypiClient implements AutoCloseable {

    /** An index answer with its body read; bodies are small text. */
    public record Reply(int status, String body, String location) {
    }

    private static final Pattern ANCHOR = Pattern.compile("<a\\s[^>]*href=\"([^\"]*)\"[^>]*>([^<]*)</a>", Pattern.CASE_INSENSITIVE);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

    private final PypiSettings settings;
    private final String userAgent;
    private final HttpTransport http;
    private final boolean ownsTransport;
    private final Retry retry;

    /** A client on the application's outbound transport, which it does not close. */
    public PypiClient(PypiSettings settings, String userAgent, HttpTransport transport) {
        this(settings, userAgent, transport, false, Clock.systemUTC(), Sleeper.SYSTEM);
    }

    /** A client with a transport of its own (tools and tests), closed with it. */
    public PypiClient(PypiSettings settings, String userAgent) {
        this(settings, userAgent, HttpTransport.standalone(), true, Clock.systemUTC(), Sleeper.SYSTEM);
    }

    PypiClient(PypiSettings settings, String userAgent, HttpTransport transport, boolean ownsTransport, Clock clock,
            Sleeper sleeper) {
        this.settings = settings;
        this.userAgent = userAgent;
        this.http = transport;
        this.ownsTransport = ownsTransport;
        this.retry = new Retry(new RetryPolicy(settings.maxAttempts(), settings.initialBackoff(),
                MAX_BACKOFF.compareTo(settings.initialBackoff()) < 0 ? settings.initialBackoff() : MAX_BACKOFF), clock, sleeper);
    }

    /** The one policy of this index's requests, for the loops that poll it. */
    public Retry retry() {
        return retry;
    }

    public PypiSettings settings() {
        return settings;
    }

    /** One file upload; 5xx and connection errors are retried, any other answer is returned as it is. */
    public Reply upload(Path file, List<Map.Entry<String, String>> form, String password) {
        return retrying("upload " + file.getFileName(), () -> {
            // Without an explicit type the builder labels the request ISO-8859-1, though the fields are UTF-8.
            MultipartEntityBuilder body = MultipartEntityBuilder.create().setMode(HttpMultipartMode.EXTENDED)
                    .setContentType(ContentType.create("multipart/form-data")).setCharset(StandardCharsets.UTF_8);
            ContentType text = ContentType.TEXT_PLAIN.withCharset(StandardCharsets.UTF_8);
            for (Map.Entry<String, String> field : form) {
                body.addTextBody(field.getKey(), field.getValue(), text);
            }
            // A FileBody streams from disk: a 100 MB wheel never sits in memory.
            body.addBinaryBody("content", file.toFile(), ContentType.APPLICATION_OCTET_STREAM, file.getFileName().toString());
            String basic = Base64.getEncoder().encodeToString(("__token__:" + password).getBytes(StandardCharsets.UTF_8));
            return new Request("POST", URI.create(settings.repositoryUrl()), Map.of("Authorization", "Basic " + basic),
                    null, body.build());
        });
    }

    /** File name to sha256 of what the index lists for a version; empty when it lists nothing. */
    public Map<String, String> published(String normalizedName, String version) {
        Reply json = retrying("read " + normalizedName + " " + version + " from the index",
                () -> get(settings.indexUrl() + "/pypi/" + normalizedName + "/" + version + "/json", "application/json"));
        if (json.status() == 200) {
            Map<String, String> files = new LinkedHashMap<>();
            for (JsonNode url : parse(json.body()).path("urls")) {
                files.put(url.path("filename").asText(), url.path("digests").path("sha256").asText(null));
            }
            return files;
        }
        // Private indexes have no JSON API; the simple index is the one thing every index serves.
        String prefix = normalizedName + "-";
        String wheelPrefix = normalizedName.replace('-', '_') + "-" + version;
        Map<String, String> files = new LinkedHashMap<>();
        simple(normalizedName).forEach((name, sha) -> {
            String lower = name.toLowerCase(java.util.Locale.ROOT);
            if (lower.startsWith(wheelPrefix + "-") || lower.startsWith(wheelPrefix + ".")
                    || lower.equals(prefix + version + ".tar.gz")) {
                files.put(name, sha);
            }
        });
        return files;
    }

    /** Every file of the project in the simple index, with its sha256 (PEP 691 JSON when offered, else PEP 503). */
    public Map<String, String> simple(String normalizedName) {
        Reply reply = retrying("read the simple index of " + normalizedName,
                () -> get(settings.indexUrl() + "/simple/" + normalizedName + "/",
                        "application/vnd.pypi.simple.v1+json, text/html;q=0.1"));
        Map<String, String> files = new LinkedHashMap<>();
        if (reply.status() == 404) {
            return files;
        }
        if (reply.status() != 200) {
            throw new PypiException(reply.status(), "the simple index of " + normalizedName + " answered " + reply.status());
        }
        if (reply.body().stripLeading().startsWith("{")) {
            for (JsonNode file : parse(reply.body()).path("files")) {
                files.put(file.path("filename").asText(), file.path("hashes").path("sha256").asText(null));
            }
            return files;
        }
        Matcher anchor = ANCHOR.matcher(reply.body());
        while (anchor.find()) {
            String href = anchor.group(1);
            int hash = href.indexOf("#sha256=");
            files.put(anchor.group(2).strip(), hash < 0 ? null : href.substring(hash + "#sha256=".length()));
        }
        return files;
    }

    /** A plain GET with extra headers, for the OIDC token sources. */
    public Reply get(String url, Map<String, String> headers) {
        return retrying("GET " + URI.create(url).getHost(), () -> {
            Request get = Request.get(URI.create(url));
            for (Map.Entry<String, String> header : headers.entrySet()) {
                get = get.header(header.getKey(), header.getValue());
            }
            return get;
        });
    }

    public Reply postJson(String url, String json) {
        return retrying("POST " + URI.create(url).getPath(), () -> {
            return new Request("POST", URI.create(url), Map.of(), "application/json; charset=UTF-8", json);
        });
    }

    static JsonNode parse(String body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new PypiException(0, "the index sent a body that is not JSON");
        }
    }

    private static Request get(String url, String accept) {
        return Request.get(URI.create(url)).header("Accept", accept);
    }

    private Reply retrying(String description, java.util.function.Supplier<Request> request) {
        return retry.run(description, attempt -> {
            Response response;
            try {
                response = http.send(request.get().header("User-Agent", userAgent));
            } catch (IOException e) {
                if (Failures.certificateProblem(e)) {
                    throw new PypiException(0, description + ": TLS refused the index's certificate (" + e.getMessage()
                            + "); if a proxy or a private index signs with a private CA, name its PEM bundle in "
                            + "SSL_CERT_FILE", e);
                }
                if (retry.policy().exhausted(attempt)) {
                    throw new PypiException(0, description + " failed after " + attempt + " attempts: "
                            + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()), e);
                }
                return Retry.again(e.getClass().getSimpleName());
            }
            Reply reply = new Reply(response.status(), response.body(), response.header("location"));
            boolean busy = reply.status() >= 500 || reply.status() == 429;
            if (!busy || retry.policy().exhausted(attempt)) {
                return Retry.done(reply);
            }
            return ServerWaits.retryAfter(response.header("retry-after"), retry.clock())
                    .<Retry.Outcome<Reply>>map(wait -> Retry.againAfter("the index answered " + reply.status(), wait))
                    .orElseGet(() -> Retry.again("the index answered " + reply.status()));
        });
    }

    @Override
    public void close() throws IOException {
        if (ownsTransport) {
            http.close();
        }
    }
}
