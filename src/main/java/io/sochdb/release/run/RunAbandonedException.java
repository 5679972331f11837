package io.sochdb.release.run;

/** This replica gave the run up to another one; the run carries on there, not here. */
public final class RunAbandonedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public RunAbandonedException(String reason) {
        super(reason);
    }
}
