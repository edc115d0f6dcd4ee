// SPDX-License-Identifier: Apache-2.0
// MatrixEntry: one point of the matrix: a server, a client, a transport, a runtime and a case.
package dev.udsinterop.harness.matrix;

import dev.udsinterop.harness.fixture.InteropCase;
import dev.udsinterop.harness.peer.Peer;
import dev.udsinterop.harness.server.ServerSpec;
import dev.udsinterop.harness.transport.Transport;

/** One test: {@code server / client / transport / runtime / case}. */
public record MatrixEntry(ServerSpec server, Peer client, Transport transport, String runtime, InteropCase testCase) {

    /** Returns the test's name, {@code server / client / transport / runtime / case}. */
    public String displayName() {
        return String.join(" / ", server.id(), client.id(), transport.id(), runtime, testCase.id());
    }

    /** Returns the group this entry shares a running server with: {@code server / transport / runtime}. */
    public String serverGroup() {
        return String.join(" / ", server.id(), transport.id(), runtime);
    }

    /** Returns the progress group: {@code server / client / transport / runtime}. */
    public String clientGroup() {
        return String.join(" / ", server.id(), client.id(), transport.id(), runtime);
    }
}
