// SPDX-License-Identifier: Apache-2.0
// RunningServer: one benchmarked server process on one transport: started, awaited, measured, stopped.
package dev.udsinterop.harness.bench;

import dev.udsinterop.harness.server.ServerException;
import dev.udsinterop.harness.server.ServerProcess;
import dev.udsinterop.harness.server.ServerSpec;
import dev.udsinterop.harness.transport.Endpoint;
import dev.udsinterop.harness.transport.Transport;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A server listening on one transport for the whole run, so that a JIT compiler warms up across rounds.
 * Readiness is the server package's: the ready line, or for servers that print none (socat) the socket or
 * port accepting.
 */
final class RunningServer implements ServerUnderLoad {
    /** Generous: a JVM starting on a loaded 2-core machine. */
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

    private final BenchServer server;
    private final ServerProcess process;
    private final Endpoint endpoint;
    private final Loadgen loadgen;

    private RunningServer(BenchServer server, ServerProcess process, Endpoint endpoint, Loadgen loadgen) {
        this.server = server;
        this.process = process;
        this.endpoint = endpoint;
        this.loadgen = loadgen;
    }

    /**
     * Starts {@code server} on {@code transport}, its socket in {@code directory}, and waits until it accepts.
     *
     * @throws ServerException if it cannot start, exits, or is not ready within a minute
     */
    static RunningServer start(BenchServer server, Transport transport, Path directory, Loadgen loadgen) {
        ServerProcess process = ServerProcess.start(server.spec(transport), directory.resolve(ServerSpec.SOCKET_NAME));
        try {
            return new RunningServer(server, process, process.awaitReady(transport, READY_TIMEOUT), loadgen);
        } catch (ServerException e) {
            process.close();
            throw e;
        }
    }

    @Override
    public String id() {
        return server.id();
    }

    @Override
    public Transport transport() {
        return endpoint.transport();
    }

    @Override
    public String runtime() {
        return BenchReport.LOCAL;
    }

    @Override
    public long pid() {
        return process.pid();
    }

    @Override
    public boolean isAlive() {
        return process.isAlive();
    }

    @Override
    public String evidence() {
        return process.evidence();
    }

    @Override
    public Loadgen.Result load(Workload workload, Runnable whileHeld) {
        return loadgen.run(workload, endpoint, whileHeld);
    }

    @Override
    public void close() {
        process.stop(Duration.ofSeconds(5));
    }
}
