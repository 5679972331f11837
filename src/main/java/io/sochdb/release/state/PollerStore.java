package io.sochdb.release.state;

import java.time.Clock;
import java.util.HashSet;
import java.util.Set;

/**
 * Upstream tags the poller has dealt with (its baseline and the runs it started), kept in the store so that a new
 * leader or a restarted service carries on where the last poll stopped.
 */
public final class PollerStore {

    private final StateDatabase db;
    private final Clock clock;

    public PollerStore(StateDatabase db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    public Set<String> seen() {
        return new HashSet<>(db.query("SELECT tag FROM poller_seen", row -> row.getString(1)));
    }

    public void markSeen(String tag) {
        db.insertUnique("INSERT INTO poller_seen (tag, seen) VALUES (?, ?)", tag, clock.millis());
    }
}
