// SPDX-License-Identifier: Apache-2.0
// StreamRights (Java 21): a Unix stream connection's bytes without descriptors; Java 22+ uses META-INF/versions/22.
package dev.udsinterop.server;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

/**
 * The descriptors (SCM_RIGHTS) that come with a Unix stream connection's bytes, received with
 * them and sent back with their echo: one per event loop. This is the Java 21 version, which
 * has no final foreign function API: it finds no descriptor number for any channel, so every
 * connection is read and written through its channel, and the JDK's reads drop passed
 * descriptors (the server declares that: fdpass on unix unsupported on Java 21).
 */
final class StreamRights {
    /** No descriptors. */
    static final int[] NONE = new int[0];

    private StreamRights() {
    }

    /** Returns the rights of one event loop, reading into its {@code buffer}. */
    static StreamRights forLoop(ByteBuffer buffer) {
        return new StreamRights();
    }

    /** Returns true if this Java passes descriptors on Unix stream connections: false. */
    static boolean supported() {
        return false;
    }

    /** Returns the descriptor number to read {@code channel} by, or -1 to read it through the channel: -1. */
    int descriptor(SocketChannel channel) {
        return -1;
    }

    /** Never called here: {@link #descriptor} gives no number. */
    int read(int fd, ByteBuffer buffer) throws IOException {
        throw new UnsupportedOperationException("no descriptor passing on Java " + Runtime.version().feature());
    }

    /** Returns the descriptors the last {@link #read} received: none. */
    int[] received() {
        return NONE;
    }

    /** Never called here: nothing is ever received. */
    int write(int fd, ByteBuffer buffer, int[] fds) throws IOException {
        throw new UnsupportedOperationException("no descriptor passing on Java " + Runtime.version().feature());
    }

    /** Closes the server's copies of {@code fds}: there are none here. */
    static void closeAll(int[] fds) {
    }
}
