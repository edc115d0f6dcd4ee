// SPDX-License-Identifier: Apache-2.0
// RuntimeKind: where the server and the clients of a matrix entry run, and which cases each place can run.
package dev.udsinterop.harness.runtime;

import dev.udsinterop.harness.fixture.InteropCase;
import dev.udsinterop.harness.fixture.Kind;
import dev.udsinterop.harness.scenario.Scenarios;
import dev.udsinterop.harness.transport.Transport;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The runtime axis of the matrix, as data. Every echo case runs in every runtime (on the
 * transports it has); the scenarios of {@link Scenarios}, which drive a server's process from this
 * machine (descriptors, paths occupied by files, rude clients), run locally, and the container
 * runtimes run their own lifecycle cases: {@code docker stop}, {@code docker kill -s INT},
 * a stale socket after {@code docker kill}, and a client of another uid.
 */
public enum RuntimeKind {
    LOCAL("local", "servers and clients as processes on this machine", Scenarios.names()),
    CONTAINER("container", "the server in a container and each client in its own: unix through a named volume, "
            + "tcp through a user-defined network", Set.of("signal-exit", "stale-restart", "other-uid")),
    CROSS_SERVER("cross-server", "the server in a container, the clients on this machine, through a bind-mounted "
            + "directory (unix only)", Set.of("signal-exit", "stale-restart")),
    CROSS_CLIENT("cross-client", "the server on this machine, the clients in containers, through a bind-mounted "
            + "directory (unix only)", Set.of("other-uid"));

    private final String id;
    private final String description;
    private final Set<String> scenarios;

    RuntimeKind(String id, String description, Set<String> scenarios) {
        this.id = id;
        this.description = description;
        this.scenarios = scenarios;
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

    /** Returns true if the matrix has an entry for case {@code c} on {@code transport} in this runtime. */
    public boolean covers(Transport transport, InteropCase c) {
        if (transport != Transport.UNIX && (this == CROSS_SERVER || this == CROSS_CLIENT)) {
            return false; // the host/container boundary is crossed by the socket file; tcp is the container runtime's
        }
        return c.kind() == Kind.ECHO || scenarios.contains(c.scenario());
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
