// SPDX-License-Identifier: Apache-2.0
// ServerSpec: a server under test as data: its id, a command template with {unix}/{port} placeholders, or an image.
package dev.udsinterop.harness.server;

import dev.udsinterop.harness.transport.Transport;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * How to start a server under test: the one description every source of servers makes
 * (the bundled servers, {@code check --server-cmd}, the JUnit contract, mutants).
 *
 * <p>The command is a template: each {@value #UNIX} becomes the socket path the harness
 * picks (a fresh path in a private temporary directory), each {@value #PORT} a free TCP
 * port on 127.0.0.1, or 0 for a server that always prints its ready lines (it picks the
 * port, its ready line says which, and no other process can take the port in between).
 * The placeholders decide the transports the server is tested on.
 * The server is ready once it prints {@code listening unix:PATH} / {@code listening
 * tcp:HOST:PORT} on stdout; unless {@code readyLine} is set, also once a new socket file
 * at the path accepts, or the port accepts.
 *
 * @param id short name used in test names and reports, e.g. {@code java}
 * @param description one line for people
 * @param command the program and its arguments, with placeholders; run without a shell
 * @param readyLine true if the server always prints ready lines: readiness then waits for
 *     them only (a probing connection could disturb a server that is not ready for it)
 * @param image the container image the server ships as, or null for a local command
 *     (the container runtime reads it; the local runtime runs {@code command})
 */
public record ServerSpec(String id, String description, List<String> command, boolean readyLine, String image) {
    /** The placeholder for the socket path. */
    public static final String UNIX = "{unix}";
    /** The placeholder for the TCP port, on 127.0.0.1. */
    public static final String PORT = "{port}";
    /** The file name of the socket in the directory the harness gives each server. */
    public static final String SOCKET_NAME = "echo.sock";

    public ServerSpec {
        Objects.requireNonNull(id, "id");
        if (id.isBlank()) {
            throw new IllegalArgumentException("a server id must not be blank");
        }
        description = description == null ? id : description;
        command = List.copyOf(command);
        if (command.isEmpty() && image == null) {
            throw new IllegalArgumentException("server " + id + ": no command");
        }
    }

    /** A server started by {@code template}, whose readiness is its ready line or its listening socket. */
    public static ServerSpec of(String id, String description, List<String> template) {
        return new ServerSpec(id, description, template, false, null);
    }

    /**
     * A server started by the command line {@code line}, split into words without a shell
     * ({@link CommandWords}), named after its program's file name.
     *
     * @throws IllegalArgumentException if {@code line} cannot be split
     */
    public static ServerSpec command(String line) {
        List<String> words = CommandWords.split(line);
        String program = Path.of(words.get(0)).getFileName().toString();
        return of(program, line, words);
    }

    /** Returns this spec for a server that always prints its ready lines. */
    public ServerSpec announcingReadiness() {
        return new ServerSpec(id, description, command, true, image);
    }

    /** Returns the transports the template's placeholders imply: unix for {@value #UNIX}, tcp for {@value #PORT}. */
    public Set<Transport> transports() {
        Set<Transport> transports = EnumSet.noneOf(Transport.class);
        if (uses(UNIX)) {
            transports.add(Transport.UNIX);
        }
        if (uses(PORT)) {
            transports.add(Transport.TCP);
        }
        return transports;
    }

    private boolean uses(String placeholder) {
        return command.stream().anyMatch(word -> word.contains(placeholder));
    }

    /**
     * Returns the command for a server with its socket at {@code socket} and, if the template
     * has one, a free port (0 if the server announces the port it got in its ready line).
     */
    public Launch launch(Path socket) {
        int port = uses(PORT) && !readyLine ? FreePort.pick() : 0;
        List<String> words = new ArrayList<>(command.size());
        for (String word : command) {
            words.add(word.replace(UNIX, socket.toString()).replace(PORT, Integer.toString(port)));
        }
        return new Launch(words, socket, port);
    }

    /** The command of one start: the template filled in, and where the server should listen. */
    public record Launch(List<String> command, Path socket, int port) {
        public Launch {
            command = List.copyOf(command);
        }
    }
}
