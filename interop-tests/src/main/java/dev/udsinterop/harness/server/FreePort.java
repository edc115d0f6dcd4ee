// SPDX-License-Identifier: Apache-2.0
// FreePort: a TCP port on 127.0.0.1 that nobody listens on right now, for a {port} placeholder.
package dev.udsinterop.harness.server;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/**
 * Asks the kernel for a free ephemeral port and lets it go again. Another process may take
 * it before the server binds it; the runner starts such a server once more when it exits
 * before it was ready.
 */
final class FreePort {
    private FreePort() {
    }

    static int pick() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new ServerException("pick a free port on 127.0.0.1: " + e.getMessage());
        }
    }
}
