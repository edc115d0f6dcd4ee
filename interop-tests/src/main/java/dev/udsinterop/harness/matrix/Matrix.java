// SPDX-License-Identifier: Apache-2.0
// Matrix: servers x runtimes x transports x clients x cases, as data, in the order the runner takes it.
package dev.udsinterop.harness.matrix;

import dev.udsinterop.harness.fixture.InteropCase;
import dev.udsinterop.harness.fixture.Kind;
import dev.udsinterop.harness.peer.Peer;
import dev.udsinterop.harness.runtime.RuntimeKind;
import dev.udsinterop.harness.scenario.Scenarios;
import dev.udsinterop.harness.server.ServerSpec;
import dev.udsinterop.harness.transport.Transport;
import java.util.ArrayList;
import java.util.List;

/**
 * The product of the axes. Echo cases go through every client; scenario cases (lifecycle,
 * robustness) are driven by the harness with its JDK client, so they appear once, under
 * the client {@link #SCENARIO_CLIENT}, and only on the transports they name. Entries are
 * ordered so that entries sharing a running server are adjacent.
 */
public final class Matrix {
    /** The client that drives scenario cases. */
    public static final String SCENARIO_CLIENT = "java";

    private final List<MatrixEntry> entries;

    private Matrix(List<MatrixEntry> entries) {
        this.entries = List.copyOf(entries);
    }

    public static Matrix product(List<ServerSpec> servers, List<String> runtimes, List<Transport> transports,
                                 List<Peer> clients, List<InteropCase> cases) {
        List<MatrixEntry> entries = new ArrayList<>();
        for (ServerSpec server : servers) {
            for (String runtime : runtimes) {
                for (Transport transport : transports) {
                    if (!server.transports().contains(transport)) {
                        continue; // the server's template has no placeholder for it
                    }
                    for (Peer client : clients) {
                        for (InteropCase c : cases) {
                            boolean echo = c.kind() == Kind.ECHO;
                            RuntimeKind where = RuntimeKind.of(runtime);
                            boolean covered = where == null || where.covers(transport)
                                    && (echo || Scenarios.runIn(where, c.scenario())); // the runtime's own cases
                            if (c.appliesTo(transport.id()) && covered && (echo || client.id().equals(SCENARIO_CLIENT))) {
                                entries.add(new MatrixEntry(server, client, transport, runtime, c));
                            }
                        }
                    }
                }
            }
        }
        return new Matrix(entries);
    }

    /** Returns a matrix of {@code entries}, in their order. */
    public static Matrix of(List<MatrixEntry> entries) {
        return new Matrix(entries);
    }

    /** Returns the entries {@code selection} includes. */
    public Matrix select(Selection selection) {
        return new Matrix(entries.stream().filter(selection::includes).toList());
    }

    public List<MatrixEntry> entries() {
        return entries;
    }

    public int size() {
        return entries.size();
    }
}
