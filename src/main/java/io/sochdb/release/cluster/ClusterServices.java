package io.sochdb.release.cluster;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.camel.CamelContext;
import org.apache.camel.cluster.CamelClusterService;
import org.apache.camel.component.kubernetes.cluster.KubernetesClusterService;
import org.apache.camel.component.kubernetes.cluster.LeaseResourceType;

import io.sochdb.release.state.LeaseStore;

/**
 * The cluster service that elects the poller's leader, chosen by {@code CLUSTER_SERVICE}: {@code kubernetes} uses
 * a coordination.k8s.io Lease through the Kubernetes API (in-cluster credentials), {@code database} (the default)
 * a lease row in the state store, which works wherever the replicas share that store.
 */
public final class ClusterServices {

    private ClusterServices() {
    }

    public static CamelClusterService create(CamelContext context, LeaseStore leases, String owner) {
        var properties = context.getPropertiesComponent();
        String kind = properties.resolveProperty("cluster.service").orElse("database").strip();
        Duration lease = Duration.ofSeconds(Long.parseLong(properties.resolveProperty("cluster.lease-seconds").orElse("15")));
        Duration retry = Duration.ofMillis(Math.max(200, lease.toMillis() / 3));
        switch (kind) {
            case "database" -> {
                return new DatabaseClusterService(leases, owner, lease, retry);
            }
            case "kubernetes" -> {
                KubernetesClusterService service = new KubernetesClusterService();
                service.setId("kubernetes");
                service.setLeaseResourceType(LeaseResourceType.Lease);
                service.setKubernetesResourceName(properties.resolveProperty("cluster.kubernetes.lease-name")
                        .orElse("sochdb-release"));
                properties.resolveProperty("cluster.kubernetes.namespace").filter(s -> !s.isBlank())
                        .ifPresent(service::setKubernetesNamespace);
                properties.resolveProperty("cluster.pod-name").filter(s -> !s.isBlank()).ifPresent(service::setPodName);
                // The election only counts pods that carry these labels as members: they must select our pods.
                service.setClusterLabels(labels(properties.resolveProperty("cluster.kubernetes.pod-labels")
                        .orElse("app.kubernetes.io/name=sochdb-release")));
                service.setLeaseDurationMillis(lease.toMillis());
                service.setRenewDeadlineMillis(lease.toMillis() * 2 / 3);
                service.setRetryPeriodMillis(retry.toMillis());
                return service;
            }
            default -> throw new IllegalArgumentException("CLUSTER_SERVICE (cluster.service) is \"" + kind
                    + "\"; expected database or kubernetes");
        }
    }

    /** {@code key=value,key=value}, as a label selector is written. */
    static Map<String, String> labels(String selector) {
        Map<String, String> labels = new LinkedHashMap<>();
        for (String pair : selector.split(",")) {
            String[] parts = pair.strip().split("=", 2);
            if (parts.length != 2 || parts[0].isBlank() || parts[1].isBlank()) {
                throw new IllegalArgumentException("CLUSTER_POD_LABELS (cluster.kubernetes.pod-labels): \"" + pair
                        + "\" is not key=value");
            }
            labels.put(parts[0].strip(), parts[1].strip());
        }
        return labels;
    }
}
