// SPDX-License-Identifier: Apache-2.0
// ReliabilityContext: what every reliability trial needs: the checkout, the local runtime, a private directory, quick or full, progress.
package dev.udsinterop.harness.reliability;

import dev.udsinterop.harness.ProjectLayout;
import dev.udsinterop.harness.peer.Probe;
import dev.udsinterop.harness.server.BundledServers;
import dev.udsinterop.harness.server.LocalRuntime;
import dev.udsinterop.harness.server.RunningServer;
import dev.udsinterop.harness.server.ServerSpec;
import dev.udsinterop.harness.transport.Endpoint;
import dev.udsinterop.harness.transport.Transport;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

/**
 * The setting of one reliability run. {@code quick} trials take seconds and run in the test
 * suite; full ones are {@code ./uds-interop soak}. Every server starts through {@code servers}, which kills any a
 * trial left running when the run ends.
 */
record ReliabilityContext(ProjectLayout layout, LocalRuntime servers, Path dir, boolean quick, Consumer<String> progress) {
    static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    static final Duration EXIT_TIMEOUT = Duration.ofSeconds(60);
    static final Duration ECHO_TIMEOUT = Duration.ofSeconds(30);
    /** The peak RSS the Java server may reach under any trial (the target). */
    static final long RSS_LIMIT_KIB = 96 * 1024;

    /** The Java server's spec with {@code extra} options after its listen options. */
    ServerSpec javaServer(String... extra) {
        return BundledServers.all(layout).stream().filter(s -> s.id().equals("java")).findFirst().orElseThrow()
                .withArguments(List.of(extra));
    }

    /** Starts the Java server on {@code socket} and waits for it to listen there. */
    RunningServer startJava(Path socket, String... extra) {
        return servers.startAt(javaServer(extra), socket, Transport.UNIX, START_TIMEOUT);
    }

    /** Echoes {@code payload} through the socket at {@code socket} and returns what came back (at most {@link #ECHO_TIMEOUT}). */
    static byte[] echo(Path socket, byte[] payload) throws IOException, InterruptedException {
        return Probe.roundTrip(Endpoint.unix(socket), payload, ECHO_TIMEOUT);
    }

    Path soakClient() {
        return ProjectLayout.require(layout.goBinary("soak-client"));
    }
}
