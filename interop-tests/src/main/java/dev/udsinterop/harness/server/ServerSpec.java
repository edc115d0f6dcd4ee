// SPDX-License-Identifier: Apache-2.0
// ServerSpec: a server under test as data: its id, a command template with {unix}/{port}/... placeholders, or an image.
package dev.udsinterop.harness.server;

import dev.udsinterop.harness.fixture.InteropCase;
import dev.udsinterop.harness.host.Programs;
import dev.udsinterop.harness.host.Remedy;
import dev.udsinterop.harness.transport.Transport;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
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
 * {@value #SEQPACKET} and {@value #DATAGRAM} become socket paths beside the {@value #UNIX} one,
 * for a SOCK_SEQPACKET and a SOCK_DGRAM socket; each {@value #ABSTRACT} a fresh name in Linux's
 * abstract namespace ({@code @uds-interop-...}), a different one at each place it appears.
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
 * @param image how the server runs in a container, or null for a command on this machine only
 *     (the container runtimes read it; the local runtime runs {@code command})
 * @param unsupported the features the server declares it cannot serve ({@code fdpass}, {@code seqpacket},
 *     {@code datagram}, {@code abstract}), each for every transport or, as {@code feature@transport}, for one:
 *     their cases are {@code unsupported}, neither passed nor failed
 * @param missingPackage the Debian package of the command's program, a bundled server's interpreter found on PATH
 *     (python3, node), when it is not installed here: the server's cases on this machine are skipped, named up front
 *     ({@link #missing()}); null when nothing is missing
 */
public record ServerSpec(String id, String description, List<String> command, boolean readyLine, Image image,
                         Set<String> unsupported, String missingPackage) {
    /** The placeholder for the socket path. */
    public static final String UNIX = "{unix}";
    /** The placeholder for the TCP port, on 127.0.0.1. */
    public static final String PORT = "{port}";
    /** The placeholder for a SOCK_SEQPACKET socket path. */
    public static final String SEQPACKET = "{seqpacket}";
    /** The placeholder for a SOCK_DGRAM socket path. */
    public static final String DATAGRAM = "{datagram}";
    /** The placeholder for a fresh abstract name, {@code @name}: a different one at each place it appears. */
    public static final String ABSTRACT = "{abstract}";
    /** The file name of the socket in the directory the harness gives each server. */
    public static final String SOCKET_NAME = "echo.sock";
    private static final SecureRandom RANDOM = new SecureRandom();

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
        unsupported = unsupported == null ? Set.of() : Set.copyOf(unsupported);
    }

    /** A spec that declares nothing unsupported. */
    public ServerSpec(String id, String description, List<String> command, boolean readyLine, Image image) {
        this(id, description, command, readyLine, image, Set.of(), null);
    }

    /** Returns this spec declaring {@code features} unsupported (see {@link #unsupported()}). */
    public ServerSpec unsupporting(String... features) {
        Set<String> all = new java.util.TreeSet<>(unsupported);
        all.addAll(List.of(features));
        return new ServerSpec(id, description, command, readyLine, image, all, missingPackage);
    }

    /**
     * Returns this spec for a server whose program, the first word of its command, is looked up on PATH and may be
     * missing on a machine that has only Java (the release bundle): {@code aptPackage} names the Debian package that
     * provides it, when it is not installed.
     */
    public ServerSpec fromPath(String aptPackage) {
        return new ServerSpec(id, description, command, readyLine, image, unsupported,
                Programs.isInstalled(command.getFirst()) ? null : aptPackage);
    }

    /**
     * Returns the server's program and how to install it when it is not installed here, e.g. {@code python3 (apt-get
     * install python3)}, or null when nothing is missing: run names these before it starts.
     */
    public String missing() {
        return missingPackage == null ? null : command.getFirst() + " (apt-get install " + missingPackage + ")";
    }

    /** Returns why the server cannot start on this machine, its program is not installed, or null. */
    public String notInstalled() {
        return missingPackage == null ? null : command.getFirst() + " is not installed: " + Remedy.install(missingPackage);
    }

    /**
     * Returns true if {@code declaration} is one {@link #unsupporting} takes: a feature of {@link InteropCase#FEATURES}
     * alone (on every transport), or as {@code feature@transport}, which {@link #lacks} reads.
     */
    public static boolean isDeclaration(String declaration) {
        String[] parts = declaration.split("@", -1);
        return InteropCase.FEATURES.contains(parts[0]) && (parts.length == 1
                || parts.length == 2 && Arrays.stream(Transport.values()).anyMatch(t -> t.id().equals(parts[1])));
    }

    /** Returns true if the server declares it cannot serve {@code feature} on {@code transport}. */
    public boolean lacks(String feature, Transport transport) {
        return feature != null && (unsupported.contains(feature) || unsupported.contains(feature + "@" + transport.id()));
    }

    /**
     * How a server runs in a container: an image, the program in it and its arguments.
     *
     * @param name the image: an image of docker/ that the harness builds ({@code java-server}, {@code go-reference},
     *     {@code bench-servers}, {@code polyglot}) when {@code built}, else a tag the engine has ({@code check --server-image})
     * @param built whether {@code name} is an image of docker/
     * @param entrypoint the program, or empty for the image's ENTRYPOINT
     * @param arguments with {@value #UNIX} (a path under /sock) and {@value #PORT} (the runtime's port, on 0.0.0.0)
     */
    public record Image(String name, boolean built, List<String> entrypoint, List<String> arguments) {
        /** The arguments of every bundled server: both transports, tcp on every interface of the container. */
        public static final List<String> LISTEN = List.of("--unix", UNIX, "--tcp", "0.0.0.0:" + PORT);

        public Image {
            entrypoint = List.copyOf(entrypoint);
            arguments = List.copyOf(arguments);
        }

        /** An image of docker/ running {@code entrypoint} (empty: its ENTRYPOINT) with {@link #LISTEN}. */
        public static Image built(String name, String... entrypoint) {
            return new Image(name, true, List.of(entrypoint), LISTEN);
        }

        /** Returns this image with {@code more} after its arguments (e.g. the sockets beyond byte streams). */
        public Image listeningAlso(List<String> more) {
            List<String> all = new ArrayList<>(arguments);
            all.addAll(more);
            return new Image(name, built, entrypoint, all);
        }

        /**
         * Returns the arguments with the socket at {@code socket} and tcp on {@code port}; {@value #SEQPACKET} and
         * {@value #DATAGRAM} beside the socket (in the container's socket directory, which the runtimes share), each
         * {@value #ABSTRACT} a fresh abstract name.
         */
        public List<String> arguments(String socket, int port) {
            return fillSockets(fill(arguments, socket, port), Path.of(socket));
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
        return new ServerSpec(id, description, command, true, image, unsupported, missingPackage);
    }

    /** Returns this spec running as the image {@code image} in the container runtimes. */
    public ServerSpec inImage(Image image) {
        return new ServerSpec(id, description, command, readyLine, image, unsupported, missingPackage);
    }

    /** Returns this spec named {@code newId}. */
    public ServerSpec named(String newId) {
        return new ServerSpec(newId, description, command, readyLine, image, unsupported, missingPackage);
    }

    /** Returns this spec with {@code extra} after its arguments, here and in its image (e.g. {@code --mode 0666}). */
    public ServerSpec withArguments(List<String> extra) {
        List<String> words = new ArrayList<>(command);
        words.addAll(extra);
        Image more = null;
        if (image != null) {
            List<String> arguments = new ArrayList<>(image.arguments());
            arguments.addAll(extra);
            more = new Image(image.name(), image.built(), image.entrypoint(), arguments);
        }
        return new ServerSpec(id, description, words, readyLine, more, unsupported, missingPackage);
    }

    /**
     * Returns the transports the template's placeholders imply: unix for {@value #UNIX}, tcp for {@value #PORT},
     * seqpacket, datagram and abstract for {@value #SEQPACKET}, {@value #DATAGRAM} and {@value #ABSTRACT}.
     */
    public Set<Transport> transports() {
        Set<Transport> transports = EnumSet.noneOf(Transport.class);
        if (uses(UNIX)) {
            transports.add(Transport.UNIX);
        }
        if (uses(PORT)) {
            transports.add(Transport.TCP);
        }
        if (uses(SEQPACKET)) {
            transports.add(Transport.SEQPACKET);
        }
        if (uses(DATAGRAM)) {
            transports.add(Transport.DATAGRAM);
        }
        if (uses(ABSTRACT)) {
            transports.add(Transport.ABSTRACT);
        }
        return transports;
    }

    /** Whether the command (for a server only in an image, its arguments there) has {@code placeholder}. */
    private boolean uses(String placeholder) {
        List<String> template = command.isEmpty() ? image.arguments() : command;
        return template.stream().anyMatch(word -> word.contains(placeholder));
    }

    /**
     * Returns the command for a server with its socket at {@code socket} and, if the template
     * has one, a free port (0 if the server announces the port it got in its ready line).
     */
    public Launch launch(Path socket) {
        int port = uses(PORT) && !readyLine ? FreePort.pick() : 0;
        return new Launch(fillSockets(fill(command, socket.toString(), port), socket), socket, port);
    }

    /**
     * Returns the path of the {@code kind} socket of the server whose {@value #UNIX} is {@code socket}: beside it, named
     * after it ({@code s47.sock} gives {@code s47.seqpacket.sock}), as scenarios start several servers in one directory.
     */
    public static Path besides(Path socket, String kind) {
        String name = socket.getFileName().toString();
        String stem = name.endsWith(".sock") ? name.substring(0, name.length() - ".sock".length()) : name;
        return socket.resolveSibling(stem + "." + kind + ".sock");
    }

    /**
     * Returns {@code words} with {@value #SEQPACKET} and {@value #DATAGRAM} as paths beside {@code socket} and each
     * {@value #ABSTRACT} as a fresh abstract name, numbered by where it appears.
     */
    static List<String> fillSockets(List<String> words, Path socket) {
        String names = "@uds-interop-" + Long.toHexString(RANDOM.nextLong() >>> 16);
        int[] seen = {0};
        return words.stream().map(w -> {
            String out = w.replace(SEQPACKET, besides(socket, "seqpacket").toString())
                    .replace(DATAGRAM, besides(socket, "datagram").toString());
            while (out.contains(ABSTRACT)) {
                out = out.replaceFirst(java.util.regex.Pattern.quote(ABSTRACT), names + "-" + seen[0]++);
            }
            return out;
        }).toList();
    }

    /** Returns {@code template} with every {@value #UNIX} as {@code socket} and every {@value #PORT} as {@code port}. */
    static List<String> fill(List<String> template, String socket, int port) {
        return template.stream().map(w -> w.replace(UNIX, socket).replace(PORT, Integer.toString(port))).toList();
    }

    /** The command of one start: the template filled in, and where the server should listen. */
    public record Launch(List<String> command, Path socket, int port) {
        public Launch {
            command = List.copyOf(command);
        }
    }
}
