package io.sochdb.release.github;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import io.sochdb.release.http.HttpTransport;
import io.sochdb.release.http.HttpTransport.BodySink;
import io.sochdb.release.http.HttpTransport.Request;
import io.sochdb.release.http.HttpTransport.Response;
import io.sochdb.release.retry.Failures;
import io.sochdb.release.retry.Retry;
import io.sochdb.release.retry.RetryPolicy;
import io.sochdb.release.retry.ServerWaits;
import io.sochdb.release.retry.Sleeper;

/**
 * GitHub's protocol over the outbound transport: its headers, the token, retries of connection errors and 5xx,
 * waits for rate limits, and conditional GETs. Redirects are never followed by the transport, so a storage host
 * never sees the token.
 */
final class GitHubHttp implements AutoCloseable {

    private record Cached(String etag, Response reply) {
    }

    private final GitHubSettings settings;
    private final HttpTransport http;
    private final boolean ownsTransport;
    private final Retry retry;
    private final Map<String, Cached> etags = new ConcurrentHashMap<>();

    GitHubHttp(GitHubSettings settings, HttpTransport http, boolean ownsTransport, Clock clock, Sleeper sleeper) {
        this.settings = settings;
        this.http = http;
        this.ownsTransport = ownsTransport;
        this.retry = new Retry(new RetryPolicy(settings.maxAttempts(), settings.initialBackoff(), settings.maxBackoff()),
                clock, sleeper);
    }

    /** A request to the API or upload host: GitHub's headers and, when configured, the token. */
    Response send(String description, Supplier<Request> request, boolean conditional) {
        return retrying(description, () -> {
            Request req = authorize(request.get(), "application/vnd.github+json");
            String key = req.method() + " " + req.uri();
            Cached cached = conditional ? etags.get(key) : null;
            if (cached != null) {
                req = req.header("If-None-Match", cached.etag());
            }
            Response reply = http.send(req);
            if (reply.status() == 304 && cached != null) {
                return cached.reply();
            }
            if (conditional && reply.status() == 200 && reply.header("etag") != null) {
                etags.put(key, new Cached(reply.header("etag"), reply));
            }
            return reply;
        });
    }

    /**
     * Downloads through the API: GitHub answers 302 to a storage host, which is asked without the token
     * (it answers 400 to one), and the body is streamed to {@code sink}.
     */
    void download(String description, URI apiUri, BodySink sink) {
        Response redirect = retrying(description,
                () -> http.send(authorize(Request.get(apiUri), "application/octet-stream"), sink));
        if (redirect.status() == 200) {
            return;
        }
        if (redirect.status() != 302 && redirect.status() != 301 && redirect.status() != 307) {
            throw GitHubErrors.of(redirect, description);
        }
        URI location = apiUri.resolve(redirect.header("location"));
        Response stored = retrying(description + " from storage",
                () -> http.send(Request.get(location).header("Accept", "application/octet-stream")
                        .header("User-Agent", settings.userAgent()), sink));
        if (stored.status() != 200) {
            throw new GitHubException(stored.status(), description + ": the storage host answered " + stored.status());
        }
    }

    private Request authorize(Request req, String accept) {
        Request authorized = req.header("Accept", accept).header("X-GitHub-Api-Version", "2022-11-28")
                .header("User-Agent", settings.userAgent());
        return settings.token() == null ? authorized : authorized.header("Authorization", "Bearer " + settings.token());
    }

    @FunctionalInterface
    private interface Attempt {
        Response run() throws IOException;
    }

    private Response retrying(String description, Attempt attempt) {
        int maxAttempts = settings.maxAttempts();
        return retry.run(description, n -> {
            Response reply;
            try {
                reply = attempt.run();
            } catch (IOException e) {
                if (Failures.certificateProblem(e)) {
                    throw new GitHubException(0, description + ": TLS refused the server's certificate ("
                            + e.getMessage() + "); if a proxy or GitHub Enterprise signs with a private CA, name its PEM"
                            + " bundle in SSL_CERT_FILE", e);
                }
                if (n >= maxAttempts) {
                    throw new GitHubException(0, description + " failed after " + n + " attempts: "
                            + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()), e);
                }
                return Retry.again(e.getClass().getSimpleName());
            }
            Optional<Duration> rateLimitWait = rateLimitWait(reply);
            if (rateLimitWait.isPresent()) {
                Duration wait = rateLimitWait.get();
                if (wait.compareTo(settings.maxRateLimitWait()) > 0 || n >= maxAttempts + 2) {
                    throw new GitHubException(reply.status(), description + ": GitHub rate limit; it resets in "
                            + wait.toSeconds() + " s, more than the configured wait of "
                            + settings.maxRateLimitWait().toSeconds() + " s");
                }
                return Retry.againAfter("rate limited, waiting as GitHub asks", wait);
            }
            if (reply.status() >= 500 && n < maxAttempts) {
                return Retry.again("GitHub answered " + reply.status());
            }
            if (reply.status() >= 500) {
                throw new GitHubException(reply.status(), description + " failed after " + n + " attempts: GitHub answered "
                        + reply.status() + " (" + GitHubErrors.detail(reply.body()) + ")");
            }
            return Retry.done(reply);
        });
    }

    /** 403/429 with Retry-After, or with no requests remaining until x-ratelimit-reset; empty when not a rate limit. */
    private Optional<Duration> rateLimitWait(Response reply) {
        if (reply.status() != 403 && reply.status() != 429) {
            return Optional.empty();
        }
        Clock clock = retry.clock();
        Optional<Duration> asked = ServerWaits.retryAfter(reply.header("retry-after"), clock)
                .or(() -> ServerWaits.rateLimitReset(reply.header("x-ratelimit-remaining"), reply.header("x-ratelimit-reset"),
                        clock));
        if (asked.isPresent()) {
            return asked;
        }
        return reply.status() == 429 ? Optional.of(Duration.ofSeconds(60)) : Optional.empty();
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
        if (ownsTransport) {
            http.close();
        }
    }
}
