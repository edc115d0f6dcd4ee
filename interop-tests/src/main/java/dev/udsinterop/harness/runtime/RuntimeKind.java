// SPDX-License-Identifier: Apache-2.0
// RuntimeKind: where the server and the clients of a matrix entry run, and the transports each place has.
package dev.udsinterop.harness.runtime;

import dev.udsinterop.harness.transport.Transport;
import java.util.ArrayList;
import java.util.List;

/**
 * The runtime axis of the matrix, as data. Every echo case runs in every runtime, on the transports the runtime
 * has; which scenario runs where, each scenario says itself ({@code scenario.Scenario#runtimes}).
 */
public enum RuntimeKind {
    LOCAL("local", "servers and clients as processes on this machine"),
    CONTAINER("container", "the server in a container and each client in its own: unix through a named volume, "
            + "tcp through a user-defined network"),
    CROSS_SERVER("cross-server", "the server in a container, the clients on this machine, through a bind-mounted "
            + "directory (no tcp)"),
    CROSS_CLIENT("cross-client", "the server on this machine, the clients in containers, through a bind-mounted "
            + "directory (no tcp)");

    private final String id;
    private final String description;

    RuntimeKind(String id, String description) {
        this.id = id;
        this.description = description;
    }

    /** Returns the name in test names, reports and {@code --runtime}: {@code local}, {@code container}, ... */
    public String id() {
        return id;
    }

    public String description() {
        return description;
    }

    /** Returns true if the runtime needs a Docker engine. */
    public boolean needsDocker() {
        return this != LOCAL;
    }

    /** Returns true if this runtime has {@code transport}. */
    public boolean covers(Transport transport) {
        // the host/container boundary is crossed by the socket file (seqpacket and datagram sockets too); tcp is the
        // container runtime's. Abstract names are per network namespace: the container runtimes run their clients in
        // the server's (ContainerRuntime).
        return transport != Transport.TCP || (this != CROSS_SERVER && this != CROSS_CLIENT);
    }

    /**
     * Returns true if the server and its clients see the socket directory at the same path: on this machine, and in
     * the container runtime, where both mount the volume at /sock. Across the host/container boundary they do not
     * (the bind-mounted directory is /sock on one side only), and a datagram server answers at the client's bound
     * address as it reads it, in its own mount namespace: there only an abstract reply name, in the network
     * namespace the client shares with it, gets the replies back.
     */
    public boolean sharesSocketPaths() {
        return this == LOCAL || this == CONTAINER;
    }

    /** Returns the runtime named {@code id}, or null. */
    public static RuntimeKind of(String id) {
        for (RuntimeKind k : values()) {
            if (k.id.equals(id)) {
                return k;
            }
        }
        return null;
    }

    /**
     * Returns the runtimes {@code names} select, in matrix order; {@code cross} names both cross
     * runtimes, an empty list all of them.
     *
     * @throws IllegalArgumentException for an unknown name
     */
    public static List<RuntimeKind> select(List<String> names) {
        if (names.isEmpty()) {
            return List.of(values());
        }
        List<RuntimeKind> selected = new ArrayList<>();
        for (RuntimeKind k : values()) {
            boolean named = names.contains(k.id) || (k.id.startsWith("cross-") && names.contains("cross"));
            if (named) {
                selected.add(k);
            }
        }
        for (String name : names) {
            if (of(name) == null && !name.equals("cross")) {
                throw new IllegalArgumentException("--runtime " + name + ": unknown runtime (want local, container, "
                        + "cross, cross-server or cross-client)");
            }
        }
        return selected;
    }

    @Override
    public String toString() {
        return id;
    }
}
