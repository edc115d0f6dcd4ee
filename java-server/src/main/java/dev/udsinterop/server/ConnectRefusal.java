// SPDX-License-Identifier: Apache-2.0
// ConnectRefusal (Java 21): cannot make a listening socket refuse new clients; Java 22+ uses META-INF/versions/22.
package dev.udsinterop.server;

import java.nio.channels.ServerSocketChannel;

/**
 * Makes a listening Unix domain socket refuse new clients while its backlog can still be
 * accepted. This is the Java 21 version, which has no final foreign function API and so
 * cannot; the multi-release jar's Java 22 version calls {@code shutdown(2)}.
 */
final class ConnectRefusal {
    private ConnectRefusal() {
    }

    /** Returns false: this Java cannot. */
    static boolean refuse(ServerSocketChannel channel) {
        return false;
    }
}
