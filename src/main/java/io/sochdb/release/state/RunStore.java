package io.sochdb.release.state;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.sochdb.release.state.StateDatabase.Statement;

/**
 * Release runs in the state store, claimed atomically. A run is owned by whoever inserted its row or moved its
 * {@code attempt} on, for as long as the owner renews its lease; every later write names the owner and the
 * attempt, so a replica that lost the run to a takeover can no longer change it. Only single-row conditional
 * statements decide ownership, which H2 and PostgreSQL execute atomically without table locks.
 */
public final class RunStore {

    public enum Outcome {
        /** A new attempt: nobody held the version, or its last run ended (failed, or a dry run). */
        CLAIMED,
        /** The previous owner's lease expired in the middle of the run: this replica continues it. */
        RESUMED,
        /** Another replica (or this one) holds a live lease on the run. */
        RUNNING,
        /** A production run of this version already succeeded. */
        DONE
    }

    /** @param record the row as it is after the claim (or as found, when not claimed) */
    public record Claim(Outcome outcome, RunRecord record, List<StepRecord> previousSteps,
            List<ArtifactRecord> previousArtifacts) {

        public boolean owned() {
            return outcome == Outcome.CLAIMED || outcome == Outcome.RESUMED;
        }
    }

    private static final String COLUMNS = "run_key, version, sochdb_version, dry_run, trigger_source, sdk_source, state, "
            + "attempt, owner, lease_expires, started, finished, failed_step, error, needs_person, github_release_id, document";

    private final StateDatabase db;
    private final Clock clock;

