package io.sochdb.release.run;

/**
 * Replica fencing for one run: in service mode a replica holds a run under a lease it keeps renewing, and one that
 * stalled past it, or saw another replica take the run over, must stop before its next step or remote write. A
 * production run and the dry run that policy runs before it share one lease, as they share one claim.
 */
public final class RunLease {

    private String abandoned;
    private long ownedUntil;

    /** Another replica owns the run now: it must stop before its next step. The first reason is kept. */
    public synchronized void abandon(String reason) {
        if (abandoned == null) {
            abandoned = reason;
        }
    }

    public synchronized String abandoned() {
        return abandoned;
    }

    /** Until when, in epoch millis, this replica's lease surely holds; 0 (the default) for a run that needs none. */
    public synchronized void ownedUntil(long epochMillis) {
        ownedUntil = epochMillis;
    }

    /**
     * Stops a run that another replica owns now. Called by the step guard and before each remote write, so that a
     * replica that stalled past its lease sends at most the request it was in the middle of.
     */
    public void requireOwned() {
        String reason;
        synchronized (this) {
            if (ownedUntil > 0 && System.currentTimeMillis() > ownedUntil) {
                // The lease was not renewed in time (the process stalled): another replica may hold the run already.
                abandon("this replica's lease on the run ran out before it could renew it");
            }
            reason = abandoned;
        }
        if (reason != null) {
            throw new RunAbandonedException(reason);
        }
    }
}
