// SPDX-License-Identifier: Apache-2.0
// Readiness: whether a server that prints no ready line listens yet: a new socket file that accepts, or a port that accepts.
package dev.udsinterop.harness.server;

import dev.udsinterop.harness.transport.Endpoint;
import dev.udsinterop.harness.transport.Transport;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Map;

/**
 * The fallback readiness check. A socket file only counts if it is not the file that was at
 * the path when the server was started (compared by inode, type and change time, as a
 * freed inode number is soon given out again), so a stale file, or the socket of a live
 * server the new one should refuse to replace, is never taken for readiness.
 */
final class Readiness {
    private static final int CONNECT_TIMEOUT_MS = 200;
    private static final int S_IFMT = 0170000;
    private static final int S_IFSOCK = 0140000;

    private final ServerSpec.Launch launch;
    private final Map<String, Object> fileBefore;

    /** Call before the server starts: remembers what is at the socket path now. */
    Readiness(ServerSpec.Launch launch) {
        this.launch = launch;
        this.fileBefore = identity(launch.socket());
    }

    /** Returns where the server should listen on {@code transport}; an abstract name is known from its ready line only. */
    Endpoint expected(Transport transport) {
        return switch (transport) {
            case UNIX -> Endpoint.unix(launch.socket());
            case TCP -> Endpoint.tcp("127.0.0.1", launch.port());
            case SEQPACKET -> Endpoint.seqpacket(ServerSpec.besides(launch.socket(), "seqpacket"));
            case DATAGRAM -> Endpoint.datagram(ServerSpec.besides(launch.socket(), "datagram"));
            case ABSTRACT -> Endpoint.abstractName("stream", "uds-interop-(its ready line)");
        };
    }

    /** Returns true if the server accepts on {@code transport} now; seqpacket, datagram and abstract need a ready line. */
    boolean accepts(Transport transport) {
        if (!transport.isStream()) {
            return false;
        }
        Endpoint endpoint = expected(transport);
        if (transport == Transport.UNIX) {
            Map<String, Object> file = identity(launch.socket());
            if (file == null || file.equals(fileBefore) || !isSocket(file)) {
                return false;
            }
            try (SocketChannel ignored = SocketChannel.open(endpoint.socketAddress())) {
                return true;
            } catch (IOException e) {
                return false;
            }
        }
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(endpoint.host(), endpoint.port()), CONNECT_TIMEOUT_MS);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Returns the file at {@code path} as inode, device, mode (with the type) and change time, or null if none. */
    private static Map<String, Object> identity(Path path) {
        try {
            return Files.readAttributes(path, "unix:ino,dev,mode,ctime", LinkOption.NOFOLLOW_LINKS);
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return null;
        }
    }

    private static boolean isSocket(Map<String, Object> file) {
        return file.get("mode") instanceof Integer mode && (mode & S_IFMT) == S_IFSOCK;
    }
}
