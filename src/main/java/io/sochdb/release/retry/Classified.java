package io.sochdb.release.retry;

/** A failure that knows whether it passes by itself (an outage) or waits for a person (a refusal, a conflict). */
public interface Classified {

    boolean passing();

    /** The HTTP answers that pass: none at all (a connection error), 429 and 5xx. */
    static boolean passingStatus(int status) {
        return status == 0 || status == 429 || status >= 500;
    }
}
