// SPDX-License-Identifier: Apache-2.0
// JdkPeer: the JDK's own client (SocketChannel, UnixDomainSocketAddress), and junixsocket for what the JDK lacks.
package dev.udsinterop.harness.peer;

import dev.udsinterop.harness.fixture.InteropCase;
import dev.udsinterop.harness.fixture.Payloads;
import dev.udsinterop.harness.transport.Endpoint;
import dev.udsinterop.harness.transport.Transport;
import java.time.Duration;
import java.util.List;

/**
 * The Java client: {@code SocketChannel.open(UnixDomainSocketAddress)} for unix, the same code for TCP, one virtual
 * thread per direction. What the JDK has no API for (SOCK_SEQPACKET, SOCK_DGRAM, abstract names, descriptor passing)
 * goes through junixsocket ({@link MessageConnection}), as far as its JNI library here declares
 * ({@link JunixFeatures}). Connections of a case run concurrently.
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

    /** Returns what the client declares it can do beyond stream sockets on paths and TCP (loading junixsocket). */
    public static DeclaredFeatures features() {
        return JunixFeatures.get();
    }

    @Override
    public String lacks(InteropCase c, Transport transport) {
        List<String> needs = DeclaredFeatures.needs(c, transport);
        if (needs.isEmpty()) {
            return null;
        }
        String missing = features().missing(needs);
        return missing == null ? null : id() + " " + missing;
    }

    @Override
    public Exchange exchange(Endpoint endpoint, InteropCase c, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        Duration eofWait = EofWait.of(c, timeout);
        if (c.feature() != null || endpoint.isAbstract() || !endpoint.socket().equals("stream")) {
            return Fanout.run(id(), endpoint, c, payloads,
                    (payload, party) -> MessageConnection.run(endpoint, c, payload, deadline, eofWait));
        }
        Traffic traffic = Traffic.of(c);
        return Fanout.run(id(), endpoint, c, payloads,
                (payload, party) -> JdkConnection.run(endpoint, payload, traffic, deadline, party, eofWait));
    }
}
