// SPDX-License-Identifier: Apache-2.0
// Target: one benchmarked server on one transport in one runtime: the running server, where loadgen reaches it, and that loadgen.
package dev.udsinterop.harness.bench;

import dev.udsinterop.harness.server.RunningServer;
import dev.udsinterop.harness.server.ServerException;
import dev.udsinterop.harness.server.ServerProcess;
import dev.udsinterop.harness.server.ServerSpec;
import dev.udsinterop.harness.transport.Endpoint;
import dev.udsinterop.harness.transport.Transport;
import java.nio.file.Path;
import java.time.Duration;

/**
 * What a measurement is made against. The server is kept for the whole run, so that a JIT compiler warms up
 * across rounds; its CPU time and memory come from /proc by its pid on this machine, in either runtime, so that
 * both are read the same way. Only where loadgen runs differs: a process here, or {@code docker exec} in the
 * loadgen container ({@link BenchContainers}).
 *
 * @param runtime {@link BenchReport#LOCAL} or {@link BenchReport#CONTAINER}
 * @param endpoint where loadgen connects, as it sees the server
 */
record Target(String runtime, RunningServer server, Endpoint endpoint, Loadgen.Runner loadgen) implements AutoCloseable {
    /** Generous: a JVM starting on a loaded 2-core machine. */
    static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration STOP_GRACE = Duration.ofSeconds(5);

    /**
     * Starts {@code spec} here on {@code transport}, its socket in {@code directory}, and waits until it listens
     * (its ready line, or for a server that prints none, such as socat, the socket or port accepting).
     *
     * @throws ServerException if it cannot start, exits, or is not ready within a minute
     */
    static Target local(ServerSpec spec, Transport transport, Path directory, Loadgen loadgen) {
        ServerProcess process = ServerProcess.start(spec, directory.resolve(ServerSpec.SOCKET_NAME));
        try {
            return new Target(BenchReport.LOCAL, process, process.awaitReady(transport, READY_TIMEOUT), loadgen::run);
        } catch (ServerException e) {
            process.close();
            throw e;
        }
    }

    String id() {
        return server.id();
    }

    Transport transport() {
        return endpoint.transport();
    }

    /**
     * Runs loadgen's {@code workload} against the server; for idle, {@code whileHeld} runs while the connections
     * are held.
     *
     * @throws BenchException when loadgen fails (an echo was wrong, the server went away) or hangs
     */
    Loadgen.Result load(Workload workload, Runnable whileHeld) {
        return loadgen.run(workload, endpoint, whileHeld);
    }

    /** Stops the server (SIGTERM, then SIGKILL after a grace) and removes it. */
    @Override
    public void close() {
        server.stop(STOP_GRACE);
        server.close();
    }
}
