package io.sochdb.release.state;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/** Named leases with one owner each, for leader election: held while renewed, free once expired. */
public final class LeaseStore {

    private final StateDatabase db;
    private final Clock clock;

    public LeaseStore(StateDatabase db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    /** Takes the lease when it is free or expired, or renews it for its owner; false when another owner holds it. */
    public boolean acquire(String name, String owner, Duration duration) {
        long now = clock.millis();
        long until = now + duration.toMillis();
        if (db.update("UPDATE leases SET owner = ?, expires = ? WHERE name = ? AND (owner = ? OR expires <= ?)",
                owner, until, name, owner, now) == 1) {
            return true;
        }
        return db.insertUnique("INSERT INTO leases (name, owner, expires) VALUES (?, ?, ?)", name, owner, until);
    }

    /** Gives the lease up, so that another replica need not wait for it to expire. */
    public void release(String name, String owner) {
        db.update("DELETE FROM leases WHERE name = ? AND owner = ?", name, owner);
    }

    /** The owner of a live lease. */
    public Optional<String> holder(String name) {
        return db.query("SELECT owner FROM leases WHERE name = ? AND expires > ?", row -> row.getString(1), name,
                clock.millis()).stream().findFirst();
    }
}
