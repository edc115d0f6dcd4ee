// SPDX-License-Identifier: Apache-2.0
// ServerException: a server under test could not be started, signalled or made ready; the message says which and why.
package dev.udsinterop.harness.server;

import dev.udsinterop.harness.verdict.Failure;
import dev.udsinterop.harness.verdict.FailureKind;

/**
 * A server under test misbehaved at the process level. The message is {@code op server address: cause}, the shape
 * of a {@link Failure}'s, which {@link #failure} makes of it.
 */
public class ServerException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String op;
    private final String server;
    private final transient Object address;
    private final String cause;

    /** {@code op server address: cause}, e.g. {@code start java unix:/tmp/uds-1/echo.sock: exited with status 1 ...}. */
    public ServerException(String op, String server, Object address, String cause) {
        super(op + " " + server + " " + address + ": " + cause, null, false, false);
        this.op = op;
        this.server = server;
        this.address = address;
        this.cause = cause;
    }

    /** A failure that names no server (e.g. no free port): {@link #failure} puts it in the start of the case's. */
    public ServerException(String message) {
        super(message, null, false, false);
        this.op = null;
        this.server = null;
        this.address = null;
        this.cause = message;
    }

    /**
     * Returns this as a case's failure of {@code kind}: {@code op server address: cause}, or for an exception that
     * names no server, {@code start SERVER TRANSPORT: message} with the case's {@code serverId} and {@code transport}.
     */
    public Failure failure(FailureKind kind, String serverId, Object transport) {
        return op == null ? Failure.of(kind, "start", serverId, transport, cause)
                : Failure.of(kind, op, server, address, cause);
    }
}
