package io.sochdb.release.service;

import java.io.IOException;
import java.io.UncheckedIOException;

import io.sochdb.release.github.GitHubException;
import io.sochdb.release.pypi.PypiException;
import io.sochdb.release.state.StateStoreException;

/**
 * Which failures wait for a person and which pass by themselves. A refused token, a conflicting file or bad input
 * will fail the same way again, so such a run stays failed until it is triggered again; an outage (connection
 * errors, 5xx and 429 after every retry) is tried again by the keeper. The same rule holds whatever started the
 * run, and through a dry run first: its failure is the cause of the release's.
 */
final class Failures {

    private Failures() {
    }

    static boolean needsPerson(Throwable failure) {
        if (failure == null) {
            return false;
        }
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            // A failure that gathers others (one per platform) passes only when every one of them does.
            Throwable[] gathered = t.getSuppressed();
            if (gathered.length > 0) {
                for (Throwable each : gathered) {
                    if (needsPerson(each)) {
                        return true;
                    }
                }
                return false;
            }
            if (t instanceof GitHubException e) {
                return !passing(e.status());
            }
            if (t instanceof PypiException e) {
                return !passing(e.status());
            }
            if (t instanceof IOException || t instanceof UncheckedIOException || t instanceof StateStoreException) {
                return false;
            }
        }
        return true;
    }

    private static boolean passing(int status) {
        return status == 0 || status == 429 || status >= 500;
    }
}
