package io.sochdb.release.cluster;

import java.time.Duration;

import org.apache.camel.support.cluster.AbstractCamelClusterService;

import io.sochdb.release.state.LeaseStore;

/**
 * Leader election over the release state store, for replicas that share a database but no Kubernetes API: the
 * leader of a namespace is whoever holds its lease row. It backs {@code master:} endpoints, as the Kubernetes
 * cluster service does in a cluster.
 */
public final class DatabaseClusterService extends AbstractCamelClusterService<DatabaseClusterView> {

    private final LeaseStore leases;
    private final String owner;
    private final Duration lease;
    private final Duration retry;

    /**
     * @param lease how long leadership lasts without renewal: the longest a dead leader blocks the others
     * @param retry how often the leader renews and the others try
     */
    public DatabaseClusterService(LeaseStore leases, String owner, Duration lease, Duration retry) {
        super("database");
        this.leases = leases;
        this.owner = owner;
        this.lease = lease;
        this.retry = retry;
    }

    @Override
    protected DatabaseClusterView createView(String namespace) {
        return new DatabaseClusterView(this, namespace, leases, owner, lease, retry);
    }
}
