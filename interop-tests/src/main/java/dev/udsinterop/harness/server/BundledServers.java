// SPDX-License-Identifier: Apache-2.0
// BundledServers: the servers this repository ships or measures against, each with the image it runs as in a container.
package dev.udsinterop.harness.server;

import dev.udsinterop.harness.ProjectLayout;
import dev.udsinterop.harness.server.ServerSpec.Image;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The servers of this repository as {@link ServerSpec}s, in report order: the command here and the image of
 * docker/ each runs as in the container runtimes. A new bundled server is one entry here plus its Dockerfile.
 */
public final class BundledServers {
    private static final List<String> LISTEN = List.of("--unix", ServerSpec.UNIX, "--tcp", "127.0.0.1:" + ServerSpec.PORT);
    /**
     * The sockets beyond byte streams, of the servers that serve them: seqpacket and datagram on paths, and each kind on
     * an abstract name of its own. The container images of those servers are given them too: the seqpacket and
     * datagram sockets beside the stream socket in the shared socket directory (docs/containers.md).
     */
    public static final List<String> SOCKETS = List.of("--seqpacket", ServerSpec.SEQPACKET, "--datagram", ServerSpec.DATAGRAM,
            "--unix", ServerSpec.ABSTRACT, "--seqpacket", ServerSpec.ABSTRACT, "--datagram", ServerSpec.ABSTRACT);
    /** The C epoll server's sockets beyond byte streams: seqpacket and datagram on paths (no abstract names). */
    private static final List<String> C_EPOLL_SOCKETS = List.of("--seqpacket", ServerSpec.SEQPACKET, "--datagram",
            ServerSpec.DATAGRAM);
    /** Where bench-servers has the static C epoll server, when the build made one. */
    private static final String C_EPOLL_IN_IMAGE = "/opt/uds/bin/epoll-echo";
    /** Where the polyglot image has the Python, Node.js and Rust servers. */
    private static final String POLYGLOT_IN_IMAGE = "/opt/uds/bin/";

    private BundledServers() {
    }

    /**
     * Returns the servers of the conformance matrix: the Java server, the Go echo server, the Go seed server, and
     * the same contract in Python, Node.js, Rust and C (docs/server.md, "Other languages").
     *
     * @throws ProjectLayout.MissingArtifactException if one of them has not been built
     */
    public static List<ServerSpec> all(ProjectLayout layout) {
        return List.of(java(layout, true), goEcho(layout, true),
                ServerSpec.of("go-seed", "the seed post's Go server, bugs kept (go-reference/cmd/seed-server)",
                        command(ProjectLayout.require(layout.goBinary("seed-server")).toString())).announcingReadiness()
                        .inImage(Image.built("go-reference", "/seed-server")),
                python(layout), node(layout), rust(layout), cEpoll(layout, true));
    }

    /**
     * Returns the servers the benchmark measures side by side: the Java server, the Go echo server, a C epoll
     * loop and socat (one spec per transport: socat listens on one address). The C server has an image where the
     * build could link it statically.
     *
     * @throws ProjectLayout.MissingArtifactException if one of them has not been built
     */
    public static List<ServerSpec> benchmarked(ProjectLayout layout) {
        // -t 30: socat's default 0.5 s after a half-close cuts the echo of a cat that starts slowly under load.
        String socat = "socat with fork and EXEC:cat, a process pair per connection";
        return List.of(java(layout, false), goEcho(layout, false), cEpoll(layout, false), python(layout), node(layout), rust(layout),
                new ServerSpec("socat", socat, List.of("socat", "-t", "30", "UNIX-LISTEN:" + ServerSpec.UNIX + ",fork",
                        "EXEC:cat"), false, new Image("bench-servers", true, List.of("socat"), List.of("-t", "30",
                        "UNIX-LISTEN:" + ServerSpec.UNIX + ",fork", "EXEC:cat"))),
                new ServerSpec("socat", socat, List.of("socat", "-t", "30", "TCP-LISTEN:" + ServerSpec.PORT
                        + ",bind=127.0.0.1,reuseaddr,fork", "EXEC:cat"), false, new Image("bench-servers", true,
                        List.of("socat"), List.of("-t", "30", "TCP-LISTEN:" + ServerSpec.PORT + ",reuseaddr,fork",
                        "EXEC:cat"))));
    }

