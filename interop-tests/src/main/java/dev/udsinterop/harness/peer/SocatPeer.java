// SPDX-License-Identifier: Apache-2.0
// SocatPeer: socat between stdio and UNIX-CONNECT or TCP.
package dev.udsinterop.harness.peer;

import dev.udsinterop.harness.fixture.Payloads;
import dev.udsinterop.harness.transport.Endpoint;
import dev.udsinterop.harness.transport.Transport;
import java.util.List;

/**
 * socat. When one direction ends it shuts down the other's write side and then waits
 * {@code -t} seconds for the rest. With half-close the echo still flows after stdin ended,
 * and the default of 0.5 s would cut a large echo short, so the wait is longer than any
 * case's deadline. Without half-close stdin ends only after the whole echo, so there is
 * nothing to wait for; and if the server closes first, socat must not sit waiting for a
 * stdin that stays open until the echo is complete. {@code shut-close} on stdio closes
 * stdout when the connection ends, even while stdin is still open: otherwise socat would
 * keep stdout open until stdin ends, and a server that closed before the client's
 * half-close would look like one that closed after it.
 */
public final class SocatPeer extends ProcessPeer {
    public SocatPeer(Payloads payloads) {
        this(payloads, "socat");
    }

    /** A socat peer that runs {@code program} (a name on PATH or a path) instead of {@code socat}. */
    SocatPeer(Payloads payloads, String program) {
        super(payloads, program);
    }

    @Override
    public String id() {
        return "socat";
    }

    @Override
    List<String> command(Endpoint endpoint, boolean halfClose) {
        String address = endpoint.transport() == Transport.UNIX
                ? "UNIX-CONNECT:" + endpoint.path()
                : "TCP:" + endpoint.hostPort();
        return List.of(program(), "-t", halfClose ? "3600" : "0", "STDIO,shut-close", address);
    }

    @Override
    String packageName() {
        return "socat";
    }
}
