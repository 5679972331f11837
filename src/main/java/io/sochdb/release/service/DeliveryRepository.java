package io.sochdb.release.service;

import org.apache.camel.spi.IdempotentRepository;
import org.apache.camel.support.service.ServiceSupport;

import io.sochdb.release.state.DeliveryStore;

/**
 * The webhook's idempotent consumer remembers GitHub delivery ids in the state store, so that a redelivery to any
 * replica, before or after a restart, starts nothing. The insert is the check: two replicas given the same delivery
 * at once cannot both see it first. A delivery whose handling failed is forgotten again (removeOnFailure), so that
 * GitHub's redelivery is taken.
 */
public final class DeliveryRepository extends ServiceSupport implements IdempotentRepository {

    private final DeliveryStore deliveries;

    public DeliveryRepository(DeliveryStore deliveries) {
        this.deliveries = deliveries;
    }

    @Override
    public boolean add(String key) {
        return deliveries.firstTime(key);
    }

    @Override
    public boolean contains(String key) {
        return deliveries.handled(key);
    }

    @Override
    public boolean remove(String key) {
        deliveries.forget(key);
        return true;
    }

    @Override
    public boolean confirm(String key) {
        return true;
    }

    @Override
    public void clear() {
        throw new UnsupportedOperationException("handled deliveries are kept; the store forgets nothing on request");
    }
}
