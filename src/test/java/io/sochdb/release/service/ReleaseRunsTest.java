package io.sochdb.release.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.sochdb.release.failure.InvalidInputException;
import io.sochdb.release.state.QueuedRuns;
import io.sochdb.release.state.RunRecord;
import io.sochdb.release.state.RunStore;
import io.sochdb.release.state.StateDatabase;

/** Claims and the queue's first step, around a shutdown: after SIGTERM no run starts, and none is stranded. */
class ReleaseRunsTest {

    @TempDir
    Path tmp;
    private StateDatabase db;
    private final AtomicBoolean stopping = new AtomicBoolean();
    private ReleaseRuns runs;
    private RunStore store;

    @BeforeEach
    void open() {
        db = StateDatabase.open("", null, null, tmp.resolve("state"));
        store = new RunStore(db, Clock.systemUTC());
        runs = new ReleaseRuns(tmp.resolve("dist"), store, new QueuedRuns(db, Clock.systemUTC()), "replica-a",
                Duration.ofSeconds(30), run -> "{}", true, stopping::get);
    }

    @AfterEach
    void close() {
        db.close();
    }

    private static RunRequest manual(String version, boolean dryRun) {
        return new RunRequest(version, null, dryRun, RunRequest.Source.MANUAL, "manual trigger");
    }

    @Test
    void noRunIsClaimedOnceTheServiceIsStopping() {
        stopping.set(true);
        assertThatThrownBy(() -> runs.claims().claim(manual("1.0.0", false))).isInstanceOf(ShuttingDownException.class);
        assertThat(store.find("1.0.0")).isEmpty();
    }

    @Test
    void aRunStillQueuedWhenTheShutdownBeginsIsHandedOverInsteadOfStarted() {
        RunClaims.Start start = runs.claims().claim(manual("1.0.0", false));
        assertThat(start.outcome()).isEqualTo(RunClaims.Outcome.STARTED);
        stopping.set(true);

        Exchange exchange = new DefaultExchange(new DefaultCamelContext());
        exchange.getMessage().setBody(start);
        assertThat(runs.begin(exchange)).isNull();

        RunRecord record = store.find("1.0.0").orElseThrow();
        assertThat(record.running()).as("still to be done, by another replica").isTrue();
        assertThat(record.leaseExpires()).as("its lease let go at once").isLessThanOrEqualTo(System.currentTimeMillis());
        assertThat(runs.liveRuns()).isEmpty();
    }

    @Test
    void versionsAreCanonicalAndLocalVersionsRefused() {
        assertThat(runs.claims().claim(manual(" 1.0\n", true)).version()).isEqualTo("1.0");
        assertThat(store.find("1.0").orElseThrow().version()).isEqualTo("1.0");
        assertThatThrownBy(() -> runs.claims().claim(manual("1.5.0+local", false))).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("PyPI refuses local versions");
    }

    @Test
    void aProductionRunWaitsForARunningDryRunAndOnlyOnce() {
        runs.claims().claim(manual("2.0.0", true));
        RunClaims.Start first = runs.claims().claim(manual("2.0.0", false));
        RunClaims.Start second = runs.claims().claim(new RunRequest("2.0.0", null, false, RunRequest.Source.WEBHOOK, "webhook d"));

        assertThat(first.outcome()).isEqualTo(RunClaims.Outcome.QUEUED);
        assertThat(second.outcome()).isEqualTo(RunClaims.Outcome.QUEUED);
        assertThat(new QueuedRuns(db, Clock.systemUTC()).all()).hasSize(1);
        assertThat(runs.claims().claim(manual("2.0.0", true)).outcome()).as("another dry run is simply running")
                .isEqualTo(RunClaims.Outcome.ALREADY_RUNNING);
    }

    @Test
    void theRetryWaitDoublesWithEachAttempt() {
        RunKeeper keeper = new RunKeeper(runs, Clock.systemUTC(), RunKeeper.policy(5, Duration.ofSeconds(60)));
        assertThat(keeper.retryDelay(1)).isEqualTo(Duration.ofSeconds(60));
        assertThat(keeper.retryDelay(2)).isEqualTo(Duration.ofSeconds(120));
        assertThat(keeper.retryDelay(4)).isEqualTo(Duration.ofSeconds(480));
    }
}
