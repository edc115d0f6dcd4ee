// SPDX-License-Identifier: Apache-2.0
// MessageAddress: an address the server binds with its own sockets: seqpacket, datagram, or a stream on an abstract name.
package dev.udsinterop.server;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Objects;

/**
 * An address the JDK's channels cannot serve, so the server binds it itself (Java 22+, see
 * {@link MessageServer}): a SOCK_SEQPACKET or SOCK_DGRAM socket on a path or an abstract name,
 * or a stream socket on an abstract name. An abstract name ({@code @name}, Linux only) is no
 * file: nothing is created or removed, and a name in use is refused by the bind.
 *
 * @param kind the socket type
 * @param name the abstract name without its {@code @}, or null for a path
 * @param path the socket file, or null for an abstract name
 */
public record MessageAddress(Kind kind, String name, SocketPath path) {

    /** The socket types, with the word ready lines and options use for them. */
    public enum Kind {
        STREAM(1), SEQPACKET(5), DATAGRAM(2);

        private final int type;

        Kind(int type) {
            this.type = type;
        }

        /** Returns the word in ready lines: {@code unix}, {@code seqpacket} or {@code datagram}. */
        public String network() {
            return this == STREAM ? "unix" : name().toLowerCase(Locale.ROOT);
        }

        /** Returns the socket type for socket(2): SOCK_STREAM, SOCK_SEQPACKET or SOCK_DGRAM. */
        int type() {
            return type;
        }
    }

    public MessageAddress {
        Objects.requireNonNull(kind, "kind");
        if ((name == null) == (path == null)) {
            throw new IllegalArgumentException("exactly one of name and path");
        }
    }

    /** Returns true if {@code text} names an abstract address, {@code @name}. */
    public static boolean isAbstract(String text) {
        return text.startsWith("@");
    }

    /**
     * Returns the address {@code text} for a socket of {@code kind}: {@code @name} or a path.
     *
     * @throws ConfigurationException if the name is empty or too long, or the path is not usable
     */
    public static MessageAddress of(Kind kind, String text) {
        if (!isAbstract(text)) {
            return new MessageAddress(kind, null, SocketPath.of(text));
        }
        String name = text.substring(1);
        int bytes = name.getBytes(StandardCharsets.UTF_8).length;
        if (name.isEmpty()) {
            throw ConfigurationException.listen(kind.network(), text, "an abstract address needs a name after the @");
        }
        if (bytes > SocketPath.MAX_BYTES - 1) { // sun_path holds the leading NUL and the name
            throw ConfigurationException.listen(kind.network(), text, "abstract name is " + bytes
                    + " bytes, longer than the " + (SocketPath.MAX_BYTES - 1) + "-byte limit for an abstract name");
        }
        return new MessageAddress(kind, name, null);
    }

    /** Returns true for an abstract name. */
    public boolean isAbstract() {
        return name != null;
    }

    /** Returns the ready line: {@code listening seqpacket:/path}, {@code listening datagram:@name}, ... */
    public String readyLine() {
        return "listening " + kind.network() + ":" + this;
    }

    /** Returns {@code @name} or the absolute path. */
    @Override
    public String toString() {
        return isAbstract() ? "@" + name : path.toString();
    }
}
