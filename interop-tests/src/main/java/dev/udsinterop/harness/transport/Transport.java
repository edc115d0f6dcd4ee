// SPDX-License-Identifier: Apache-2.0
// Transport: the kinds of socket the matrix covers: stream sockets (unix, tcp), seqpacket, datagram, abstract names.
package dev.udsinterop.harness.transport;

import java.util.Locale;

/**
 * A Unix domain stream socket on a path, TCP on loopback, a SOCK_SEQPACKET or SOCK_DGRAM socket on a
 * path, or any of the three kinds on a Linux abstract name ({@code @name}).
 */
public enum Transport {
    UNIX, TCP, SEQPACKET, DATAGRAM, ABSTRACT;

    /** Returns the name used on command lines, in ready lines and in reports: {@code unix}, {@code tcp}, ... */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Returns true for the stream transports every server has had from the start, unix and tcp. */
    public boolean isStream() {
        return this == UNIX || this == TCP;
    }

    /**
     * Returns the transport named {@code id}.
     *
     * @throws IllegalArgumentException for any other name
     */
    public static Transport of(String id) {
        for (Transport t : values()) {
            if (t.id().equals(id)) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown transport '" + id + "' (want unix, tcp, seqpacket, datagram or abstract)");
    }

    @Override
    public String toString() {
        return id();
    }
}
