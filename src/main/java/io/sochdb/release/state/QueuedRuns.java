package io.sochdb.release.state;

import java.time.Clock;
import java.util.List;

/**
 * Production runs waiting for a dry run of the same version to end. The dry run holds the version's row, so the
 * production trigger cannot claim it yet; it is kept here, in the store, so that neither a restart nor another
 * replica loses it, and the keeper claims it once the dry run is over.
 */
public final class QueuedRuns {

    /** One waiting production run. */
    public record Queued(String key, RunInput input) {
    }

    private final StateDatabase db;
    private final Clock clock;

    public QueuedRuns(StateDatabase db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    /** @return false when this version already waits (one production run per version is enough) */
    public boolean add(String key, RunInput input) {
        return db.insertUnique("INSERT INTO queued_runs (run_key, version, sochdb_version, trigger_source, queued) "
                + "VALUES (?, ?, ?, ?, ?)", key, input.version(), input.sochdbVersion(), input.trigger(), clock.millis());
    }

    public List<Queued> all() {
        return db.query("SELECT run_key, version, sochdb_version, trigger_source FROM queued_runs ORDER BY queued",
                row -> new Queued(row.getString(1), new RunInput(row.getString(2), row.getString(3), false,
                        row.getString(4))));
    }

    public void remove(String key) {
        db.update("DELETE FROM queued_runs WHERE run_key = ?", key);
    }
}
