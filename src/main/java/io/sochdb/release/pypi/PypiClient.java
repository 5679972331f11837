package io.sochdb.release.pypi;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.hc.client5.http.classic.methods.HttpUriRequestBase;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.entity.mime.HttpMultipartMode;
import org.apache.hc.client5.http.entity.mime.MultipartEntityBuilder;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.http.io.entity.StringEntity;
import org.apache.hc.core5.util.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.sochdb.release.http.Backoff;
import io.sochdb.release.http.LazyHttpClient;

/**
 * Talks to a Python package index: legacy-API uploads (multipart, the file streamed from disk), what the index
 * lists for a version (JSON API, else the simple index as PEP 691 JSON or PEP 503 HTML), and the trusted
 * publishing token exchange. Redirects are never followed: an upload URL that redirects is misconfigured.
 */
public final class PypiClient implements AutoCloseable {

    /** An index answer with its body read; bodies are small text. */
    public record Reply(int status, String body, String location) {
    }

    private static final Logger LOG = LoggerFactory.getLogger(PypiClient.class);
    private static final Pattern ANCHOR = Pattern.compile("<a\\s[^>]*href=\"([^\"]*)\"[^>]*>([^<]*)</a>", Pattern.CASE_INSENSITIVE);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

    private final PypiSettings settings;
    private final LazyHttpClient http;

    public PypiClient(PypiSettings settings, String userAgent) {
        this.settings = settings;
        this.http = new LazyHttpClient(() -> newClient(userAgent));
    }

    private static CloseableHttpClient newClient(String userAgent) {
        return HttpClients.custom()
                .disableRedirectHandling()
                .disableAutomaticRetries()
                .disableCookieManagement()
                .setUserAgent(userAgent)
                .setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
                        .setDefaultConnectionConfig(ConnectionConfig.custom().setConnectTimeout(Timeout.ofSeconds(30))
                                .setSocketTimeout(Timeout.ofMinutes(10)).build())
                        .build())
                .build();
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
            HttpUriRequestBase post = new HttpUriRequestBase("POST", URI.create(settings.repositoryUrl()));
            post.setEntity(body.build());
            String basic = Base64.getEncoder().encodeToString(("__token__:" + password).getBytes(StandardCharsets.UTF_8));
            post.setHeader("Authorization", "Basic " + basic);
            return post;
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
            HttpUriRequestBase get = new HttpUriRequestBase("GET", URI.create(url));
            headers.forEach(get::setHeader);
            return get;
        });
    }

    public Reply postJson(String url, String json) {
        return retrying("POST " + URI.create(url).getPath(), () -> {
            HttpUriRequestBase post = new HttpUriRequestBase("POST", URI.create(url));
            post.setEntity(new StringEntity(json, ContentType.APPLICATION_JSON));
            return post;
        });
    }

    static JsonNode parse(String body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new PypiException(0, "the index sent a body that is not JSON");
        }
    }

    private static HttpUriRequestBase get(String url, String accept) {
        HttpUriRequestBase get = new HttpUriRequestBase("GET", URI.create(url));
        get.setHeader("Accept", accept);
        return get;
    }

    private Reply retrying(String description, java.util.function.Supplier<HttpUriRequestBase> request) {
        Backoff backoff = new Backoff(settings.initialBackoff(), MAX_BACKOFF);
        for (int attempt = 1; ; attempt++) {
            try {
                Reply reply = http.get().execute(request.get(), response -> new Reply(response.getCode(),
                        response.getEntity() == null ? "" : new String(EntityUtils.toByteArray(response.getEntity()),
                                StandardCharsets.UTF_8),
                        response.getFirstHeader("Location") == null ? null : response.getFirstHeader("Location").getValue()));
                if (reply.status() < 500 || attempt >= settings.maxAttempts()) {
                    return reply;
                }
                LOG.warn("{}: the index answered {} (attempt {} of {}), retrying", description, reply.status(), attempt,
                        settings.maxAttempts());
            } catch (IOException e) {
                if (attempt >= settings.maxAttempts()) {
                    throw new PypiException(0, description + " failed after " + attempt + " attempts: "
                            + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()));
                }
                LOG.warn("{}: {} (attempt {} of {}), retrying", description, e.getClass().getSimpleName(), attempt,
                        settings.maxAttempts());
            }
            sleep(backoff.next());
        }
    }

    private static void sleep(Duration wait) {
        try {
            Thread.sleep(wait.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PypiException(0, "interrupted while waiting to retry");
        }
    }

    @Override
    public void close() throws IOException {
        http.close();
    }
}
