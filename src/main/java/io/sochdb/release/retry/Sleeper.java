package io.sochdb.release.retry;

import java.time.Duration;

/** How a loop waits; tests pass one that records the wait and moves their clock instead. */
@FunctionalInterface
public interface Sleeper {

    Sleeper SYSTEM = duration -> Thread.sleep(duration.toMillis());

    void sleep(Duration duration) throws InterruptedException;
}
