package io.sochdb.release.retry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.sochdb.release.fixtures.ManualClock;

/** The one loop: backoff with jitter for retries, exact steps for polls, server waits, deadlines; on a driven clock. */
class RetryTest {

    /** Moved only by the sleeper, so that every wait is exact and costs no time. */
    private final ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final List<Duration> waits = new ArrayList<>();
    private final Sleeper sleeper = d -> {
        waits.add(d);
        clock.advance(d);
    };

    @Test
    void retryWaitsDoubleUpToTheCapEachDrawnFromHalfToAllOfItsStep() {
        RetryPolicy policy = new RetryPolicy(8, Duration.ofMillis(1000), Duration.ofMillis(8000));
        Retry retry = new Retry(policy, clock, sleeper);
        String value = retry.run("read", n -> n < 7 ? Retry.again("503") : Retry.done("ok"));
        assertThat(value).isEqualTo("ok");
        long[] steps = {1000, 2000, 4000, 8000, 8000, 8000};
        assertThat(waits).hasSize(steps.length);
        for (int i = 0; i < steps.length; i++) {
            assertThat(waits.get(i).toMillis()).as("wait %d", i + 1).isBetween(steps[i] / 2, steps[i]);
        }
    }

    @Test
    void aServerWaitIsTakenAsAsked() {
        Retry retry = new Retry(new RetryPolicy(3, Duration.ofMillis(10), Duration.ofMillis(20)), clock, sleeper);
        retry.run("read", n -> n == 1 ? Retry.againAfter("429", Duration.ofSeconds(42)) : Retry.done(true));
        assertThat(waits).containsExactly(Duration.ofSeconds(42));
    }

    @Test
    void aPollWaitsExactStepsAndItsLastWaitEndsAtTheDeadline() {
        Retry polls = new Retry(RetryPolicy.polling(Duration.ofSeconds(10), Duration.ofSeconds(30)), clock, sleeper);
        Instant deadline = clock.instant().plus(Duration.ofSeconds(75));
        assertThatThrownBy(() -> polls.until("wait", deadline, n -> Retry.again("not yet"),
                () -> new IllegalStateException("gave up"))).hasMessage("gave up");
        assertThat(waits).containsExactly(Duration.ofSeconds(10), Duration.ofSeconds(20), Duration.ofSeconds(30),
                Duration.ofSeconds(15));
        assertThat(clock.instant()).isEqualTo(deadline);
    }

    @Test
    void anInterruptedWaitStopsTheLoopAndKeepsTheFlag() {
        Retry retry = new Retry(new RetryPolicy(3, Duration.ofMillis(10), Duration.ofMillis(20)), clock, d -> {
            throw new InterruptedException();
        });
        assertThatThrownBy(() -> retry.run("upload x", n -> Retry.again("502")))
                .isInstanceOf(WaitInterruptedException.class).hasMessageContaining("upload x");
        assertThat(Thread.interrupted()).isTrue();
    }

    @Test
    void serverWaitsReadSecondsDatesAndGitHubsReset() {
        assertThat(ServerWaits.retryAfter("120", clock)).contains(Duration.ofSeconds(120));
        assertThat(ServerWaits.retryAfter("Thu, 01 Jan 2026 00:01:30 GMT", clock)).contains(Duration.ofSeconds(90));
        assertThat(ServerWaits.retryAfter("soon", clock)).isEmpty();
        long reset = clock.instant().getEpochSecond() + 30;
        assertThat(ServerWaits.rateLimitReset("0", String.valueOf(reset), clock)).contains(Duration.ofSeconds(31));
        assertThat(ServerWaits.rateLimitReset("12", String.valueOf(reset), clock)).isEmpty();
    }

    @Test
    void aPolicyRefusesNonsense() {
        assertThatThrownBy(() -> new RetryPolicy(0, Duration.ZERO, Duration.ZERO)).hasMessageContaining("maxAttempts");
        assertThatThrownBy(() -> new RetryPolicy(3, Duration.ofSeconds(5), Duration.ofSeconds(1)))
                .hasMessageContaining("initial");
    }
}
