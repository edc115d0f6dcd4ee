// SPDX-License-Identifier: Apache-2.0
// MessageConnection (Java 22+): the echo of one seqpacket or abstract-stream connection, descriptors included.
package dev.udsinterop.server;

import java.lang.foreign.MemorySegment;

/**
 * Echoes one accepted connection on its own platform thread (a foreign call pins a virtual
 * thread's carrier): each recvmsg's bytes go back in one sendmsg, so a seqpacket message comes
 * back as one message, and the descriptors that came with them (SCM_RIGHTS, up to
 * {@link Rights#MAX}) go back with them and are then closed here. On a stream a partial send
 * is finished without the descriptors, which went with its first part. At the client's EOF
 * (recvmsg returns 0: on seqpacket a zero-length message looks the same, and ends it too)
 * every echo has been sent, and the connection is closed.
 */
final class MessageConnection implements Runnable {
    private static final System.Logger LOG = System.getLogger(MessageConnection.class.getName());
    /** The largest seqpacket message echoed whole; the contract asks for 64 KiB. */
    static final int MAX_MESSAGE = 256 * 1024;
    private static final int STREAM_BUFFER = 64 * 1024;

    private final int fd;
    private final MessageAddress.Kind kind;
    private final Runnable onEnd;
    private boolean closed;

    MessageConnection(int fd, MessageAddress.Kind kind, Runnable onEnd) {
        this.fd = fd;
        this.kind = kind;
        this.onEnd = onEnd;
    }

    @Override
    public void run() {
        try (Libc libc = new Libc()) {
            MessageHeader h = new MessageHeader(libc.arena(), kind == MessageAddress.Kind.SEQPACKET ? MAX_MESSAGE : STREAM_BUFFER);
            while (true) {
                long n = libc.recvmsg(fd, h.forReceive(false), Libc.MSG_CMSG_CLOEXEC);
                int[] fds = Rights.parse(h.control, h.controlLength());
                if (n == 0 && fds.length == 0) {
                    return; // EOF: every echo is sent
                }
                try {
                    send(libc, h, n, fds);
                } finally {
                    Rights.closeAll(fds);
                }
                if ((h.flags() & Libc.MSG_TRUNC) != 0) {
                    LOG.log(System.Logger.Level.WARNING, "{0}: a message longer than {1} bytes came truncated: closing",
                            kind.network(), String.valueOf(MAX_MESSAGE));
                    return;
                }
                if ((h.flags() & Libc.MSG_CTRUNC) != 0) {
                    LOG.log(System.Logger.Level.DEBUG, "{0}: a message carried more than {1} descriptors; the rest were closed",
                            kind.network(), String.valueOf(Rights.MAX));
                }
            }
        } catch (Libc.Failure e) {
            LOG.log(System.Logger.Level.DEBUG, "{0} connection: {1}", kind.network(), e.getMessage());
        } finally {
            close();
            onEnd.run();
        }
    }

    /** Sends {@code n} received bytes back, with {@code fds} on the first send. */
    private void send(Libc libc, MessageHeader h, long n, int[] fds) throws Libc.Failure {
        int control = fds.length == 0 ? 0 : Rights.write(h.control, fds);
        long sent = 0;
        do {
            MemorySegment msg = h.forSend(sent, n - sent, sent == 0 ? control : 0, 0);
            sent += libc.sendmsg(fd, msg, Libc.MSG_NOSIGNAL);
        } while (sent < n);
    }

    /** Ends the connection now, from another thread: a blocked recvmsg or sendmsg returns. */
    synchronized void abort() {
        if (!closed) {
            Libc.shutdown(fd);
        }
    }

    private synchronized void close() {
        closed = true;
        Libc.close(fd);
    }
}
