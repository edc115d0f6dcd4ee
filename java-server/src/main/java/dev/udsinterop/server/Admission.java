// SPDX-License-Identifier: Apache-2.0
// Admission: which accepted connections the server serves: a connection limit, the allowed peer users, an idle timeout.
package dev.udsinterop.server;

import java.io.IOException;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.Set;
import jdk.net.ExtendedSocketOptions;
import jdk.net.UnixDomainPrincipal;

/**
 * The limits a deployment may set, all off by default: at most {@code maxConnections} open
 * connections (0: no limit), only peers whose user id is in {@code allowedUids} on Unix domain
 * sockets (empty: everyone the socket file's mode lets in), and {@code idleTimeout} after which
 * a connection that moved no byte is closed ({@link Duration#ZERO}: never).
 */
record Admission(int maxConnections, Set<Integer> allowedUids, Duration idleTimeout) {
    static final Admission OPEN = new Admission(0, Set.of(), Duration.ZERO);

    Admission {
        allowedUids = Set.copyOf(allowedUids);
    }

    private static final System.Logger LOG = System.getLogger(Admission.class.getName());

    /**
     * Returns whether to serve {@code channel}, just accepted on {@code listener} while
     * {@code open} connections were open. A refused peer user is logged; a connection over the
     * limit only with --verbose, since a flood would otherwise flood the log too.
     */
    boolean admits(SocketChannel channel, Listener listener, int open) throws IOException {
        if (maxConnections > 0 && open >= maxConnections) {
            LOG.log(System.Logger.Level.DEBUG, "{0}: refused a connection: {1} open (--max-connections {2})",
                    listener.endpoint(), open, maxConnections);
            return false;
        }
        if (!allowedUids.isEmpty() && !listener.isTcp()) {
            UnixDomainPrincipal peer = channel.getOption(ExtendedSocketOptions.SO_PEERCRED);
            int uid = UserId.of(peer.user());
            if (!allowedUids.contains(uid)) {
                LOG.log(System.Logger.Level.INFO, "{0}: refused peer user {1} (uid {2}): not in --allow-uid",
                        listener.endpoint(), peer.user().getName(), Integer.toString(uid));
                return false;
            }
        }
        return true;
    }

    boolean hasIdleTimeout() {
        return idleTimeout.isPositive();
    }
}
