// SPDX-License-Identifier: Apache-2.0
// MessageServer (Java 21): cannot serve seqpacket, datagram or abstract addresses; Java 22+ uses META-INF/versions/22.
package dev.udsinterop.server;

import java.time.Duration;
import java.util.List;

/**
 * The sockets the JDK cannot serve: SOCK_SEQPACKET, SOCK_DGRAM, abstract names and descriptor
 * passing. This is the Java 21 version, which has no final foreign function API and so
 * declares them unsupported: given any such address, {@link #start} refuses it. The
 * multi-release jar's Java 22 version serves them with {@code java.lang.foreign}.
 */
final class MessageServer implements AutoCloseable {

    private MessageServer() {
    }

    /** Returns true if this Java can serve these sockets: false. */
    static boolean supported() {
        return false;
    }

    /**
     * Returns a server with nothing to serve when {@code addresses} is empty.
     *
     * @throws ConfigurationException for any address: this Java cannot bind it
     */
    static MessageServer start(List<MessageAddress> addresses, SocketMode mode) {
        if (!addresses.isEmpty()) {
            MessageAddress a = addresses.get(0);
            throw ConfigurationException.listen(a.kind().network(), a, "needs Java 22 or later (the foreign function "
                    + "API, java.lang.foreign); this is Java " + Runtime.version().feature());
        }
        return new MessageServer();
    }

    /** Returns the ready lines, in the order of the addresses: none. */
    List<String> readyLines() {
        return List.of();
    }

    /** Stops accepting and receiving. */
    void stopAccepting() {
    }

    /** Waits up to {@code grace} for the open connections to end; true if they did. */
    boolean awaitDrained(Duration grace) throws InterruptedException {
        return true;
    }

    /** Returns the number of open connections. */
    int connections() {
        return 0;
    }

    @Override
    public void close() {
    }
}
