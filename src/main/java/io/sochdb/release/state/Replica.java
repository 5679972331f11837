package io.sochdb.release.state;

import java.net.InetAddress;
import java.util.UUID;

/** Who this process is, as an owner of runs and leases: unique per process, readable in the status. */
public final class Replica {

    private Replica() {
    }

    /** The pod name in Kubernetes (HOSTNAME), the process id, and a random part that a restart never repeats. */
    public static String newId() {
        String host = System.getenv("HOSTNAME");
        if (host == null || host.isBlank()) {
            try {
                host = InetAddress.getLocalHost().getHostName();
            } catch (java.io.IOException e) {
                host = "localhost";
            }
        }
        return host + "/" + ProcessHandle.current().pid() + "/" + UUID.randomUUID().toString().substring(0, 8);
    }
}
