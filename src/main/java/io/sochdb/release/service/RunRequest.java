package io.sochdb.release.service;

/**
 * What a trigger asks for, before it is checked.
 *
 * @param sochdbVersion the upstream version, or null for the same as {@code version}
 * @param trigger       recorded with the run, e.g. {@code webhook <delivery id>}
 */
public record RunRequest(String version, String sochdbVersion, boolean dryRun, Source source, String trigger) {

    /** Who asked; KEEPER: the service itself (a takeover, a retry, a run that waited for its dry run). */
    public enum Source { WEBHOOK, MANUAL, POLLER, KEEPER }
}
