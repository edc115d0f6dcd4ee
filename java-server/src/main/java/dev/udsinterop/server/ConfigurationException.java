// SPDX-License-Identifier: Apache-2.0
// ConfigurationException: the server was asked for something it refuses (exit status 2); the message is one line.
package dev.udsinterop.server;

/**
 * Thrown when the server's configuration cannot be honoured: a bad address, a path that is
 * not a socket, a live server already on the path, a missing directory, no permission.
 * The message is a single line in the form {@code op net address: cause}, for example
 * {@code listen unix /tmp/x/echo.sock: a regular file is in the way}. It is meant for the
 * user, so it carries no stack trace.
 */
public final class ConfigurationException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ConfigurationException(String message) {
        super(message, null, false, false);
    }

    static ConfigurationException listen(String net, Object address, String cause) {
        return new ConfigurationException("listen " + net + " " + address + ": " + cause);
    }
}
