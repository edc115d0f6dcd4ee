// SPDX-License-Identifier: Apache-2.0
// Transport: the two kinds of stream socket the matrix covers.
package dev.udsinterop.harness.transport;

import java.util.Locale;

/** A Unix domain stream socket, or TCP on loopback. */
public enum Transport {
    UNIX, TCP;

    /** Returns the name used on command lines, in ready lines and in reports: {@code unix} or {@code tcp}. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
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
        throw new IllegalArgumentException("unknown transport '" + id + "' (want unix or tcp)");
    }

    @Override
    public String toString() {
        return id();
    }
}
