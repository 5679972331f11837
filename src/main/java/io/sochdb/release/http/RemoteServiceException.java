package io.sochdb.release.http;

import io.sochdb.release.failure.ReleaseFailedException;
import io.sochdb.release.retry.Classified;

/**
 * A remote service answered with an error status, or gave no usable answer (status 0). The status decides whether the
 * failure passes by itself; the message says what to fix and never holds a token.
 */
public abstract class RemoteServiceException extends ReleaseFailedException implements Classified {

    private final int status;

    protected RemoteServiceException(int status, String message, Throwable cause) {
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
