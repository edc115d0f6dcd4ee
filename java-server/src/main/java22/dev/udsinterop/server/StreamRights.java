// SPDX-License-Identifier: Apache-2.0
// StreamRights (Java 22+): a Unix stream connection's bytes with the descriptors that came with them, via recvmsg/sendmsg.
package dev.udsinterop.server;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

/**
 * The descriptors (SCM_RIGHTS) that come with a Unix stream connection's bytes, received with
 * them and sent back with their echo: one per event loop, confined to its thread.
 *
 * <p>The JDK's channel reads drop passed descriptors (read(2) has no room for control data, so
 * the kernel closes them), and there is no way to see that some came without asking for them.
 * So a Unix stream connection is read with recvmsg(2) on its descriptor, with a control buffer
 * ({@link Rights#SPACE}), instead of {@code channel.read}: one foreign call where the JDK
 * makes one native call, to the same effect when no descriptor comes (the bench compares the
 * two: docs/benchmark.md). Only the echo of bytes that came with descriptors is written with
 * sendmsg(2); everything else goes through the channel as before.
 *
 * <p>The descriptor number of a channel is the JDK's ({@code sun.nio.ch.SelChImpl#getFDVal});
 * the jar's manifest exports that package to the server ({@code Add-Exports}). Where it is not
 * exported (the server's classes run by other means) every connection is read through its
 * channel, as on Java 21, and descriptors are dropped.
 */
final class StreamRights {
    /** No descriptors. */
    static final int[] NONE = new int[0];
    private static final System.Logger LOG = System.getLogger(StreamRights.class.getName());
    private static final Linker LINKER = Linker.nativeLinker();
    private static final StructLayout STATE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = STATE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final MethodHandle RECVMSG = call("recvmsg");
    private static final MethodHandle SENDMSG = call("sendmsg");
    private static final MethodHandle FD_VAL = descriptorAccess();
    private static final int ECONNRESET = 104;
    private static final int EPIPE = 32;

    private final ByteBuffer buffer;
    private final MemorySegment data;
    private final MemorySegment state;
    private final MemorySegment msg;
    private final MemorySegment iov;
    private final MemorySegment control;
    private int[] received = NONE;

    private StreamRights(ByteBuffer buffer) {
        this.buffer = buffer;
        this.data = MemorySegment.ofBuffer(buffer);
        Arena arena = Arena.ofAuto(); // the loop's lifetime: freed with the loop
        state = arena.allocate(STATE);
        msg = arena.allocate(56, 8);
        iov = arena.allocate(16, 8);
        control = arena.allocate(Rights.SPACE, 8);
        msg.set(ADDRESS, 16, iov); // msg_iov: one iovec, msg_iovlen 1, no name
        msg.set(JAVA_LONG, 24, 1L);
    }

    private static MethodHandle call(String name) {
        return LINKER.downcallHandle(LINKER.defaultLookup().find(name).orElseThrow(),
                FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT), Linker.Option.captureCallState("errno"));
    }

    private static MethodHandle descriptorAccess() {
        try {
            Class<?> selectable = Class.forName("sun.nio.ch.SelChImpl");
            return MethodHandles.lookup().findVirtual(selectable, "getFDVal", MethodType.methodType(int.class))
                    .asType(MethodType.methodType(int.class, SocketChannel.class));
        } catch (ReflectiveOperationException | RuntimeException e) { // not exported: no Add-Exports
            LOG.log(System.Logger.Level.DEBUG, "no descriptor numbers of channels ({0}): passed descriptors are dropped "
                    + "on unix stream connections", e.toString());
            return null;
        }
    }

    /** Returns the rights of one event loop, reading into its {@code buffer} (a direct buffer). */
    static StreamRights forLoop(ByteBuffer buffer) {
        return new StreamRights(buffer);
    }

    /** Returns true if this server passes descriptors on Unix stream connections: if it can find their numbers. */
    static boolean supported() {
        return FD_VAL != null;
    }

    /** Returns the descriptor number to read {@code channel} by, or -1 to read it through the channel. */
    int descriptor(SocketChannel channel) {
        if (FD_VAL == null) {
            return -1;
        }
        try {
            return (int) FD_VAL.invokeExact(channel);
        } catch (Throwable e) {
            return -1;
        }
    }

    /**
     * Reads what is there into the loop's buffer, from its position to its limit, like
     * {@code channel.read}: returns the number of bytes, 0 if none are there, -1 at EOF. The
     * descriptors that came with them are {@link #received()}.
     */
    int read(int fd, ByteBuffer into) throws IOException {
        if (into != buffer) {
            throw new IllegalArgumentException("not the loop's buffer");
        }
        int position = into.position();
        iov.set(ADDRESS, 0, data.asSlice(position));
        iov.set(JAVA_LONG, 8, into.limit() - position);
        msg.set(ADDRESS, 32, control);
        msg.set(JAVA_LONG, 40, Rights.SPACE);
        msg.set(JAVA_INT, 48, 0);
        long n = invoke(RECVMSG, fd, Libc.MSG_CMSG_CLOEXEC);
        if (n < 0) {
            int errno = (int) ERRNO.get(state, 0L);
            if (errno == Libc.EAGAIN || errno == Libc.EINTR) {
                received = NONE;
                return 0;
            }
            throw new IOException("recvmsg: " + Libc.strerror(errno));
        }
        long controlLength = msg.get(JAVA_LONG, 40);
        received = controlLength == 0 ? NONE : Rights.parse(control, controlLength);
        if (n == 0) {
            return -1; // no stream write of 0 bytes carries descriptors (the kernel sends nothing)
        }
        into.position(position + (int) n);
        return (int) n;
    }

    /** Returns the descriptors the last {@link #read} received, now the caller's to close. */
    int[] received() {
        int[] fds = received;
        received = NONE;
        return fds;
    }

    /**
     * Writes what {@code from} holds, from its position, with {@code fds} attached to its first byte, and
     * advances its position: returns the bytes written, 0 if the socket took none (the descriptors went nowhere).
     */
    int write(int fd, ByteBuffer from, int[] fds) throws IOException {
        MemorySegment bytes = from.isDirect() ? MemorySegment.ofBuffer(from)
                : Arena.ofAuto().allocate(from.remaining()).copyFrom(MemorySegment.ofBuffer(from));
        iov.set(ADDRESS, 0, bytes);
        iov.set(JAVA_LONG, 8, from.remaining());
        msg.set(ADDRESS, 32, control);
        msg.set(JAVA_LONG, 40, Rights.write(control, fds));
        msg.set(JAVA_INT, 48, 0);
        long n = invoke(SENDMSG, fd, Libc.MSG_NOSIGNAL);
        if (n < 0) {
            int errno = (int) ERRNO.get(state, 0L);
            if (errno == Libc.EAGAIN || errno == Libc.EINTR) {
                return 0;
            }
            throw new IOException("sendmsg: " + Libc.strerror(errno)
                    + (errno == ECONNRESET || errno == EPIPE ? " (the client went)" : ""));
        }
        from.position(from.position() + (int) n);
        return (int) n;
    }

    private long invoke(MethodHandle call, int fd, int flags) {
        try {
            return (long) call.invokeExact(state, fd, msg, flags);
        } catch (Error | RuntimeException e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }

    /** Closes the server's copies of {@code fds}, once they went back or will not. */
    static void closeAll(int[] fds) {
        if (fds.length > 0) {
            Rights.closeAll(fds);
        }
    }
}
