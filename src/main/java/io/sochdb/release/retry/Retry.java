package io.sochdb.release.retry;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The loop under every transport retry and poll: it runs an attempt, and while the attempt asks to go again it
 * waits (the server's wait when the answer named one, else the policy's backoff, never past a deadline) and tries
 * once more. What counts as worth another try stays with the caller, who knows the protocol; how and how long to
 * wait lives here only.
 */
public final class Retry {

    /** What one attempt came to. */
    public sealed interface Outcome<T> {
    }

    /** Finished; the loop returns the value. */
    public record Done<T>(T value) implements Outcome<T> {
    }

    /**
     * Worth another try, after {@code serverWait} when the server named one (null: the policy's backoff);
     * {@code reason} goes to the log.
     */
    public record Again<T>(String reason, Duration serverWait) implements Outcome<T> {
    }

    /** One try; {@code attempt} counts from 1, so the attempt can decide when it has had enough. */
    @FunctionalInterface
    public interface Attempt<T> {
        Outcome<T> run(int attempt);
    }

    private static final Logger LOG = LoggerFactory.getLogger(Retry.class);

    private final RetryPolicy policy;
    private final Clock clock;
    private final Sleeper sleeper;

    public Retry(RetryPolicy policy, Clock clock, Sleeper sleeper) {
        this.policy = policy;
        this.clock = clock;
        this.sleeper = sleeper;
    }

    public static <T> Outcome<T> done(T value) {
        return new Done<>(value);
    }

    public static <T> Outcome<T> again(String reason) {
        return new Again<>(reason, null);
    }

    public static <T> Outcome<T> againAfter(String reason, Duration serverWait) {
        return new Again<>(reason, serverWait);
    }

    public RetryPolicy policy() {
        return policy;
    }

    public Clock clock() {
        return clock;
    }

    /**
     * Tries until the attempt is done or throws. The attempt itself stops the loop (by throwing) once
     * {@link RetryPolicy#exhausted} says so, since only it can word the failure.
     */
    public <T> T run(String what, Attempt<T> attempt) {
        for (int n = 1; ; n++) {
            Outcome<T> outcome = attempt.run(n);
            if (outcome instanceof Done<T> done) {
                return done.value();
            }
            Again<T> again = (Again<T>) outcome;
            Duration wait = again.serverWait() != null ? again.serverWait() : policy.delay(n);
            LOG.warn("{}: {} (attempt {}), retrying in {}", what, again.reason(), n, describe(wait));
            pause(wait, what);
        }
    }

    /**
     * Looks until the attempt is done or {@code deadline} passes; then {@code timedOut} is thrown. The last wait is
     * cut short so that the final look happens at the deadline, not after it.
     */
    public <T> T until(String what, Instant deadline, Attempt<T> attempt, Supplier<? extends RuntimeException> timedOut) {
        for (int n = 1; ; n++) {
            Outcome<T> outcome = attempt.run(n);
            if (outcome instanceof Done<T> done) {
                return done.value();
            }
            Again<T> again = (Again<T>) outcome;
            Instant now = clock.instant();
            if (!now.isBefore(deadline) || policy.exhausted(n)) {
                throw timedOut.get();
            }
            Duration wait = again.serverWait() != null ? again.serverWait() : policy.delay(n);
            Duration left = Duration.between(now, deadline);
            if (wait.compareTo(left) > 0) {
                wait = left;
            }
            LOG.info("{}: {}; looking again in {}", what, again.reason(), describe(wait));
            pause(wait, what);
        }
    }

    /** One wait of this policy's kind, for loops driven elsewhere (a timer route) that only need the shape. */
    public void pause(Duration wait, String what) {
        try {
            sleeper.sleep(wait);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new WaitInterruptedException(what);
        }
    }

    private static String describe(Duration wait) {
        return wait.toMillis() < 10_000 ? wait.toMillis() + " ms" : wait.toSeconds() + " s";
    }
}
