// SPDX-License-Identifier: Apache-2.0
// ConnectRefusal (Java 22+): makes a listening Unix domain socket refuse new clients with libc's shutdown(2), via java.lang.foreign.
package dev.udsinterop.server;

import java.io.IOException;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Makes a listening Unix domain socket refuse new clients while its backlog can still be
 * accepted: on Linux, {@code shutdown(fd, SHUT_RD)} of a listening AF_UNIX socket makes
 * {@code connect} fail with ECONNREFUSED (checked under the same lock that queues a client),
 * and {@code accept} still returns the clients already queued. (For TCP it would drop the
 * backlog instead, so it is never used there.)
 *
 * <p>The JDK does not give out a channel's descriptor. It is found from outside: the kernel's
 * table of Unix domain sockets ({@code /proc/net/unix}) names the inode of the listening socket
 * bound to the channel's address, and {@code /proc/self/fd} the descriptor of that inode. The
 * caller keeps the channel open meanwhile, so the number cannot be reused for another socket.
 */
final class ConnectRefusal {
    private static final int SHUT_RD = 0;
    private static final String ACCEPTING = "00010000"; // __SO_ACCEPTCON in /proc/net/unix's Flags

    private ConnectRefusal() {
    }

    /** Refuses new clients on {@code channel}, a listening Unix domain socket; returns false when that failed. */
    static boolean refuse(ServerSocketChannel channel) {
        try {
            int fd = descriptor(channel);
            if (fd < 0) {
                return false;
            }
            Linker linker = Linker.nativeLinker();
            MethodHandle shutdown = linker.downcallHandle(linker.defaultLookup().find("shutdown").orElseThrow(),
                    FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
            return (int) shutdown.invokeExact(fd, SHUT_RD) == 0;
        } catch (Throwable e) { // no /proc, no libc shutdown, no native access: the caller goes on without
            return false;
        }
    }

    /** Returns the descriptor of {@code channel}, or -1 when it cannot be found. */
    private static int descriptor(ServerSocketChannel channel) throws IOException {
        String path = ((UnixDomainSocketAddress) channel.getLocalAddress()).getPath().toString();
        Set<String> inodes = new HashSet<>();
        List<String> lines = Files.readAllLines(Path.of("/proc/net/unix"));
        for (String line : lines.subList(1, lines.size())) {
            // Num: RefCount Protocol Flags Type St Inode Path (the path may hold spaces: it is the rest)
            String[] fields = line.trim().split("\\s+", 8);
            if (fields.length == 8 && fields[3].equals(ACCEPTING) && fields[7].equals(path)) {
                inodes.add("socket:[" + fields[6] + "]");
            }
        }
        if (inodes.isEmpty()) {
            return -1;
        }
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(Path.of("/proc/self/fd"))) {
            for (Path fd : fds) {
                try {
                    if (inodes.contains(Files.readSymbolicLink(fd).toString())) {
                        return Integer.parseInt(fd.getFileName().toString());
                    }
                } catch (IOException e) {
                    // closed meanwhile: not ours
                }
            }
        }
        return -1;
    }
}
