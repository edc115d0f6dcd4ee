// SPDX-License-Identifier: Apache-2.0
// NetcatPeer: OpenBSD netcat, `nc -U -N PATH` for unix and `nc -N HOST PORT` for tcp.
package dev.udsinterop.harness.peer;

import dev.udsinterop.harness.fixture.Payloads;
import dev.udsinterop.harness.transport.Endpoint;
import dev.udsinterop.harness.transport.Transport;
import java.util.List;

/** OpenBSD netcat. {@code -N} shuts down the socket's write side once stdin ends. */
public final class NetcatPeer extends ProcessPeer {
    public NetcatPeer(Payloads payloads) {
        this(payloads, "nc");
    }

    /** A nc peer that runs {@code program} (a name on PATH or a path) instead of {@code nc}. */
    NetcatPeer(Payloads payloads, String program) {
        super(payloads, program);
    }

    @Override
    public String id() {
        return "nc";
    }

    @Override
    List<String> command(Endpoint endpoint, boolean halfClose) {
        return endpoint.transport() == Transport.UNIX
                ? List.of(program(), "-U", "-N", endpoint.path().toString())
                : List.of(program(), "-N", endpoint.host(), Integer.toString(endpoint.port()));
    }

    @Override
    String packageName() {
        return "netcat-openbsd";
    }
}
