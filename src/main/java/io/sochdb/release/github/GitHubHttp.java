package io.sochdb.release.github;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.hc.client5.http.classic.methods.HttpUriRequestBase;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.util.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.sochdb.release.http.Backoff;
import io.sochdb.release.http.LazyHttpClient;

/**
 * The transport under {@link GitHubClient}: GitHub's headers, the token, retries with backoff and jitter for
 * connection errors and 5xx, waits for rate limits, and conditional GETs. Redirects are never followed here,
 * so that a storage host never sees the token.
 */
final class GitHubHttp implements AutoCloseable {

    /** One HTTP answer with its body read; API bodies are small JSON documents. */
    record Reply(int status, Map<String, String> headers, String body) {
        String header(String name) {
            return headers.get(name.toLowerCase(java.util.Locale.ROOT));
        }
    }

    /** Reads a streamed response body (a download) instead of buffering it. */
    @FunctionalInterface
    interface BodySink {
        void accept(InputStream body) throws IOException;
    }

    @FunctionalInterface
    interface Sleeper {
        void sleep(Duration duration) throws InterruptedException;
    }

    private static final Logger LOG = LoggerFactory.getLogger(GitHubHttp.class);
    private record Cached(String etag, Reply reply) {
    }

    private final GitHubSettings settings;
    private final LazyHttpClient http;
    private final Sleeper sleeper;
    private final Map<String, Cached> etags = new ConcurrentHashMap<>();

    GitHubHttp(GitHubSettings settings, Sleeper sleeper) {
        this.settings = settings;
        this.http = new LazyHttpClient(() -> newClient(settings));
        this.sleeper = sleeper;
    }

