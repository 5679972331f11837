package io.sochdb.release.service;

/** The service is stopping: no new run starts, and the sender is told to try again later (503). */
public final class ShuttingDownException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public ShuttingDownException() {
        super("shutting down: no new release runs; retry later", null, false, false);
    }
}
