// SPDX-License-Identifier: Apache-2.0
// NetcatPeer: OpenBSD netcat, `nc -U -N PATH|@NAME` for unix and abstract stream sockets and `nc -N HOST PORT` for tcp.
package dev.udsinterop.harness.peer;

import dev.udsinterop.harness.fixture.InteropCase;
import dev.udsinterop.harness.fixture.Payloads;
import dev.udsinterop.harness.host.ProcFs;
import dev.udsinterop.harness.transport.Endpoint;
import dev.udsinterop.harness.transport.Transport;
import java.util.List;
import java.util.Set;

/**
 * OpenBSD netcat. {@code -N} shuts down the socket's write side once stdin ends. When the
 * server closes first, nc ends (closing its stdout) at once over a unix socket, whose
 * hang-up ends its loop, but over TCP it keeps stdout open until its stdin ends (TCP gives no
 * hang-up before its own shutdown): there the harness asks the kernel, in /proc, for the state
 * of nc's connection: CLOSE_WAIT (the server's FIN arrived) or gone from the table (a reset)
 * means the server closed it, ESTABLISHED that it did not.
 */
public final class NetcatPeer extends ProcessPeer {
    /** CLOSE_WAIT, CLOSE, and no longer in the tables. */
    private static final Set<String> CLOSED_BY_SERVER = Set.of("08", "07", "");

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
        return endpoint.transport() == Transport.TCP
                ? List.of(program(), "-N", endpoint.host(), Integer.toString(endpoint.port()))
                : List.of(program(), "-U", "-N", endpoint.address()); // a path, or @name (Debian's nc: abstract)
    }

    /**
     * Debian's OpenBSD nc connects stream sockets on paths and, given {@code @name}, on abstract names. It has no
     * SOCK_SEQPACKET and passes no descriptors; {@code -U -u} sends datagrams from a temporary path it binds
     * ({@code /tmp/nc-XXXXXXXXXX}) and prints the replies, but after its input ends it waits a fixed {@code -q}
     * time and exits: there is no end of the echo to wait for, and a slow reply would look lost.
     */
    @Override
    public String lacks(InteropCase c, Transport transport) {
        if ("fdpass".equals(c.feature())) {
            return "nc passes no descriptors (SCM_RIGHTS)";
        }
        if (c.socket().equals("seqpacket") || transport == Transport.SEQPACKET) {
            return "nc has no SOCK_SEQPACKET";
        }
        if (c.socket().equals("datagram") || transport == Transport.DATAGRAM) {
            return "nc -U -u waits a fixed -q for replies after its input ends: no end of the echo to wait for";
        }
        return null;
    }

    @Override
    String packageName() {
        return "netcat-openbsd";
    }

    @Override
    boolean connectionEnded(Process process, Endpoint endpoint) {
        if (endpoint.transport() != Transport.TCP) {
            return false; // its output has said so
        }
        // Nothing readable (nc has exited: its output has said what there was to say) is not a verdict.
        List<String> states = ProcFs.socketStates(process.pid());
        return !states.isEmpty() && states.stream().allMatch(CLOSED_BY_SERVER::contains);
    }
}
