package io.sochdb.release.retry;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/** The waits a server asks for: {@code Retry-After} (seconds or an HTTP date) and GitHub's rate-limit reset. */
public final class ServerWaits {

    private ServerWaits() {
    }

    /** {@code Retry-After: 120} or {@code Retry-After: Wed, 21 Oct 2026 07:28:00 GMT}; empty when absent or bad. */
    public static Optional<Duration> retryAfter(String header, Clock clock) {
        if (header == null || header.isBlank()) {
            return Optional.empty();
        }
        String value = header.strip();
        if (value.matches("\\d{1,9}")) {
            return Optional.of(Duration.ofSeconds(Long.parseLong(value)));
        }
        try {
            Instant at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
            Duration wait = Duration.between(clock.instant(), at);
            return Optional.of(wait.isNegative() ? Duration.ZERO : wait);
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    /**
     * GitHub's primary rate limit: no request left ({@code x-ratelimit-remaining: 0}) until the epoch second in
     * {@code x-ratelimit-reset}; one second more, as the reset second itself may still be refused.
     */
    public static Optional<Duration> rateLimitReset(String remaining, String reset, Clock clock) {
        if (!"0".equals(remaining == null ? null : remaining.strip()) || reset == null || !reset.strip().matches("\\d{1,12}")) {
            return Optional.empty();
        }
        long seconds = Long.parseLong(reset.strip()) - clock.instant().getEpochSecond() + 1;
        return Optional.of(Duration.ofSeconds(Math.max(1, seconds)));
    }
}
