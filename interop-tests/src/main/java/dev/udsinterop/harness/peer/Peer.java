// SPDX-License-Identifier: Apache-2.0
// Peer: a client implementation the matrix runs echo cases through (Go, nc, socat, the JDK).
package dev.udsinterop.harness.peer;

import dev.udsinterop.harness.fixture.InteropCase;
import dev.udsinterop.harness.transport.Endpoint;
import dev.udsinterop.harness.transport.Transport;
import java.time.Duration;

/**
 * A client. It knows an endpoint and a case's traffic (payloads, writes, half-close),
 * nothing of servers or the matrix. Each call is one independent exchange.
 */
public interface Peer {

    /** Returns the client's id in test names and reports, e.g. {@code nc}. */
    String id();

    /**
     * Returns this client's program and how to install it when it is not installed here, e.g. {@code nc (apt-get
     * install netcat-openbsd)}, or null when nothing is missing: {@code check} names these before it starts.
     */
    default String missing() {
        return null;
    }

    /** Returns why this peer cannot run {@code c} here (not installed, a shape it cannot express), or null. */
    default String unsupported(InteropCase c) {
        return null;
    }

    /**
     * Returns what this client declares it cannot do that case {@code c} on {@code transport} needs (a seqpacket or
     * datagram socket, an abstract name, descriptor passing), or null: such a case is {@code unsupported}, not
     * skipped, as a capability of the client, never a guess. By default a client speaks stream sockets on paths
     * and TCP only.
     */
    default String lacks(InteropCase c, Transport transport) {
        return transport.isStream() && c.feature() == null ? null
                : id() + " speaks stream sockets on paths and TCP only, without descriptors";
    }

    /**
     * Runs echo case {@code c} against {@code endpoint}, giving up after {@code timeout}, and
     * returns what happened. Never hangs; a failure of the exchange is a result, not an exception.
     */
    Exchange exchange(Endpoint endpoint, InteropCase c, Duration timeout) throws InterruptedException;
}
