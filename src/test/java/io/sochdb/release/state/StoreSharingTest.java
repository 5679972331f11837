package io.sochdb.release.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import io.sochdb.release.fixtures.ManualClock;

/** Webhook deliveries, leader leases, the poller's memory, and the embedded store across a restart. */
class StoreSharingTest {

    @TempDir
    Path tmp;
    private final ManualClock clock = new ManualClock(Instant.parse("2026-12-01T12:00:00Z"));

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aDeliveryIsFirstOnlyOnceEvenWhenTwoReplicasGetItAtOnce(StoreKind kind) throws Exception {
        try (StateDatabase db = kind.open(tmp)) {
            DeliveryStore deliveries = new DeliveryStore(db, clock);
            ExecutorService pool = Executors.newFixedThreadPool(4);
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Boolean>> answers = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                answers.add(pool.submit(() -> {
                    go.await();
                    return deliveries.firstTime("72d3162e-cc78-11e3-81ab-4c9367dc0958");
                }));
            }
            go.countDown();
            int first = 0;
            for (Future<Boolean> answer : answers) {
                first += answer.get() ? 1 : 0;
            }
            pool.shutdown();

            assertThat(first).isEqualTo(1);
            deliveries.forget("72d3162e-cc78-11e3-81ab-4c9367dc0958");
            assertThat(deliveries.firstTime("72d3162e-cc78-11e3-81ab-4c9367dc0958")).as("forgotten").isTrue();
            assertThat(deliveries.firstTime(null)).as("no id, nothing to remember").isTrue();
            assertThat(deliveries.firstTime(null)).isTrue();
        }
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void aLeaseHasOneHolderUntilItExpiresOrIsGivenUp(StoreKind kind) {
        try (StateDatabase db = kind.open(tmp)) {
            LeaseStore leases = new LeaseStore(db, clock);
            Duration ttl = Duration.ofSeconds(15);

            assertThat(leases.acquire("leader:poller", "a", ttl)).isTrue();
            assertThat(leases.acquire("leader:poller", "b", ttl)).isFalse();
            assertThat(leases.acquire("leader:poller", "a", ttl)).as("renewal").isTrue();
            assertThat(leases.holder("leader:poller")).hasValue("a");

            clock.advance(Duration.ofSeconds(16));
            assertThat(leases.holder("leader:poller")).isEmpty();
            assertThat(leases.acquire("leader:poller", "b", ttl)).isTrue();
            assertThat(leases.acquire("leader:poller", "a", ttl)).as("a lost it").isFalse();

            leases.release("leader:poller", "b");
            assertThat(leases.acquire("leader:poller", "a", ttl)).isTrue();
        }
    }

    @ParameterizedTest
    @EnumSource(StoreKind.class)
    void thePollersMemoryIsShared(StoreKind kind) {
        try (StateDatabase db = kind.open(tmp)) {
            new PollerStore(db, clock).markSeen("v0.3.2");
            new PollerStore(db, clock).markSeen("v0.3.2");
            assertThat(new PollerStore(db, clock).seen()).containsExactly("v0.3.2");
        }
    }

    @Test
    void theEmbeddedStoreKeepsItsHistoryAcrossARestart() {
        Duration lease = Duration.ofSeconds(30);
        try (StateDatabase db = StoreKind.H2.open(tmp)) {
            RunStore runs = new RunStore(db, clock);
            runs.claim("0.3.2", new RunInput("0.3.2", "0.3.2", false, "webhook d-1"), "a", lease);
            runs.finish("0.3.2", "a", 1, RunRecord.SUCCEEDED, null, null, false,
                    new Progress("repo@abc", 1L, "{\"status\":\"succeeded\"}", List.of(), List.of()));
            new DeliveryStore(db, clock).firstTime("d-1");
        }
        try (StateDatabase db = StoreKind.H2.open(tmp)) {
            RunRecord run = new RunStore(db, clock).find("0.3.2").orElseThrow();
            assertThat(run.released()).isTrue();
            assertThat(run.document()).contains("succeeded");
            assertThat(new DeliveryStore(db, clock).firstTime("d-1")).isFalse();
        }
    }

    @Test
    void anUnreachableDatabaseIsNamedWithoutItsPassword() {
        assertThatThrownBy(() -> StateDatabase.open("jdbc:postgresql://127.0.0.1:1/nothing?connectTimeout=1",
                "someone", "s3cret-never-shown", tmp, Duration.ofSeconds(1)))
                .hasMessageContaining("jdbc:postgresql://127.0.0.1:1/nothing")
                .satisfies(e -> assertThat(e.toString()).doesNotContain("s3cret-never-shown"));
    }
}
