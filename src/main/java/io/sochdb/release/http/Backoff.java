package io.sochdb.release.http;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Waits between retries of one request: doubling up to a cap, each wait drawn from half to all of the current
 * step, so that replicas retrying the same failure spread out instead of arriving together.
 */
public final class Backoff {

    private final Duration max;
    private Duration step;

    public Backoff(Duration initial, Duration max) {
        this.step = initial;
        this.max = max;
    }

    public Duration next() {
        long millis = step.toMillis();
        Duration wait = Duration.ofMillis(millis / 2 + ThreadLocalRandom.current().nextLong(millis / 2 + 1));
        Duration doubled = step.multipliedBy(2);
        step = doubled.compareTo(max) > 0 ? max : doubled;
        return wait;
    }
}
