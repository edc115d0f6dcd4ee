// SPDX-License-Identifier: Apache-2.0
// Endpoint: where a running server listens, as its ready line announced it.
package dev.udsinterop.harness.transport;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Path;
import java.util.Objects;

/**
 * A listening address: a socket path for {@link Transport#UNIX}, {@link Transport#SEQPACKET} and
 * {@link Transport#DATAGRAM}, a host and port for {@link Transport#TCP}, an abstract name for
 * {@link Transport#ABSTRACT} (with the kind of socket bound to it, {@code socket}). Parsed from a
 * ready line: {@code listening unix:/path}, {@code listening tcp:127.0.0.1:4242},
 * {@code listening seqpacket:/path}, {@code listening datagram:@name}, {@code listening unix:@name}.
 *
 * @param socket the kind of socket: {@code stream}, {@code seqpacket} or {@code datagram}
 * @param name an abstract name without its {@code @}, or null
 */
public record Endpoint(Transport transport, Path path, String host, int port, String socket, String name) {
    private static final String READY = "listening ";

    public Endpoint {
        Objects.requireNonNull(transport, "transport");
        socket = socket == null ? "stream" : socket;
    }

    public static Endpoint unix(Path path) {
        return new Endpoint(Transport.UNIX, path, null, 0, "stream", null);
    }

    public static Endpoint tcp(String host, int port) {
        return new Endpoint(Transport.TCP, null, host, port, "stream", null);
    }

    public static Endpoint seqpacket(Path path) {
        return new Endpoint(Transport.SEQPACKET, path, null, 0, "seqpacket", null);
    }

    public static Endpoint datagram(Path path) {
        return new Endpoint(Transport.DATAGRAM, path, null, 0, "datagram", null);
    }

    /** An abstract name, {@code @name}, with a socket of kind {@code socket} bound to it. */
    public static Endpoint abstractName(String socket, String name) {
        return new Endpoint(Transport.ABSTRACT, null, null, 0, socket, name);
    }

    /**
     * Parses a ready line, or returns null if {@code line} is not one.
     */
    public static Endpoint fromReadyLine(String line) {
        if (!line.startsWith(READY)) {
            return null;
        }
        String rest = line.substring(READY.length()).strip();
        int colon = rest.indexOf(':');
        if (colon < 0) {
            return null;
        }
        String kind = rest.substring(0, colon);
        String address = rest.substring(colon + 1);
        if (kind.equals("tcp")) {
            int last = address.lastIndexOf(':');
            if (last > 0) {
                try {
                    String host = address.substring(0, last).replace("[", "").replace("]", "");
                    return tcp(host, Integer.parseInt(address.substring(last + 1)));
                } catch (NumberFormatException e) {
                    return null;
                }
            }
            return null;
        }
        String socket = switch (kind) {
            case "unix" -> "stream";
            case "seqpacket", "datagram" -> kind;
            default -> null;
        };
        if (socket == null || address.isEmpty()) {
            return null;
        }
        if (address.startsWith("@")) {
            return address.length() > 1 ? abstractName(socket, address.substring(1)) : null;
        }
        return switch (socket) {
            case "seqpacket" -> seqpacket(Path.of(address));
            case "datagram" -> datagram(Path.of(address));
            default -> unix(Path.of(address));
        };
    }

    /**
     * Returns this endpoint's socket file in {@code directory}, the same kind of socket: the file as another side of a
     * mount sees it. An abstract name or a TCP address is returned as it is.
     */
    public Endpoint in(Path directory) {
        return path == null ? this : new Endpoint(transport, directory.resolve(path.getFileName()), host, port, socket, name);
    }

    /** Returns true if this is an abstract name. */
    public boolean isAbstract() {
        return name != null;
    }

    /** Returns the address a client connects to or sends to: the path, or {@code @name}. */
    public String address() {
        return isAbstract() ? "@" + name : transport == Transport.TCP ? hostPort() : path.toString();
    }

    /** Returns the JDK socket address to connect to (stream sockets on paths and TCP only). */
    public SocketAddress socketAddress() {
        return transport == Transport.UNIX ? UnixDomainSocketAddress.of(path) : new InetSocketAddress(host, port);
    }

    /** Returns {@code host:port} with an IPv6 host in brackets (TCP only). */
    public String hostPort() {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }

    /** Returns the word of ready lines for the socket: {@code unix}, {@code tcp}, {@code seqpacket}, {@code datagram}. */
    public String kindWord() {
        return transport == Transport.TCP ? "tcp" : socket.equals("stream") ? "unix" : socket;
    }

    /** Returns {@code unix:/path}, {@code tcp:host:port}, {@code seqpacket:@name}, ..., as in ready lines. */
    @Override
    public String toString() {
        return kindWord() + ":" + address();
    }
}
