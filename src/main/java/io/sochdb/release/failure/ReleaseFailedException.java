package io.sochdb.release.failure;

/** A release step failed for a reason that is not the caller's input; the summary names the step. */
public class ReleaseFailedException extends RuntimeException {

    public ReleaseFailedException(String message) {
        super(message);
    }

    public ReleaseFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
