// SPDX-License-Identifier: Apache-2.0
// Endpoint: where a running server listens, as its ready line announced it.
package dev.udsinterop.harness.transport;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Path;
import java.util.Objects;

/**
 * A listening address: a socket path for {@link Transport#UNIX}, a host and port for
 * {@link Transport#TCP}. Parsed from a ready line, {@code listening unix:/path} or
 * {@code listening tcp:127.0.0.1:4242}.
 */
public record Endpoint(Transport transport, Path path, String host, int port) {
    private static final String READY = "listening ";

    public Endpoint {
        Objects.requireNonNull(transport, "transport");
    }

    public static Endpoint unix(Path path) {
        return new Endpoint(Transport.UNIX, path, null, 0);
    }

    public static Endpoint tcp(String host, int port) {
        return new Endpoint(Transport.TCP, null, host, port);
    }

    /**
     * Parses a ready line, or returns null if {@code line} is not one.
     */
    public static Endpoint fromReadyLine(String line) {
        if (!line.startsWith(READY)) {
            return null;
        }
        String rest = line.substring(READY.length()).strip();
        if (rest.startsWith("unix:")) {
            return unix(Path.of(rest.substring("unix:".length())));
        }
        if (rest.startsWith("tcp:")) {
            String hostPort = rest.substring("tcp:".length());
            int colon = hostPort.lastIndexOf(':');
            if (colon > 0) {
                try {
                    String host = hostPort.substring(0, colon).replace("[", "").replace("]", "");
                    return tcp(host, Integer.parseInt(hostPort.substring(colon + 1)));
                } catch (NumberFormatException e) {
                    return null;
                }
            }
        }
        return null;
    }

    /** Returns the JDK socket address to connect to. */
    public SocketAddress socketAddress() {
        return transport == Transport.UNIX ? UnixDomainSocketAddress.of(path) : new InetSocketAddress(host, port);
    }

    /** Returns {@code host:port} with an IPv6 host in brackets (TCP only). */
    public String hostPort() {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }

    /** Returns {@code unix:/path} or {@code tcp:host:port}, as in ready lines. */
    @Override
    public String toString() {
        return transport.id() + ":" + (transport == Transport.UNIX ? path.toString() : hostPort());
    }
}
