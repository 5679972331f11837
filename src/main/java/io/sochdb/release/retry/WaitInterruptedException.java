package io.sochdb.release.retry;

/** The thread was interrupted (shutdown, a cancelled run) while a loop waited to try again. */
public final class WaitInterruptedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public WaitInterruptedException(String what) {
        super("interrupted while waiting to " + what);
    }
}
