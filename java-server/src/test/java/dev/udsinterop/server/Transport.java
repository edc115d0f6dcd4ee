// SPDX-License-Identifier: Apache-2.0
// Transport: the two ways the tests reach the server, with the arguments that make it listen there.
package dev.udsinterop.server;

import java.nio.file.Path;

/** Unix domain socket or TCP on loopback; tests run once per transport. */
enum Transport {
    UNIX, TCP;

    /** Returns the server arguments to listen on this transport, a socket in {@code dir} or a free loopback port. */
    String[] serverArgs(Path dir) {
        return this == UNIX
                ? new String[] {"--unix", dir.resolve("echo.sock").toString()}
                : new String[] {"--tcp", "127.0.0.1:0"};
    }

    String network() {
        return name().toLowerCase();
    }
}
