// SPDX-License-Identifier: Apache-2.0
// ServerSpec: a server under test as data: its id and the command that starts it.
package dev.udsinterop.harness.server;

import dev.udsinterop.harness.transport.Transport;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * How to start a server under test. The harness appends {@code --unix PATH} or
 * {@code --tcp 127.0.0.1:0} to {@code command}, and expects the server to print
 * {@code listening unix:PATH} / {@code listening tcp:HOST:PORT} on stdout once it accepts.
 *
 * @param id short name used in test names and reports, e.g. {@code java}
 * @param description one line for people
 * @param command the program and its fixed arguments
 */
public record ServerSpec(String id, String description, List<String> command) {
    /** The file name of the socket in the directory the harness gives each server. */
    public static final String SOCKET_NAME = "echo.sock";

    public ServerSpec {
        command = List.copyOf(command);
    }

    /** Returns the full command to listen on {@code transport}, with the socket in {@code directory}. */
    public List<String> commandFor(Transport transport, Path directory) {
        return commandFor(transport == Transport.UNIX
                ? List.of("--unix", directory.resolve(SOCKET_NAME).toString())
                : List.of("--tcp", "127.0.0.1:0"));
    }

    /** Returns the command with {@code arguments} appended. */
    public List<String> commandFor(List<String> arguments) {
        List<String> full = new ArrayList<>(command);
        full.addAll(arguments);
        return full;
    }
}
