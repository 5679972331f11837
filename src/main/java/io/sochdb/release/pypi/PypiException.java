package io.sochdb.release.pypi;

import io.sochdb.release.failure.ReleaseFailedException;
import io.sochdb.release.retry.Classified;

/** The index refused or could not be reached; the message says what to fix and never holds a token. */
public class PypiException extends ReleaseFailedException implements Classified {

    private final int status;

    public PypiException(int status, String message) {
        super(message);
        this.status = status;
    }

    public PypiException(int status, String message, Throwable cause) {
        super(message, cause);
        this.status = status;
    }

    public int status() {
        return status;
    }

    @Override
    public boolean passing() {
        return Classified.passingStatus(status);
    }
}
