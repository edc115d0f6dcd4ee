// SPDX-License-Identifier: Apache-2.0
// BenchServer: a participant of the benchmark: an id, and the ServerSpecs that start it on each transport.
package dev.udsinterop.harness.bench;

import dev.udsinterop.harness.ProjectLayout;
import dev.udsinterop.harness.server.BundledServers;
import dev.udsinterop.harness.server.ServerSpec;
import dev.udsinterop.harness.transport.Transport;
import java.util.List;

/**
 * A server the benchmark measures: one or more {@link ServerSpec}s (socat needs one command per transport).
 * A transport is measured with the first spec whose template listens on it, and skipped, visibly, when none does.
 * Only the bundled servers have an image, so only they run in the container rows.
 */
record BenchServer(String id, String description, List<ServerSpec> specs, boolean bundled) {

    BenchServer {
        specs = List.copyOf(specs);
    }

    /** Returns the spec that listens on {@code transport}, or null if none does. */
    ServerSpec spec(Transport transport) {
        return specs.stream().filter(s -> s.transports().contains(transport)).findFirst().orElse(null);
    }

    /** The servers the benchmark knows by name, in report order: java, go-echo, c-epoll, socat. */
    static List<BenchServer> bundled(ProjectLayout layout) {
        List<ServerSpec> shipped = BundledServers.all(layout);
        ServerSpec cEpoll = ServerSpec.of("c-epoll", "a single-threaded C epoll loop (c-server/epoll-echo.c)",
                List.of(ProjectLayout.require(layout.cEpollServer()).toString(),
                        "--unix", ServerSpec.UNIX, "--tcp", "127.0.0.1:" + ServerSpec.PORT)).announcingReadiness();
        return List.of(
                of(shipped.stream().filter(s -> s.id().equals("java")).findFirst().orElseThrow(), true),
                of(shipped.stream().filter(s -> s.id().equals("go-echo")).findFirst().orElseThrow(), true),
                of(cEpoll, true),
                // -t 30: socat's default 0.5 s after a half-close cuts the echo of a cat that starts slowly under load.
                new BenchServer("socat", "socat with fork and EXEC:cat, a process pair per connection", List.of(
                        ServerSpec.of("socat", "socat, unix", List.of("socat", "-t", "30",
                                "UNIX-LISTEN:" + ServerSpec.UNIX + ",fork", "EXEC:cat")),
                        ServerSpec.of("socat", "socat, tcp", List.of("socat", "-t", "30",
                                "TCP-LISTEN:" + ServerSpec.PORT + ",bind=127.0.0.1,reuseaddr,fork", "EXEC:cat"))), true));
    }

    /**
     * Returns a server given as {@code --server-cmd}, split as {@code check} splits it ({@link ServerSpec#command}),
     * named {@code id}.
     *
     * @throws IllegalArgumentException if the command cannot be split or has no placeholder
     */
    static BenchServer ofCommand(String id, String command) {
        ServerSpec spec = ServerSpec.command(command);
        if (spec.transports().isEmpty()) {
            throw new IllegalArgumentException("--server-cmd '" + command + "': want a command with "
                    + ServerSpec.UNIX + " and/or " + ServerSpec.PORT);
        }
        return of(ServerSpec.of(id, spec.description(), spec.command()), false);
    }

    private static BenchServer of(ServerSpec spec, boolean bundled) {
        return new BenchServer(spec.id(), spec.description(), List.of(spec), bundled);
    }
}
