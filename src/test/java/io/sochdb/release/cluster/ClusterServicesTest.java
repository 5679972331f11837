package io.sochdb.release.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import org.apache.camel.cluster.CamelClusterService;
import org.apache.camel.cluster.CamelClusterView;
import org.apache.camel.component.kubernetes.cluster.KubernetesClusterService;
import org.apache.camel.component.kubernetes.cluster.LeaseResourceType;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.sochdb.release.state.LeaseStore;
import io.sochdb.release.state.StateDatabase;

/** Leader election: one leader over the store at a time, handed over when it stops; the Kubernetes choice. */
class ClusterServicesTest {

    @TempDir
    Path tmp;
    private StateDatabase db;
    private DefaultCamelContext first;
    private DefaultCamelContext second;

    @BeforeEach
    void open() {
        db = StateDatabase.open("", null, null, tmp);
    }

    @AfterEach
    void close() {
        for (DefaultCamelContext context : new DefaultCamelContext[] {first, second}) {
            if (context != null) {
                context.stop();
            }
        }
        db.close();
    }

    @Test
    void oneReplicaLeadsAndTheOtherTakesOverWhenItStops() throws Exception {
        LeaseStore leases = new LeaseStore(db, Clock.systemUTC());
        first = context(new DatabaseClusterService(leases, "a", Duration.ofSeconds(3), Duration.ofMillis(100)));
        second = context(new DatabaseClusterService(leases, "b", Duration.ofSeconds(3), Duration.ofMillis(100)));
        CamelClusterService a = first.hasService(DatabaseClusterService.class);
        CamelClusterService b = second.hasService(DatabaseClusterService.class);
        a.getView("poller");
        b.getView("poller");

        await(() -> a.isLeader("poller") || b.isLeader("poller"));
        assertThat(a.isLeader("poller") && b.isLeader("poller")).as("never two leaders").isFalse();
        CamelClusterService leader = a.isLeader("poller") ? a : b;
        CamelClusterService other = leader == a ? b : a;
        // The other view learns who leads at its own next look.
        CamelClusterView otherView = other.getView("poller");
        await(() -> otherView.getLeader().isPresent());
        assertThat(other.getView("poller").getLeader()).hasValueSatisfying(m -> assertThat(m.isLocal()).isFalse());
        assertThat(other.isLeader("poller")).isFalse();

        (leader == a ? first : second).stop();
        await(() -> other.isLeader("poller"));
        assertThat(leases.holder("leader:poller")).hasValue(other == a ? "a" : "b");
    }

    @Test
    void kubernetesIsChosenWithItsLeaseSettings() {
        Properties settings = new Properties();
        settings.put("cluster.service", "kubernetes");
        settings.put("cluster.lease-seconds", "12");
        settings.put("cluster.kubernetes.namespace", "releases");
        settings.put("cluster.kubernetes.lease-name", "sochdb-release");
        settings.put("cluster.pod-name", "sochdb-release-7d9f-abcde");
        first = new DefaultCamelContext();
        first.getPropertiesComponent().setInitialProperties(settings);

        CamelClusterService service = ClusterServices.create(first, new LeaseStore(db, Clock.systemUTC()), "a");

        assertThat(service).isInstanceOf(KubernetesClusterService.class);
        KubernetesClusterService kubernetes = (KubernetesClusterService) service;
        assertThat(kubernetes.getLeaseResourceType()).isEqualTo(LeaseResourceType.Lease);
        assertThat(kubernetes.getKubernetesNamespace()).isEqualTo("releases");
        assertThat(kubernetes.getKubernetesResourceName()).isEqualTo("sochdb-release");
        assertThat(kubernetes.getPodName()).isEqualTo("sochdb-release-7d9f-abcde");
        assertThat(kubernetes.getLeaseDurationMillis()).isEqualTo(12_000);
        assertThat(kubernetes.getRenewDeadlineMillis()).isLessThan(kubernetes.getLeaseDurationMillis());
        assertThat(kubernetes.getClusterLabels()).containsExactly(java.util.Map.entry("app.kubernetes.io/name", "sochdb-release"));
    }

    @Test
    void anUnknownKindIsRefusedWithTheSettingsName() {
        Properties settings = new Properties();
        settings.put("cluster.service", "zookeeper");
        first = new DefaultCamelContext();
        first.getPropertiesComponent().setInitialProperties(settings);

        assertThatThrownBy(() -> ClusterServices.create(first, new LeaseStore(db, Clock.systemUTC()), "a"))
                .hasMessageContaining("CLUSTER_SERVICE").hasMessageContaining("zookeeper")
                .hasMessageContaining("database or kubernetes");
    }

    @Test
    void podLabelsAreReadAsASelector() {
        assertThat(ClusterServices.labels("app=sochdb-release, tier = release")).containsExactly(
                java.util.Map.entry("app", "sochdb-release"), java.util.Map.entry("tier", "release"));
        assertThatThrownBy(() -> ClusterServices.labels("app")).hasMessageContaining("CLUSTER_POD_LABELS");
    }

    private static DefaultCamelContext context(CamelClusterService service) throws Exception {
        DefaultCamelContext context = new DefaultCamelContext();
        context.addService(service);
        context.start();
        return context;
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waited 20 s").isLessThan(deadline);
            Thread.sleep(20);
        }
    }
}
