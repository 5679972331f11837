package io.sochdb.release.state;

import java.util.Map;

import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/** Readiness: a replica that cannot reach the state store cannot claim runs, so it takes no traffic. */
public final class StateStoreHealthCheck extends AbstractHealthCheck {

    private final StateDatabase db;

    public StateStoreHealthCheck(StateDatabase db) {
        super("sochdb-release", "state-store");
        this.db = db;
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        try {
            db.query("SELECT 1", row -> row.getInt(1));
            builder.up().detail("store", db.description());
        } catch (RuntimeException e) {
            builder.down().message(e.getMessage()).detail("store", db.description());
        }
    }
}
