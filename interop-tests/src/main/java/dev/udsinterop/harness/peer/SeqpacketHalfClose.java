// SPDX-License-Identifier: Apache-2.0
// SeqpacketHalfClose: shutdown(SHUT_WR) on a SOCK_SEQPACKET socket of junixsocket's, which its API leaves out.
package dev.udsinterop.harness.peer;

import java.io.FileDescriptor;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;

/**
 * The half-close of a seqpacket connection. junixsocket opens SOCK_SEQPACKET sockets as its datagram channels
 * ({@code openDatagramChannel(AFSocketType.SOCK_SEQPACKET)}), which have no {@code shutdownOutput}, and its
 * {@code FileDescriptorCast} will not make one of its stream sockets of them. The contract's end of a seqpacket
 * connection is the client's {@code shutdown(SHUT_WR)}, so this calls junixsocket's own native {@code shutdown} (a
 * package-private method of {@code NativeUnixSocket}, present since 2.4; the dependency is pinned at 2.10.1) rather
 * than hand-rolled native code. Where it is missing, the client declares seqpacket unsupported, with this reason.
 */
final class SeqpacketHalfClose {
    private static final int SHUT_WR = 1;
    private static final Method SHUTDOWN;
    private static final String UNAVAILABLE;

    static {
        Method m = null;
        String why = null;
        try {
            m = Class.forName("org.newsclub.net.unix.NativeUnixSocket").getDeclaredMethod("shutdown", FileDescriptor.class, int.class);
            m.setAccessible(true);
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            m = null;
            why = "no shutdown(SHUT_WR) for SOCK_SEQPACKET in this junixsocket (" + e + ")";
        }
        SHUTDOWN = m;
        UNAVAILABLE = why;
    }

    private SeqpacketHalfClose() {
    }

    /** Returns why seqpacket connections cannot half-close here, or null when they can. */
    static String unavailable() {
        return UNAVAILABLE;
    }

    /** Shuts down the sending side of the socket {@code fd}. */
    static void shutdownOutput(FileDescriptor fd) throws IOException {
        try {
            SHUTDOWN.invoke(null, fd, SHUT_WR);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new IOException("shutdown: " + e.getCause(), e.getCause());
        } catch (IllegalAccessException e) {
            throw new IOException("shutdown: " + e, e);
        }
    }
}