    private static CloseableHttpClient newClient(GitHubSettings settings) {
        return HttpClients.custom()
                .disableRedirectHandling()
                .disableAutomaticRetries()
                .disableCookieManagement()
                .setUserAgent(settings.userAgent())
                .setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
                        .setMaxConnTotal(16).setMaxConnPerRoute(8)
                        .setDefaultConnectionConfig(ConnectionConfig.custom()
                                .setConnectTimeout(Timeout.ofSeconds(30))
                                .setSocketTimeout(Timeout.ofMinutes(5)).build())
                        .build())
                .setDefaultRequestConfig(RequestConfig.custom().setResponseTimeout(Timeout.ofMinutes(5)).build())
                .build();
    }

    /** A request to the API or upload host: GitHub's headers and, when configured, the token. */
    Reply send(String description, java.util.function.Supplier<HttpUriRequestBase> request, boolean conditional) {
        return retrying(description, () -> {
            HttpUriRequestBase req = request.get();
            authorize(req, "application/vnd.github+json");
            String key = req.getMethod() + " " + req.getRequestUri();
            Cached cached = conditional ? etags.get(key) : null;
            if (cached != null) {
                req.setHeader("If-None-Match", cached.etag());
            }
            return http.get().execute(req, response -> {
                Reply reply = read(response);
                if (reply.status() == 304 && cached != null) {
                    return cached.reply();
                }
                if (conditional && reply.status() == 200 && reply.header("etag") != null) {
                    etags.put(key, new Cached(reply.header("etag"), reply));
                }
                return reply;
            });
        });
    }

    /**
     * Downloads through the API: GitHub answers 302 to a storage host, which is asked without the token
     * (it answers 400 to one), and the body is streamed to {@code sink}.
     */
    void download(String description, URI apiUri, BodySink sink) {
        Reply redirect = retrying(description, () -> {
            HttpUriRequestBase req = new HttpUriRequestBase("GET", apiUri);
            authorize(req, "application/octet-stream");
            return http.get().execute(req, response -> {
                if (response.getCode() == 200) {
                    consume(response, sink);
                    return new Reply(200, Map.of(), "");
                }
                return read(response);
            });
        });
        if (redirect.status() == 200) {
            return;
        }
        if (redirect.status() != 302 && redirect.status() != 301 && redirect.status() != 307) {
            throw GitHubErrors.of(redirect, description);
        }
        URI location = apiUri.resolve(redirect.header("location"));
        Reply stored = retrying(description + " from storage", () -> {
            HttpUriRequestBase req = new HttpUriRequestBase("GET", location);
            req.setHeader("Accept", "application/octet-stream");
            return http.get().execute(req, response -> {
                if (response.getCode() == 200) {
                    consume(response, sink);
                    return new Reply(200, Map.of(), "");
                }
                return read(response);
            });
        });
        if (stored.status() != 200) {
            throw new GitHubException(stored.status(), description + ": the storage host answered " + stored.status());
        }
    }

    private void authorize(HttpUriRequestBase req, String accept) {
        req.setHeader("Accept", accept);
        req.setHeader("X-GitHub-Api-Version", "2022-11-28");
        if (settings.token() != null) {
            req.setHeader("Authorization", "Bearer " + settings.token());
        }
    }

    @FunctionalInterface
    private interface Attempt {
        Reply run() throws IOException;
    }

    private Reply retrying(String description, Attempt attempt) {
        Backoff backoff = new Backoff(settings.initialBackoff(), settings.maxBackoff());
        for (int tries = 1; ; tries++) {
            Reply reply;
            try {
                reply = attempt.run();
            } catch (IOException e) {
                if (tries >= settings.maxAttempts()) {
                    throw new GitHubException(0, description + " failed after " + tries + " attempts: "
                            + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()));
                }
                LOG.warn("{}: {} (attempt {} of {}), retrying", description, e.getClass().getSimpleName(), tries,
                        settings.maxAttempts());
                pause(backoff.next());
                continue;
            }
            Duration rateLimitWait = rateLimitWait(reply);
            if (rateLimitWait != null) {
                if (rateLimitWait.compareTo(settings.maxRateLimitWait()) > 0 || tries >= settings.maxAttempts() + 2) {
                    throw new GitHubException(reply.status(), description + ": GitHub rate limit; it resets in "
                            + rateLimitWait.toSeconds() + " s, more than the configured wait of "
                            + settings.maxRateLimitWait().toSeconds() + " s");
                }
                LOG.warn("{}: rate limited, waiting {} s as GitHub asks", description, rateLimitWait.toSeconds());
                pause(rateLimitWait);
                continue;
            }
            if (reply.status() >= 500 && tries < settings.maxAttempts()) {
                LOG.warn("{}: GitHub answered {} (attempt {} of {}), retrying", description, reply.status(), tries,
                        settings.maxAttempts());
                pause(backoff.next());
                continue;
            }
            if (reply.status() >= 500) {
                throw new GitHubException(reply.status(), description + " failed after " + tries + " attempts: GitHub answered "
                        + reply.status() + " (" + GitHubErrors.detail(reply.body()) + ")");
            }
            return reply;
        }
    }

    /** 403/429 with Retry-After, or with no requests remaining until x-ratelimit-reset; null when not a rate limit. */
    private static Duration rateLimitWait(Reply reply) {
        if (reply.status() != 403 && reply.status() != 429) {
            return null;
        }
        String retryAfter = reply.header("retry-after");
        if (retryAfter != null && retryAfter.strip().matches("\\d+")) {
            return Duration.ofSeconds(Long.parseLong(retryAfter.strip()));
        }
        String reset = reply.header("x-ratelimit-reset");
        if ("0".equals(reply.header("x-ratelimit-remaining")) && reset != null && reset.strip().matches("\\d+")) {
            long seconds = Long.parseLong(reset.strip()) - Instant.now().getEpochSecond() + 1;
            return Duration.ofSeconds(Math.max(1, seconds));
        }
        return reply.status() == 429 ? Duration.ofSeconds(60) : null;
    }

    private void pause(Duration duration) {
        try {
            sleeper.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new GitHubException(0, "interrupted while waiting to retry a GitHub request");
        }
    }

    private static Reply read(ClassicHttpResponse response) throws IOException {
        Map<String, String> headers = new java.util.HashMap<>();
        for (Header header : response.getHeaders()) {
            headers.putIfAbsent(header.getName().toLowerCase(java.util.Locale.ROOT), header.getValue());
        }
        HttpEntity entity = response.getEntity();
        String body = entity == null ? "" : new String(EntityUtils.toByteArray(entity), StandardCharsets.UTF_8);
        return new Reply(response.getCode(), Map.copyOf(headers), body);
    }

    private static void consume(ClassicHttpResponse response, BodySink sink) throws IOException {
        HttpEntity entity = response.getEntity();
        try (InputStream in = entity.getContent()) {
            sink.accept(in);
        }
    }

    /** Streams a body to a file; used by callers as a {@link BodySink}. */
    static BodySink toFile(Path file) {
        return in -> {
            try (OutputStream out = Files.newOutputStream(file)) {
                in.transferTo(out);
            }
        };
    }

    @Override
    public void close() throws IOException {
        http.close();
    }
}
