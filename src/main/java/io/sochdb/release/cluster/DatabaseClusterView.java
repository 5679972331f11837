package io.sochdb.release.cluster;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import org.apache.camel.cluster.CamelClusterMember;
import org.apache.camel.cluster.CamelClusterService;
import org.apache.camel.support.cluster.AbstractCamelClusterView;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.sochdb.release.state.LeaseStore;

/** One namespace's election: a timer tries the lease; leadership changes are told to the master consumers. */
final class DatabaseClusterView extends AbstractCamelClusterView {

    private static final Logger LOG = LoggerFactory.getLogger(DatabaseClusterView.class);

    private final LeaseStore leases;
    private final String owner;
    private final Duration lease;
    private final Duration retry;
    private final String leaseName;
    private final Member local;
    private ScheduledExecutorService timer;
    private ScheduledFuture<?> task;
    private volatile String leader;

    DatabaseClusterView(CamelClusterService service, String namespace, LeaseStore leases, String owner, Duration lease,
            Duration retry) {
        super(service, namespace);
        this.leases = leases;
        this.owner = owner;
        this.lease = lease;
        this.retry = retry;
        this.leaseName = "leader:" + namespace;
        this.local = new Member(owner);
    }

    @Override
    protected void doStart() {
        timer = getCamelContext().getExecutorServiceManager().newSingleThreadScheduledExecutor(this, "election-" + getNamespace());
        task = timer.scheduleWithFixedDelay(this::elect, 0, retry.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    protected void doStop() {
        if (task != null) {
            task.cancel(false);
        }
        if (timer != null) {
            getCamelContext().getExecutorServiceManager().shutdownNow(timer);
        }
        if (owner.equals(leader)) {
            leader = null;
            fireLeadershipChangedEvent(Optional.empty());
            try {
                leases.release(leaseName, owner);
            } catch (RuntimeException e) {
                LOG.warn("Could not give up the {} lease: {}", leaseName, e.getMessage());
            }
        }
    }

    /** Renews or tries the lease; an unreachable database means this replica cannot know it leads, so it does not. */
    private void elect() {
        String now;
        try {
            now = leases.acquire(leaseName, owner, lease) ? owner : leases.holder(leaseName).orElse(null);
        } catch (RuntimeException e) {
            LOG.warn("Leader election for {} could not reach the state store: {}", getNamespace(), e.getMessage());
            now = null;
        }
        String before = leader;
        leader = now;
        if (!java.util.Objects.equals(before, now)) {
            if (owner.equals(now) || owner.equals(before)) {
                LOG.info("{} {} for {}", owner, owner.equals(now) ? "leads" : "no longer leads", getNamespace());
            }
            fireLeadershipChangedEvent(now == null ? Optional.empty() : Optional.of(member(now)));
        }
    }

    @Override
    public Optional<CamelClusterMember> getLeader() {
        String current = leader;
        return current == null ? Optional.empty() : Optional.of(member(current));
    }

    @Override
    public CamelClusterMember getLocalMember() {
        return local;
    }

    @Override
    public List<CamelClusterMember> getMembers() {
        String current = leader;
        return current == null || current.equals(owner) ? List.of(local) : List.of(local, member(current));
    }

    private CamelClusterMember member(String id) {
        return id.equals(owner) ? local : new Member(id);
    }

    private final class Member implements CamelClusterMember {
        private final String id;

        Member(String id) {
            this.id = id;
        }

        @Override
        public String getId() {
            return id;
        }

        @Override
        public boolean isLeader() {
            return id.equals(leader);
        }

        @Override
        public boolean isLocal() {
            return id.equals(owner);
        }
    }
}