    public RunStore(StateDatabase db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    public Claim claim(String key, RunInput input, String owner, Duration lease) {
        for (int round = 0; round < 10; round++) {
            long now = clock.millis();
            if (db.insertUnique("INSERT INTO release_runs (run_key, version, sochdb_version, dry_run, trigger_source, "
                    + "state, attempt, owner, lease_expires, started) VALUES (?, ?, ?, ?, ?, 'running', 1, ?, ?, ?)",
                    key, input.version(), input.sochdbVersion(), input.dryRun(), input.trigger(), owner,
                    now + lease.toMillis(), now)) {
                return new Claim(Outcome.CLAIMED, find(key).orElseThrow(), List.of(), List.of());
            }
            RunRecord existing = find(key).orElse(null);
            if (existing == null) {
                continue;
            }
            if (existing.leaseLive(now)) {
                return new Claim(Outcome.RUNNING, existing, List.of(), List.of());
            }
            if (existing.released() && !input.dryRun()) {
                return new Claim(Outcome.DONE, existing, List.of(), List.of());
            }
            if (existing.running()) {
                Optional<Claim> taken = takeOver(existing, owner, lease);
                if (taken.isPresent()) {
                    return taken.get();
                }
                continue;
            }
            boolean fresh = db.transaction(List.of(
                    Statement.fenced("UPDATE release_runs SET version = ?, sochdb_version = ?, dry_run = ?, "
                            + "trigger_source = ?, sdk_source = NULL, state = 'running', attempt = attempt + 1, owner = ?, "
                            + "lease_expires = ?, started = ?, finished = NULL, failed_step = NULL, error = NULL, "
                            + "needs_person = FALSE, document = NULL WHERE run_key = ? AND attempt = ? AND state <> 'running'",
                            input.version(), input.sochdbVersion(), input.dryRun(), input.trigger(), owner,
                            now + lease.toMillis(), now, key, existing.attempt()),
                    Statement.of("DELETE FROM release_steps WHERE run_key = ?", key),
                    Statement.of("DELETE FROM release_artifacts WHERE run_key = ?", key)));
            if (fresh) {
                return new Claim(Outcome.CLAIMED, find(key).orElseThrow(), List.of(), List.of());
            }
        }
        throw new IllegalStateException("release state store: the claim of " + key + " kept changing under it");
    }

    /** Takes over a run whose owner stopped renewing its lease; empty when the lease is live or someone was first. */
    public Optional<Claim> takeOver(RunRecord expired, String owner, Duration lease) {
        long now = clock.millis();
        int changed = db.update("UPDATE release_runs SET owner = ?, lease_expires = ?, attempt = attempt + 1 "
                + "WHERE run_key = ? AND attempt = ? AND state = 'running' AND lease_expires <= ?",
                owner, now + lease.toMillis(), expired.key(), expired.attempt(), now);
        if (changed == 0) {
            return Optional.empty();
        }
        return Optional.of(new Claim(Outcome.RESUMED, find(expired.key()).orElseThrow(), steps(expired.key()),
                artifacts(expired.key())));
    }

    /** Failed runs that a person need not look at, attempted fewer than {@code maxAttempts} times. */
    public List<RunRecord> retryable(int maxAttempts) {
        return db.query("SELECT " + COLUMNS + " FROM release_runs WHERE state = 'failed' AND needs_person = FALSE "
                + "AND attempt < ?", RunStore::run, maxAttempts);
    }

    /** Claims a failed run again, keeping its inputs and record; empty when someone was first. */
    public Optional<Claim> retry(RunRecord failed, String owner, Duration lease) {
        long now = clock.millis();
        int changed = db.update("UPDATE release_runs SET state = 'running', owner = ?, lease_expires = ?, "
                + "attempt = attempt + 1, finished = NULL, failed_step = NULL, error = NULL "
                + "WHERE run_key = ? AND attempt = ? AND state = 'failed' AND needs_person = FALSE",
                owner, now + lease.toMillis(), failed.key(), failed.attempt());
        if (changed == 0) {
            return Optional.empty();
        }
        return Optional.of(new Claim(Outcome.RESUMED, find(failed.key()).orElseThrow(), steps(failed.key()),
                artifacts(failed.key())));
    }

    /** Running runs whose owner has not renewed its lease in time. */
    public List<RunRecord> expired() {
        return db.query("SELECT " + COLUMNS + " FROM release_runs WHERE state = 'running' AND lease_expires <= ?",
                RunStore::run, clock.millis());
    }

    /** @return false when this owner no longer holds the run */
    public boolean renew(String key, String owner, int attempt, Duration lease) {
        return db.update("UPDATE release_runs SET lease_expires = ? WHERE run_key = ? AND owner = ? AND attempt = ? "
                + "AND state = 'running'", clock.millis() + lease.toMillis(), key, owner, attempt) == 1;
    }

    /** Lets the lease go now, for another replica to take the run over at its next look; the run stays running. */
    public boolean handOver(String key, String owner, int attempt) {
        return db.update("UPDATE release_runs SET lease_expires = ? WHERE run_key = ? AND owner = ? AND attempt = ? "
                + "AND state = 'running'", clock.millis(), key, owner, attempt) == 1;
    }

    /** @return false, recording nothing, when this owner no longer holds the run */
    public boolean record(String key, String owner, int attempt, Progress progress, Duration lease) {
        List<Statement> statements = new ArrayList<>();
        statements.add(Statement.fenced("UPDATE release_runs SET sdk_source = COALESCE(?, sdk_source), "
                + "github_release_id = COALESCE(?, github_release_id), document = ?, lease_expires = ? "
                + "WHERE run_key = ? AND owner = ? AND attempt = ? AND state = 'running'",
                progress.sdkSource(), progress.githubReleaseId(), progress.document(),
                clock.millis() + lease.toMillis(), key, owner, attempt));
        addDetails(statements, key, progress);
        return db.transaction(statements);
    }

    /**
     * Ends the run: {@code succeeded} or {@code failed}, with the last progress.
     *
     * @return false, recording nothing, when this owner no longer holds the run
     */
    public boolean finish(String key, String owner, int attempt, String state, String failedStep, String error,
            boolean needsPerson, Progress progress) {
        List<Statement> statements = new ArrayList<>();
        statements.add(Statement.fenced("UPDATE release_runs SET state = ?, finished = ?, lease_expires = NULL, "
                + "failed_step = ?, error = ?, needs_person = ?, sdk_source = COALESCE(?, sdk_source), "
                + "github_release_id = COALESCE(?, github_release_id), document = ? "
                + "WHERE run_key = ? AND owner = ? AND attempt = ? AND state = 'running'",
                state, clock.millis(), failedStep, truncate(error, 4000), needsPerson, progress.sdkSource(),
                progress.githubReleaseId(), progress.document(), key, owner, attempt));
        addDetails(statements, key, progress);
        return db.transaction(statements);
    }

    public Optional<RunRecord> find(String key) {
        return db.query("SELECT " + COLUMNS + " FROM release_runs WHERE run_key = ?", RunStore::run, key).stream()
                .findFirst();
    }

    /** Every run, newest first. */
    public List<RunRecord> all() {
        return db.query("SELECT " + COLUMNS + " FROM release_runs ORDER BY started DESC, run_key", RunStore::run);
    }

    public List<StepRecord> steps(String key) {
        return db.query("SELECT step, state, detail, started, finished FROM release_steps WHERE run_key = ? "
                + "ORDER BY position", row -> new StepRecord(row.getString(1), row.getString(2), row.getString(3),
                instant(row, 4), instant(row, 5)), key);
    }

    public List<ArtifactRecord> artifacts(String key) {
        return db.query("SELECT name, kind, platform, size_bytes, sha256, pypi, github_asset_id FROM release_artifacts "
                + "WHERE run_key = ? ORDER BY name", row -> new ArtifactRecord(row.getString(1), row.getString(2),
                row.getString(3), row.getLong(4), row.getString(5), row.getString(6), longOrNull(row, 7)), key);
    }

    private static void addDetails(List<Statement> statements, String key, Progress progress) {
        statements.add(Statement.of("DELETE FROM release_steps WHERE run_key = ?", key));
        int position = 0;
        for (StepRecord step : progress.steps()) {
            statements.add(Statement.of("INSERT INTO release_steps (run_key, step, position, state, detail, started, "
                    + "finished) VALUES (?, ?, ?, ?, ?, ?, ?)", key, step.step(), position++, step.state(),
                    truncate(step.detail(), 4000), millis(step.started()), millis(step.finished())));
        }
        statements.add(Statement.of("DELETE FROM release_artifacts WHERE run_key = ?", key));
        for (ArtifactRecord a : progress.artifacts()) {
            statements.add(Statement.of("INSERT INTO release_artifacts (run_key, name, kind, platform, size_bytes, "
                    + "sha256, pypi, github_asset_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", key, a.name(), a.kind(),
                    a.platform(), a.size(), a.sha256(), a.pypi(), a.githubAssetId()));
        }
    }

    private static RunRecord run(ResultSet row) throws SQLException {
        return new RunRecord(row.getString("run_key"), row.getString("version"), row.getString("sochdb_version"),
                row.getBoolean("dry_run"), row.getString("trigger_source"), row.getString("sdk_source"),
                row.getString("state"), row.getInt("attempt"), row.getString("owner"), longOrNull(row, "lease_expires"),
                instant(row, "started"), instant(row, "finished"), row.getString("failed_step"), row.getString("error"),
                row.getBoolean("needs_person"), longOrNull(row, "github_release_id"), row.getString("document"));
    }

    private static Long longOrNull(ResultSet row, String column) throws SQLException {
        long value = row.getLong(column);
        return row.wasNull() ? null : value;
    }

    private static Long longOrNull(ResultSet row, int column) throws SQLException {
        long value = row.getLong(column);
        return row.wasNull() ? null : value;
    }

    private static Instant instant(ResultSet row, String column) throws SQLException {
        Long millis = longOrNull(row, column);
        return millis == null ? null : Instant.ofEpochMilli(millis);
    }

    private static Instant instant(ResultSet row, int column) throws SQLException {
        Long millis = longOrNull(row, column);
        return millis == null ? null : Instant.ofEpochMilli(millis);
    }

    private static Long millis(Instant instant) {
        return instant == null ? null : instant.toEpochMilli();
    }

    private static String truncate(String text, int max) {
        return text == null || text.length() <= max ? text : text.substring(0, max - 1) + "…";
    }
}
