package io.sochdb.release.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import io.sochdb.release.fixtures.ManualClock;
import io.sochdb.release.state.RunStore.Claim;
import io.sochdb.release.state.RunStore.Outcome;

/** Claims, leases, takeovers and records, the same on the embedded H2 and on PostgreSQL. */
class RunStoreTest {

    private static final Duration LEASE = Duration.ofSeconds(30);
    private static final RunInput PRODUCTION = new RunInput("0.3.2", "0.3.2", false, "webhook d-1");

    @TempDir
    Path tmp;
    private final ManualClock clock = new ManualClock(Instant.parse("2026-12-01T12:00:00Z"));
    private StateDatabase db;
    private RunStore store;

    private void open(StoreKind kind) {
        db = kind.open(tmp);
        store = new RunStore(db, clock);
    }

    @AfterEach
    void close() {
        if (db != null) {
            db.close();
        }
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void theFirstClaimWinsAndOthersSeeItRunningUntilItIsDone(StoreKind kind) {
        open(kind);
        Claim first = store.claim("0.3.2", PRODUCTION, "a", LEASE);
        Claim second = store.claim("0.3.2", PRODUCTION, "b", LEASE);

        assertThat(first.outcome()).isEqualTo(Outcome.CLAIMED);
        assertThat(first.record().attempt()).isEqualTo(1);
        assertThat(first.record().owner()).isEqualTo("a");
        assertThat(second.outcome()).isEqualTo(Outcome.RUNNING);
        assertThat(second.record().owner()).isEqualTo("a");

        assertThat(store.finish("0.3.2", "a", 1, RunRecord.SUCCEEDED, null, null, false, progress("{\"status\":\"succeeded\"}"))).isTrue();
        assertThat(store.claim("0.3.2", PRODUCTION, "b", LEASE).outcome()).as("released").isEqualTo(Outcome.DONE);
        RunRecord done = store.find("0.3.2").orElseThrow();
        assertThat(done.released()).isTrue();
        assertThat(done.leaseExpires()).isNull();
        assertThat(done.document()).isEqualTo("{\"status\":\"succeeded\"}");
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void ofManySimultaneousClaimsExactlyOneWins(StoreKind kind) throws Exception {
        open(kind);
        int contenders = 8;
        ExecutorService pool = Executors.newFixedThreadPool(contenders);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Claim>> claims = new ArrayList<>();
        for (int i = 0; i < contenders; i++) {
            String owner = "replica-" + i;
            Callable<Claim> claim = () -> {
                go.await();
                return store.claim("0.3.2", PRODUCTION, owner, LEASE);
            };
            claims.add(pool.submit(claim));
        }
        go.countDown();
        List<Outcome> outcomes = new ArrayList<>();
        for (Future<Claim> claim : claims) {
            outcomes.add(claim.get().outcome());
        }
        pool.shutdown();

        assertThat(outcomes).filteredOn(o -> o == Outcome.CLAIMED).hasSize(1);
        assertThat(outcomes).filteredOn(o -> o == Outcome.RUNNING).hasSize(contenders - 1);
        assertThat(store.all()).hasSize(1);
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void anExpiredLeaseIsTakenOverOnceAndFencesTheOldOwnerOut(StoreKind kind) {
        open(kind);
        store.claim("0.3.2", PRODUCTION, "a", LEASE);
        assertThat(store.record("0.3.2", "a", 1, progress("{}", step("resolve", "succeeded"), step("wheels", "running")),
                LEASE)).isTrue();
        assertThat(store.expired()).isEmpty();

        clock.advance(LEASE.plusSeconds(1));
        List<RunRecord> expired = store.expired();
        assertThat(expired).extracting(RunRecord::key).containsExactly("0.3.2");
        Claim byB = store.takeOver(expired.get(0), "b", LEASE).orElseThrow();
        // C saw the same expired record and comes second: nothing for it.
        assertThat(store.takeOver(expired.get(0), "c", LEASE)).isEmpty();

        assertThat(byB.outcome()).isEqualTo(Outcome.RESUMED);
        assertThat(byB.record().attempt()).isEqualTo(2);
        assertThat(byB.record().owner()).isEqualTo("b");
        assertThat(byB.previousSteps()).extracting(StepRecord::step, StepRecord::state)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("resolve", "succeeded"),
                        org.assertj.core.groups.Tuple.tuple("wheels", "running"));
        assertThat(byB.previousArtifacts()).extracting(ArtifactRecord::sha256).containsExactly("ab".repeat(32));
        // A wakes up: every write of attempt 1 changes nothing.
        assertThat(store.renew("0.3.2", "a", 1, LEASE)).isFalse();
        assertThat(store.record("0.3.2", "a", 1, progress("{\"late\":true}"), LEASE)).isFalse();
        assertThat(store.finish("0.3.2", "a", 1, RunRecord.FAILED, "wheels", "late", true, progress("{}"))).isFalse();
        RunRecord now = store.find("0.3.2").orElseThrow();
        assertThat(now.state()).isEqualTo(RunRecord.RUNNING);
        assertThat(now.document()).isEqualTo("{}");
        assertThat(store.steps("0.3.2")).hasSize(2);
        assertThat(store.renew("0.3.2", "b", 2, LEASE)).isTrue();
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aRunHandedOverAtShutdownCanBeTakenOverAtOnce(StoreKind kind) {
        open(kind);
        store.claim("0.3.2", PRODUCTION, "a", LEASE);
        assertThat(store.handOver("0.3.2", "b", 1)).as("only the owner hands over").isFalse();
        assertThat(store.expired()).isEmpty();

        assertThat(store.handOver("0.3.2", "a", 1)).isTrue();

        assertThat(store.expired()).extracting(RunRecord::key).containsExactly("0.3.2");
        assertThat(store.takeOver(store.expired().get(0), "b", LEASE)).isPresent();
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aTriggerForARunWhoseOwnerDiedResumesItWithItsOwnInputs(StoreKind kind) {
        open(kind);
        store.claim("0.3.2", PRODUCTION, "a", LEASE);
        clock.advance(LEASE.plusSeconds(1));

        Claim claim = store.claim("0.3.2", new RunInput("0.3.2", "0.3.2", true, "manual trigger"), "b", LEASE);

        assertThat(claim.outcome()).isEqualTo(Outcome.RESUMED);
        assertThat(claim.record().dryRun()).as("the interrupted production run continues").isFalse();
        assertThat(claim.record().trigger()).isEqualTo("webhook d-1");
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void onlyFailuresThatNeedNoPersonAreRetried(StoreKind kind) {
        open(kind);
        store.claim("0.3.2", PRODUCTION, "a", LEASE);
        store.finish("0.3.2", "a", 1, RunRecord.FAILED, "pypi", "PyPI answered 503", false, progress("{}"));
        store.claim("0.3.3", new RunInput("0.3.3", "0.3.3", false, "poller"), "a", LEASE);
        store.finish("0.3.3", "a", 1, RunRecord.FAILED, "github-draft", "GitHub rejected the token (401)", true,
                progress("{}"));

        assertThat(store.retryable(3)).extracting(RunRecord::key).containsExactly("0.3.2");
        Claim retry = store.retry(store.find("0.3.2").orElseThrow(), "b", LEASE).orElseThrow();
        assertThat(retry.outcome()).isEqualTo(Outcome.RESUMED);
        assertThat(retry.record().state()).isEqualTo(RunRecord.RUNNING);
        assertThat(retry.record().error()).isNull();
        assertThat(store.retryable(3)).isEmpty();
        // The failure that needs a person stays failed, with its reason, until a trigger starts it again.
        RunRecord stuck = store.find("0.3.3").orElseThrow();
        assertThat(stuck.state()).isEqualTo(RunRecord.FAILED);
        assertThat(stuck.needsPerson()).isTrue();
        assertThat(stuck.error()).contains("401");
        Claim again = store.claim("0.3.3", new RunInput("0.3.3", "0.3.3", false, "manual trigger"), "b", LEASE);
        assertThat(again.outcome()).isEqualTo(Outcome.CLAIMED);
        assertThat(again.record().attempt()).isEqualTo(2);
        assertThat(store.steps("0.3.3")).as("a fresh attempt starts a fresh record").isEmpty();
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void retriesStopAtTheAttemptLimit(StoreKind kind) {
        open(kind);
        store.claim("0.3.2", PRODUCTION, "a", LEASE);
        store.finish("0.3.2", "a", 1, RunRecord.FAILED, "pypi", "503", false, progress("{}"));
        store.retry(store.find("0.3.2").orElseThrow(), "a", LEASE).orElseThrow();
        store.finish("0.3.2", "a", 2, RunRecord.FAILED, "pypi", "503", false, progress("{}"));

        assertThat(store.retryable(2)).isEmpty();
        assertThat(store.retryable(3)).hasSize(1);
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void theRecordKeepsStepsArtifactsAndRemoteResults(StoreKind kind) {
        open(kind);
        store.claim("0.3.2", PRODUCTION, "a", LEASE);
        Progress progress = new Progress("sochdb/sochdb-python-sdk@0123abc", 987L, "{\"status\":\"running\"}",
                List.of(step("resolve", "succeeded"), step("github-draft", "succeeded")),
                List.of(new ArtifactRecord("sochdb_client-0.3.2.tar.gz", "sdist", null, 1234, "cd".repeat(32), "uploaded", 55L)));
        store.record("0.3.2", "a", 1, progress, LEASE);

        RunRecord record = store.find("0.3.2").orElseThrow();
        assertThat(record.sdkSource()).isEqualTo("sochdb/sochdb-python-sdk@0123abc");
        assertThat(record.githubReleaseId()).isEqualTo(987L);
        assertThat(store.artifacts("0.3.2")).containsExactly(new ArtifactRecord("sochdb_client-0.3.2.tar.gz", "sdist",
                null, 1234, "cd".repeat(32), "uploaded", 55L));
        assertThat(store.steps("0.3.2").get(0).started()).isEqualTo(Instant.parse("2026-12-01T12:00:00Z"));
    }

    private static StepRecord step(String name, String state) {
        return new StepRecord(name, state, name + " detail", Instant.parse("2026-12-01T12:00:00Z"), null);
    }

    private static Progress progress(String document, StepRecord... steps) {
        return new Progress(null, null, document, List.of(steps),
                List.of(new ArtifactRecord("SHA256SUMS", "checksums", null, 10, "ab".repeat(32), null, null)));
    }
}