    /**
     * The Java server. On Java 22+ it also serves seqpacket, datagram and abstract names (java.lang.foreign), and
     * passes descriptors on seqpacket and stream sockets (on paths too: StreamRights). On Java 21 it serves stream
     * sockets only, drops passed descriptors, which it declares (fdpass@unix), and is given nothing else.
     */
    private static ServerSpec java(ProjectLayout layout, boolean sockets) {
        List<String> command = javaCommand(layout);
        Image image = Image.built("java-server");
        // the server runs on this JVM (javaCommand), in its image on a JRE linked from this JDK (Jre)
        if (sockets && Runtime.version().feature() >= 22) {
            command = new ArrayList<>(command);
            command.addAll(SOCKETS);
            image = image.listeningAlso(SOCKETS);
        }
        return ServerSpec.of("java", "the Java server (java-server, selector loops)", command)
                .announcingReadiness().inImage(image)
                .unsupporting(Runtime.version().feature() >= 22 ? new String[0] : new String[] {"fdpass@unix"});
    }

    private static ServerSpec goEcho(ProjectLayout layout, boolean sockets) {
        List<String> command = new ArrayList<>(command(ProjectLayout.require(layout.goBinary("echo-server")).toString()));
        Image image = Image.built("go-reference", "/echo-server");
        if (sockets) {
            command.addAll(SOCKETS);
            image = image.listeningAlso(SOCKETS);
        }
        return ServerSpec.of("go-echo", "the Go reference echo server (go-reference/cmd/echo-server)", command)
                .announcingReadiness().inImage(image);
    }

    /** The C epoll server, in an image where the build could link it statically. */
    private static ServerSpec cEpoll(ProjectLayout layout, boolean sockets) {
        List<String> command = new ArrayList<>(command(ProjectLayout.require(layout.cEpollServer()).toString()));
        Image image = Image.built("bench-servers", C_EPOLL_IN_IMAGE);
        if (sockets) {
            command.addAll(C_EPOLL_SOCKETS);
            image = image.listeningAlso(C_EPOLL_SOCKETS);
        }
        // plain reads and writes drop passed descriptors: declared, as the seqpacket transport has fdpass cases
        ServerSpec cEpoll = ServerSpec.of("c-epoll", "a single-threaded C epoll loop (c-server/epoll-echo.c)", command)
                .announcingReadiness().unsupporting("fdpass");
        if (Files.isRegularFile(layout.cEpollStaticServer())) {
            cEpoll = cEpoll.inImage(image);
        }
        return cEpoll;
    }

    private static ServerSpec python(ProjectLayout layout) {
        return ServerSpec.of("python", "the Python server (polyglot/python/echo_server.py, asyncio)",
                command("python3", ProjectLayout.require(layout.pythonServer()).toString())).announcingReadiness()
                .inImage(Image.built("polyglot", "python3", POLYGLOT_IN_IMAGE + "echo_server.py")).fromPath("python3");
    }

    private static ServerSpec node(ProjectLayout layout) {
        return ServerSpec.of("node", "the Node.js server (polyglot/node/echo-server.js, net)",
                command("node", ProjectLayout.require(layout.nodeServer()).toString())).announcingReadiness()
                .inImage(Image.built("polyglot", "node", POLYGLOT_IN_IMAGE + "echo-server.js")).fromPath("nodejs");
    }

    private static ServerSpec rust(ProjectLayout layout) {
        return ServerSpec.of("rust", "the Rust server (polyglot/rust, std threads)",
                command(ProjectLayout.require(layout.rustBinary("echo-server")).toString())).announcingReadiness()
                .inImage(Image.built("polyglot", POLYGLOT_IN_IMAGE + "echo-server"));
    }

    /** The Java server's template: this JVM's java, the server's JVM flags file when there is one, the jar. */
    private static List<String> javaCommand(ProjectLayout layout) {
        List<String> words = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java")));
        Path options = layout.home().resolve("java-server/jvm.options");
        if (Files.isRegularFile(options)) {
            words.add("@" + options);
        }
        words.addAll(List.of("-jar", ProjectLayout.require(layout.javaServerJar()).toString()));
        return command(words.toArray(String[]::new));
    }

    private static List<String> command(String... program) {
        List<String> words = new ArrayList<>(List.of(program));
        words.addAll(LISTEN);
        return words;
    }
}
