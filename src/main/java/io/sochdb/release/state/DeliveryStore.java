package io.sochdb.release.state;

import java.time.Clock;
import java.util.regex.Pattern;

/**
 * GitHub webhook delivery ids already handled. The insert is the check: two replicas given the same delivery at
 * the same moment cannot both see it for the first time.
 */
public final class DeliveryStore {

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9-]{1,100}");

    private final StateDatabase db;
    private final Clock clock;

    public DeliveryStore(StateDatabase db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    /** Records the id; false when it was handled before. A missing or odd id is never remembered. */
    public boolean firstTime(String deliveryId) {
        if (deliveryId == null || !ID.matcher(deliveryId).matches()) {
            return true;
        }
        return db.insertUnique("INSERT INTO webhook_deliveries (delivery_id, received) VALUES (?, ?)", deliveryId,
                clock.millis());
    }

    public boolean handled(String deliveryId) {
        return deliveryId != null && !db.query("SELECT 1 FROM webhook_deliveries WHERE delivery_id = ?",
                row -> row.getInt(1), deliveryId).isEmpty();
    }

    /** Forgets a delivery whose run could not be started, so that GitHub's redelivery is taken. */
    public void forget(String deliveryId) {
        if (deliveryId != null) {
            db.update("DELETE FROM webhook_deliveries WHERE delivery_id = ?", deliveryId);
        }
    }
}
