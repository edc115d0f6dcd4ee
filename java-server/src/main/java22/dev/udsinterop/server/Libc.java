// SPDX-License-Identifier: Apache-2.0
// Libc (Java 22+): the socket system calls of libc the JDK does not offer, via java.lang.foreign, with errno.
package dev.udsinterop.server;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

/**
 * One thread's access to libc's socket calls (Linux, x86_64 and aarch64 layouts). Each call
 * returns its result or throws {@link Failure} with errno and the call's name; EINTR is
 * retried. An instance is confined to the thread that made it: it owns the memory errno is
 * captured in.
 */
final class Libc implements AutoCloseable {
    static final int AF_UNIX = 1;
    static final int SOCK_CLOEXEC = 0x80000;
    static final int SOL_SOCKET = 1;
    static final int SCM_RIGHTS = 1;
    static final int SO_SNDTIMEO = 21;
    static final int MSG_TRUNC = 0x20;
    static final int MSG_CTRUNC = 0x8;
    static final int MSG_NOSIGNAL = 0x4000;
    static final int MSG_CMSG_CLOEXEC = 0x40000000;
    static final int SHUT_RDWR = 2;
    static final int EINTR = 4;
    static final int EAGAIN = 11;
    static final int EINVAL = 22;
    static final int ENFILE = 23;
    static final int EMFILE = 24;
    static final int ENOBUFS = 105;
    static final int ENOMEM = 12;
    static final int ECONNABORTED = 103;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final StructLayout STATE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = STATE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final MethodHandle SOCKET = call("socket", JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT);
    private static final MethodHandle BIND = call("bind", JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT);
    private static final MethodHandle LISTEN = call("listen", JAVA_INT, JAVA_INT, JAVA_INT);
    private static final MethodHandle ACCEPT4 = call("accept4", JAVA_INT, JAVA_INT, ADDRESS, ADDRESS, JAVA_INT);
    private static final MethodHandle CONNECT = call("connect", JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT);
    private static final MethodHandle RECVMSG = call("recvmsg", JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT);
    private static final MethodHandle SENDMSG = call("sendmsg", JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT);
    private static final MethodHandle SETSOCKOPT = call("setsockopt", JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT);
    private static final MethodHandle SHUTDOWN = call("shutdown", JAVA_INT, JAVA_INT, JAVA_INT);
    private static final MethodHandle CLOSE = call("close", JAVA_INT, JAVA_INT);
    private static final MethodHandle STRERROR = LINKER.downcallHandle(LINKER.defaultLookup().find("strerror").orElseThrow(),
            FunctionDescriptor.of(ADDRESS.withTargetLayout(MemoryLayout.sequenceLayout(256, java.lang.foreign.ValueLayout.JAVA_BYTE)), JAVA_INT));

    private final Arena arena = Arena.ofConfined();
    private final MemorySegment state = arena.allocate(STATE);

    private static MethodHandle call(String name, MemoryLayout result, MemoryLayout... args) {
        return LINKER.downcallHandle(LINKER.defaultLookup().find(name).orElseThrow(),
                FunctionDescriptor.of(result, args), Linker.Option.captureCallState("errno"));
    }

    /** A failed call: its name and errno. */
    static final class Failure extends java.io.IOException {
        private static final long serialVersionUID = 1L;
        final int errno;

        Failure(String call, int errno) {
            super(call + ": " + strerror(errno), null);
            this.errno = errno;
        }
    }

    /** Returns the memory this thread's calls may use, freed at {@link #close()}. */
    Arena arena() {
        return arena;
    }

    int socket(int type) throws Failure {
        return (int) check("socket", () -> (int) SOCKET.invokeExact(state, AF_UNIX, type | SOCK_CLOEXEC, 0));
    }

    void bind(int fd, MemorySegment address, int length) throws Failure {
        check("bind", () -> (int) BIND.invokeExact(state, fd, address, length));
    }

    void listen(int fd, int backlog) throws Failure {
        check("listen", () -> (int) LISTEN.invokeExact(state, fd, backlog));
    }

    int accept(int fd) throws Failure {
        return (int) check("accept", () -> (int) ACCEPT4.invokeExact(state, fd, MemorySegment.NULL, MemorySegment.NULL, SOCK_CLOEXEC));
    }

    void connect(int fd, MemorySegment address, int length) throws Failure {
        check("connect", () -> (int) CONNECT.invokeExact(state, fd, address, length));
    }

    long recvmsg(int fd, MemorySegment msghdr, int flags) throws Failure {
        return check("recvmsg", () -> (long) RECVMSG.invokeExact(state, fd, msghdr, flags));
    }

    long sendmsg(int fd, MemorySegment msghdr, int flags) throws Failure {
        return check("sendmsg", () -> (long) SENDMSG.invokeExact(state, fd, msghdr, flags));
    }

    /** Bounds how long a send may wait for room (SO_SNDTIMEO). */
    void sendTimeout(int fd, long millis) throws Failure {
        MemorySegment timeval = arena.allocate(16);
        timeval.set(JAVA_LONG, 0, millis / 1000);
        timeval.set(JAVA_LONG, 8, millis % 1000 * 1000);
        check("setsockopt", () -> (int) SETSOCKOPT.invokeExact(state, fd, SOL_SOCKET, SO_SNDTIMEO, timeval, 16));
    }

    /** Shuts both directions down, which wakes a thread blocked in accept, recvmsg or sendmsg on fd. */
    static void shutdown(int fd) {
        try {
            int ignored = (int) SHUTDOWN.invokeExact(Arena.ofAuto().allocate(STATE), fd, SHUT_RDWR);
        } catch (Throwable e) {
            throw new IllegalStateException("shutdown", e);
        }
    }

    /** Closes fd; errors are of no use to a caller that is done with it. */
    static void close(int fd) {
        try {
            int ignored = (int) CLOSE.invokeExact(Arena.ofAuto().allocate(STATE), fd);
        } catch (Throwable e) {
            throw new IllegalStateException("close", e);
        }
    }

    /** Returns libc's text for errno, e.g. "Address already in use". */
    static String strerror(int errno) {
        try {
            MemorySegment text = (MemorySegment) STRERROR.invokeExact(errno);
            return text.getString(0);
        } catch (Throwable e) {
            return "errno " + errno;
        }
    }

    private interface Call {
        long invoke() throws Throwable;
    }

    private long check(String name, Call call) throws Failure {
        while (true) {
            long result;
            try {
                result = call.invoke();
            } catch (Error | RuntimeException e) {
                throw e;
            } catch (Throwable e) {
                throw new IllegalStateException(name, e);
            }
            if (result >= 0) {
                return result;
            }
            int errno = (int) ERRNO.get(state, 0L);
            if (errno != EINTR) {
                throw new Failure(name, errno);
            }
        }
    }

    @Override
    public void close() {
        arena.close();
    }
}
