package io.sochdb.release.retry;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The one backoff shape of every retry and poll loop: the wait doubles from {@code initialDelay} up to
 * {@code maxDelay}. A retry's wait is drawn from half to all of its step, so that replicas retrying the same outage
 * spread out instead of arriving together; a poll (waiting for something to appear on its own schedule) waits the
 * step itself, so its waits add up to its deadline exactly.
 *
 * @param maxAttempts tries in all, the first included; a poll loop bounded by a deadline instead uses
 *                    {@link Integer#MAX_VALUE}
 */
public record RetryPolicy(int maxAttempts, Duration initialDelay, Duration maxDelay, boolean jittered) {

    public RetryPolicy {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1, not " + maxAttempts);
        }
        if (initialDelay.isNegative() || maxDelay.compareTo(initialDelay) < 0) {
            throw new IllegalArgumentException("delays must satisfy 0 <= initial (" + initialDelay + ") <= max ("
                    + maxDelay + ")");
        }
    }

    /** A retry policy: jittered waits. */
    public RetryPolicy(int maxAttempts, Duration initialDelay, Duration maxDelay) {
        this(maxAttempts, initialDelay, maxDelay, true);
    }

    /** Unbounded looks without jitter: the loop ends on its deadline or its own condition. */
    public static RetryPolicy polling(Duration initialDelay, Duration maxDelay) {
        return new RetryPolicy(Integer.MAX_VALUE, initialDelay, maxDelay, false);
    }

    /** The wait after failed try number {@code attempt} (1 for the first). */
    public Duration delay(int attempt) {
        Duration step = step(attempt);
        if (!jittered) {
            return step;
        }
        long millis = step.toMillis();
        return Duration.ofMillis(millis / 2 + ThreadLocalRandom.current().nextLong(millis / 2 + 1));
    }

    /** The step before jitter: {@code initialDelay * 2^(attempt-1)}, at most {@code maxDelay}. */
    public Duration step(int attempt) {
        Duration step = initialDelay;
        for (int i = 1; i < attempt && step.compareTo(maxDelay) < 0; i++) {
            step = step.multipliedBy(2);
        }
        return step.compareTo(maxDelay) > 0 ? maxDelay : step;
    }

    public boolean exhausted(int attempt) {
        return attempt >= maxAttempts;
    }
}
