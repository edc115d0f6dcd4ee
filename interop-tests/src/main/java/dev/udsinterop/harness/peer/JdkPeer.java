// SPDX-License-Identifier: Apache-2.0
// JdkPeer: the JDK's own client (SocketChannel, UnixDomainSocketAddress), one virtual thread per direction.
package dev.udsinterop.harness.peer;

import dev.udsinterop.harness.fixture.InteropCase;
import dev.udsinterop.harness.fixture.Payloads;
import dev.udsinterop.harness.transport.Endpoint;
import java.time.Duration;

/**
 * The Java client, written only with the JDK: {@code SocketChannel.open(UnixDomainSocketAddress)}
 * for unix, the same code for TCP. Connections of a case run concurrently.
 */
public final class JdkPeer implements Peer {
    private final Payloads payloads;

    public JdkPeer(Payloads payloads) {
        this.payloads = payloads;
    }

    @Override
    public String id() {
        return "java";
    }

    @Override
    public Exchange exchange(Endpoint endpoint, InteropCase c, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        Traffic traffic = Traffic.of(c);
        return Fanout.run(id(), endpoint, c, payloads,
                (payload, party) -> JdkConnection.run(endpoint, payload, traffic, deadline, party, EofWait.of(c, timeout)));
    }
}
