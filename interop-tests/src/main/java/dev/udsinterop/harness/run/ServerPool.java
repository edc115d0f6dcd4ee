// SPDX-License-Identifier: Apache-2.0
// ServerPool: keeps one server under test running for the cases that share it, and replaces it when a case breaks it.
package dev.udsinterop.harness.run;

import dev.udsinterop.harness.host.Workspace;
import dev.udsinterop.harness.scenario.ScenarioContext;
import dev.udsinterop.harness.server.ServerProcess;
import dev.udsinterop.harness.server.ServerProcesses;
import dev.udsinterop.harness.server.ServerSpec;
import dev.udsinterop.harness.transport.Transport;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The running server for the current server and transport. The matrix is ordered so that
 * cases sharing a server are adjacent; asking for another server stops the current one.
 * After a case that did not pass, the runner discards the server, so that no case starts
 * against a server an earlier case may have damaged.
 */
final class ServerPool implements AutoCloseable {
    static final Duration READY_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration STOP_GRACE = Duration.ofSeconds(10);

    private final ServerProcesses servers;
    private final Workspace workspace;
    private ServerSpec spec;
    private Transport transport;
    private ScenarioContext.Started current;

    ServerPool(ServerProcesses servers, Workspace workspace) {
        this.servers = servers;
        this.workspace = workspace;
    }

    /**
     * Returns the running server for {@code spec} on {@code transport}, starting it if need be.
     *
     * @throws dev.udsinterop.harness.server.ServerException if it does not start
     */
    ScenarioContext.Started acquire(ServerSpec spec, Transport transport) {
        ScenarioContext.Started running;
        synchronized (this) {
            running = current;
        }
        if (running != null && spec.equals(this.spec) && transport == this.transport && running.process().isAlive()) {
            return running;
        }
        discard();
        ScenarioContext.Started started = start(servers, spec, transport, workspace, READY_TIMEOUT);
        synchronized (this) {
            current = started;
            this.spec = spec;
            this.transport = transport;
        }
        return started;
    }

    /**
     * Starts {@code spec} through {@code servers} with its socket in a new directory and waits until it listens on
     * {@code transport}. A server with a {@value ServerSpec#PORT} that exits before it is
     * ready is started once more with another port: another process may have taken the
     * free port it was given.
     */
    static ScenarioContext.Started start(ServerProcesses servers, ServerSpec spec, Transport transport, Workspace workspace,
                                         Duration timeout) {
        for (int attempt = 1; ; attempt++) {
            Path dir = workspace.newDirectory();
            ServerProcess process;
            try {
                process = servers.start(spec, dir.resolve(ServerSpec.SOCKET_NAME));
            } catch (RuntimeException e) {
                workspace.delete(dir);
                throw e;
            }
            try {
                return new ScenarioContext.Started(process, process.awaitReady(transport, timeout), dir);
            } catch (RuntimeException e) {
                boolean exited = !process.isAlive();
                process.close();
                workspace.delete(dir);
                if (attempt > 1 || !exited || !spec.transports().contains(Transport.TCP)) {
                    throw e;
                }
            }
        }
    }

    /** Stops the current server, if any. Safe to call from another thread (a run's time ceiling). */
    void discard() {
        ScenarioContext.Started stopping;
        synchronized (this) {
            stopping = current;
            current = null;
        }
        if (stopping != null) {
            stopping.process().stop(STOP_GRACE);
            workspace.delete(stopping.directory());
        }
    }

    @Override
    public void close() {
        discard();
    }
}
