package io.sochdb.release.github;

import java.time.Duration;

/**
 * How to reach GitHub and how patient to be with it.
 *
 * @param token            null for anonymous reads; never logged
 * @param maxAttempts      tries per request for connection errors and 5xx
 * @param initialBackoff   first wait between tries; it doubles, with jitter, up to {@code maxBackoff}
 * @param maxRateLimitWait longest wait for a rate limit to reset before giving up
 */
public record GitHubSettings(String apiUrl, String uploadUrl, String token, String userAgent, int maxAttempts,
        Duration initialBackoff, Duration maxBackoff, Duration maxRateLimitWait) {

    public GitHubSettings {
        apiUrl = trimSlash(apiUrl);
        uploadUrl = trimSlash(uploadUrl);
        token = token == null || token.isBlank() ? null : token.strip();
    }

    private static String trimSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    @Override
    public String toString() {
        return "GitHubSettings[apiUrl=" + apiUrl + ", uploadUrl=" + uploadUrl + ", token=" + (token == null ? "none" : "***") + "]";
    }
}
