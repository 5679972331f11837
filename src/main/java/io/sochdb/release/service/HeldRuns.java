package io.sochdb.release.service;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.sochdb.release.run.ReleaseRun;
import io.sochdb.release.state.RunStore;

/**
 * The runs this replica holds a lease on, by run key: claimed and waiting in the run queue (no ReleaseRun yet), or
 * executing. Holding a run means renewing its lease in the store; a run whose renewal is refused was taken over by
 * another replica, and stops at its next step.
 */
final class HeldRuns {

    private static final Logger LOG = LoggerFactory.getLogger(HeldRuns.class);

    private final RunStore store;
    private final String owner;
    private final Duration lease;
    private final Map<String, Held> held = new ConcurrentHashMap<>();

    /** @param run null while the run waits in the queue */
    record Held(ReleaseRun run, int attempt) {
    }

    HeldRuns(RunStore store, String owner, Duration lease) {
        this.store = store;
        this.owner = owner;
        this.lease = lease;
    }

    void hold(String key, ReleaseRun run, int attempt) {
        held.put(key, new Held(run, attempt));
    }

    /** The attempt this replica holds for the run, or empty when it lost it (or never held that run). */
    Optional<Integer> attemptOf(String key, ReleaseRun run) {
        Held mine = held.get(key);
        return mine == null || mine.run() != run ? Optional.empty() : Optional.of(mine.attempt());
    }

    void letGo(String key) {
        held.remove(key);
    }

    /** Lets the lease go at once, so that another replica continues the run now rather than when it would expire. */
    void handOver(String key, int attempt, String why) {
        held.remove(key);
        try {
            store.handOver(key, owner, attempt);
            LOG.warn("Release {} is handed over to another replica: {}", key, why);
        } catch (RuntimeException e) {
            LOG.warn("Release {} could not be handed over ({}); its lease expires in {}", key, why, lease);
        }
    }

    /** Renews the lease of every run held here, queued or executing; a run whose lease was lost stops. */
    void renewLeases() {
        for (Map.Entry<String, Held> entry : held.entrySet()) {
            Held run = entry.getValue();
            try {
                long asked = System.currentTimeMillis();
                if (store.renew(entry.getKey(), owner, run.attempt(), lease)) {
                    if (run.run() != null) {
                        run.run().lease().ownedUntil(asked + lease.toMillis());
                    }
                } else {
                    if (run.run() != null) {
                        run.run().lease().abandon("another replica took release " + entry.getKey() + " over after this one "
                                + "missed its lease");
                    }
                    held.remove(entry.getKey());
                }
            } catch (RuntimeException e) {
                LOG.warn("Could not renew the lease of release {}: {}", entry.getKey(), e.getMessage());
            }
        }
    }

    Optional<ReleaseRun> live(String key) {
        Held run = held.get(key);
        return run == null ? Optional.empty() : Optional.ofNullable(run.run());
    }

    List<ReleaseRun> executing() {
        return new ArrayList<>(held.values().stream().map(Held::run).filter(Objects::nonNull).toList());
    }
}
