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
        super(payloads);
    }

    @Override
    public String id() {
        return "nc";
    }

    @Override
    List<String> command(Endpoint endpoint, boolean halfClose) {
        return endpoint.transport() == Transport.UNIX
                ? List.of("nc", "-U", "-N", endpoint.path().toString())
                : List.of("nc", "-N", endpoint.host(), Integer.toString(endpoint.port()));
    }

    @Override
    String program() {
        return "nc";
    }

    @Override
    String packageName() {
        return "netcat-openbsd";
    }
}
