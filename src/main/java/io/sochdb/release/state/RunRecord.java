package io.sochdb.release.state;

import java.time.Instant;

/**
 * One run as the state store holds it: its inputs, who owns it until when, and how it ended.
 *
 * @param key           the version, or {@code <version>-dry-run} for a dry run of a version already released
 * @param state         {@code running}, {@code succeeded} or {@code failed}
 * @param attempt       how many times the run was claimed; a takeover moves it on, which fences the old owner out
 * @param leaseExpires  epoch millis; a running run whose lease has passed is taken over by another replica
 * @param needsPerson   the failure needs a person (a token, a conflicting file): nothing retries it on its own
 * @param document      the status document (summary.json) as of the last recorded change
 */
public record RunRecord(String key, String version, String sochdbVersion, boolean dryRun, String trigger,
        String sdkSource, String state, int attempt, String owner, Long leaseExpires, Instant started,
        Instant finished, String failedStep, String error, boolean needsPerson, Long githubReleaseId, String document) {

    public static final String RUNNING = "running";
    public static final String SUCCEEDED = "succeeded";
    public static final String FAILED = "failed";

    public boolean running() {
        return RUNNING.equals(state);
    }

    public boolean released() {
        return SUCCEEDED.equals(state) && !dryRun;
    }

    public boolean leaseLive(long nowMillis) {
        return running() && leaseExpires != null && leaseExpires > nowMillis;
    }
}
