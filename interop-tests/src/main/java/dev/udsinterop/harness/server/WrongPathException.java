// SPDX-License-Identifier: Apache-2.0
// WrongPathException: a server's ready line announced another socket path than the {unix} it was given.
package dev.udsinterop.harness.server;

/**
 * A server that listens, and says where, but not at the path the harness gave it: a server that moves
 * to {@code PATH.1} when it finds a file at {@code PATH} would otherwise pass every case at the path it
 * chose. Thrown once the ready line is read; the server is running (its starter stops it).
 */
public final class WrongPathException extends ServerException {
    private static final long serialVersionUID = 1L;

    public WrongPathException(String server, Object address, String cause) {
        super("start", server, address, cause);
    }
}
