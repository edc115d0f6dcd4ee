// SPDX-License-Identifier: Apache-2.0
// ListenAddress: where the server listens, a Unix domain socket path or a TCP host and port.
package dev.udsinterop.server;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

/**
 * An address to listen on: {@link Unix} or {@link Tcp}. Parsed from the command line
 * and validated at this boundary, so the listeners only see well-formed values.
 */
public sealed interface ListenAddress permits ListenAddress.Unix, ListenAddress.Tcp {

    /** The network name used in ready lines and errors: {@code unix} or {@code tcp}. */
    String network();

    /** A Unix domain socket at {@code path}. */
    record Unix(SocketPath path) implements ListenAddress {
        @Override
        public String network() {
            return "unix";
        }

        @Override
        public String toString() {
            return path.toString();
        }
    }

    /** A TCP listener on {@code host} (a name or an IP literal) and {@code port} (0 picks a free one). */
    record Tcp(String host, int port) implements ListenAddress {
        public Tcp {
            if (port < 0 || port > 65535) {
                throw ConfigurationException.listen("tcp", host + ":" + port, "port out of range 0..65535");
            }
        }

        /**
         * Parses {@code HOST:PORT}, where HOST may be a name, an IPv4 literal, an IPv6 literal in
         * brackets ({@code [::1]:0}) or empty (all interfaces).
         *
         * @throws ConfigurationException if the text is not of that form
         */
        public static Tcp parse(String text) {
            int colon = text.lastIndexOf(':');
            if (colon < 0) {
                throw ConfigurationException.listen("tcp", text, "missing port (want HOST:PORT, e.g. 127.0.0.1:0)");
            }
            String host = text.substring(0, colon);
            if (host.startsWith("[") && host.endsWith("]")) {
                host = host.substring(1, host.length() - 1);
            } else if (host.contains(":")) {
                throw ConfigurationException.listen("tcp", text, "an IPv6 host must be in brackets, e.g. [::1]:0");
            }
            String port = text.substring(colon + 1);
            try {
                return new Tcp(host, Integer.parseInt(port));
            } catch (NumberFormatException e) {
                throw ConfigurationException.listen("tcp", text, "port '" + port + "' is not a number");
            }
        }

        /** Resolves the host; an empty host means every interface. */
        InetSocketAddress resolve() {
            if (host.isEmpty()) {
                return new InetSocketAddress(port);
            }
            try {
                return new InetSocketAddress(InetAddress.getByName(host), port);
            } catch (UnknownHostException e) {
                throw ConfigurationException.listen("tcp", this, "unknown host '" + host + "'");
            }
        }

        @Override
        public String network() {
            return "tcp";
        }

        /** Returns the host as written in {@code HOST:PORT}: an IPv6 literal in brackets. */
        String hostText() {
            return host.contains(":") ? "[" + host + "]" : host;
        }

        @Override
        public String toString() {
            return hostText() + ":" + port;
        }
    }
}
