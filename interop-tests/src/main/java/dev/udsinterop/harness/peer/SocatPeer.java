// SPDX-License-Identifier: Apache-2.0
// SocatPeer: socat between stdio and UNIX-CONNECT (stream or seqpacket), ABSTRACT-CONNECT or TCP.
package dev.udsinterop.harness.peer;

import dev.udsinterop.harness.fixture.InteropCase;
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
        return List.of(program(), "-t", halfClose ? "3600" : "0", "STDIO,shut-close", address(endpoint));
    }

    /**
     * On a seqpacket socket socat sends each read of its stdin as one message and reads each message into a buffer
     * of {@code -b} bytes, cutting a longer one short: with {@code -b} the case's message size, a server that merges
     * messages loses bytes, and a correct one is echoed whole (a read of the pipe may return less than a message,
     * which goes as a shorter message and comes back as one).
     */
    @Override
    List<String> command(Endpoint endpoint, InteropCase c, boolean halfClose) {
        if (!endpoint.socket().equals("seqpacket")) {
            return command(endpoint, halfClose);
        }
        int message = c.chunkSize() > 0 ? c.chunkSize() : Math.max(c.size(), 1);
        return List.of(program(), "-b", Integer.toString(message), "-t", halfClose ? "3600" : "0", "STDIO,shut-close",
                address(endpoint));
    }

    private static String address(Endpoint endpoint) {
        String type = endpoint.socket().equals("seqpacket") ? ",type=5" : ""; // SOCK_SEQPACKET
        return switch (endpoint.transport()) {
            case TCP -> "TCP:" + endpoint.hostPort();
            case ABSTRACT -> "ABSTRACT-CONNECT:" + endpoint.name() + type;
            default -> "UNIX-CONNECT:" + endpoint.path() + type;
        };
    }

    /**
     * socat connects stream and seqpacket sockets on paths and abstract names. It passes no descriptors, and on a
     * datagram socket it cannot tell when the last reply came: after its input ends it waits a fixed {@code -t}
     * and exits, so a slow reply would look lost (and every case would last that long).
     */
    @Override
    public String lacks(InteropCase c, Transport transport) {
        if ("fdpass".equals(c.feature())) {
            return "socat passes no descriptors (SCM_RIGHTS)";
        }
        if (c.socket().equals("datagram") || transport == Transport.DATAGRAM) {
            return "socat's datagram addresses (UNIX-SENDTO) wait a fixed -t for replies after the input ends: "
                    + "no end of the echo to wait for";
        }
        return null;
    }

    @Override
    String packageName() {
        return "socat";
    }
}
