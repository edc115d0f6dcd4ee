// SPDX-License-Identifier: Apache-2.0
// ServerException: a server under test could not be started, signalled or made ready; the message says which and why.
package dev.udsinterop.harness.server;

/** A server under test misbehaved at the process level. The message is {@code op server: cause}. */
public class ServerException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ServerException(String message) {
        super(message, null, false, false);
    }
}
