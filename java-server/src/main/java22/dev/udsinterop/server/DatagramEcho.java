// SPDX-License-Identifier: Apache-2.0
// DatagramEcho (Java 22+): sends each datagram of a SOCK_DGRAM socket back to its sender, on its own thread.
package dev.udsinterop.server;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The echo of one bound SOCK_DGRAM socket: each datagram goes back to the address it came
 * from, the same bytes. A datagram from an unbound sender has no address to answer: it is
 * dropped, counted and logged, and the loop goes on. A reply waits at most
 * {@link #REPLY_TIMEOUT_MS} for room (SO_SNDTIMEO): a sender that stopped reading must not
 * stall the others; a reply that fails is logged.
 */
final class DatagramEcho implements Runnable {
    private static final System.Logger LOG = System.getLogger(DatagramEcho.class.getName());
    static final long REPLY_TIMEOUT_MS = 1000;

    private final BoundSocket socket;
    private final AtomicLong unanswerable = new AtomicLong();
    private volatile boolean stopping;

    DatagramEcho(BoundSocket socket) {
        this.socket = socket;
    }

    BoundSocket socket() {
        return socket;
    }

    @Override
    public void run() {
        try (Libc libc = new Libc()) {
            libc.sendTimeout(socket.fd, REPLY_TIMEOUT_MS);
            MessageHeader h = new MessageHeader(libc.arena(), MessageConnection.MAX_MESSAGE);
            while (!stopping) {
                long n;
                try {
                    n = libc.recvmsg(socket.fd, h.forReceive(true), Libc.MSG_CMSG_CLOEXEC);
                } catch (Libc.Failure e) {
                    if (!stopping) {
                        LOG.log(System.Logger.Level.WARNING, "datagram {0}: {1}", socket.address, e.getMessage());
                    }
                    continue;
                }
                if (stopping) {
                    return;
                }
                Rights.closeAll(Rights.parse(h.control, h.controlLength())); // none are echoed on datagrams
                int nameLength = h.nameLength();
                if (UnixSockaddr.isUnbound(nameLength)) {
                    LOG.log(System.Logger.Level.INFO, "datagram {0}: {1} bytes from an unbound sender, which cannot be "
                            + "answered: dropped ({2} so far)", socket.address, String.valueOf(n),
                            String.valueOf(unanswerable.incrementAndGet()));
                    continue;
                }
                if ((h.flags() & Libc.MSG_TRUNC) != 0) {
                    LOG.log(System.Logger.Level.WARNING, "datagram {0}: a datagram from {1} was longer than {2} bytes: dropped",
                            socket.address, UnixSockaddr.text(h.name, nameLength), String.valueOf(MessageConnection.MAX_MESSAGE));
                    continue;
                }
                try {
                    libc.sendmsg(socket.fd, h.forSend(0, n, 0, nameLength), Libc.MSG_NOSIGNAL);
                } catch (Libc.Failure e) {
                    LOG.log(System.Logger.Level.WARNING, "datagram {0}: reply to {1}: {2}", socket.address,
                            UnixSockaddr.text(h.name, nameLength), e.getMessage());
                }
            }
        } catch (Libc.Failure e) {
            LOG.log(System.Logger.Level.ERROR, "datagram {0}: {1}", socket.address, e.getMessage());
        }
    }

    /** Stops the loop: it ends; the caller closes the socket once it has. */
    void stop() {
        stopping = true;
        socket.wake();
    }
}
