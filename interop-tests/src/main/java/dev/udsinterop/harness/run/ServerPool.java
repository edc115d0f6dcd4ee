// SPDX-License-Identifier: Apache-2.0
// ServerPool: keeps one server under test running for the cases that share it, and replaces it when a case breaks it.
package dev.udsinterop.harness.run;

import dev.udsinterop.harness.host.Workspace;
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
    private ServerProcess current;

    ServerPool(ServerProcesses servers, Workspace workspace) {
        this.servers = servers;
        this.workspace = workspace;
    }

    /**
     * Returns the running server for {@code spec} on {@code transport}, starting it if need be.
     *
     * @throws dev.udsinterop.harness.server.ServerException if it does not start
     */
    ServerProcess acquire(ServerSpec spec, Transport transport) {
        ServerProcess running;
        synchronized (this) {
            running = current;
        }
        if (running != null && spec.equals(this.spec) && transport == this.transport && running.isAlive()) {
            return running;
        }
        discard();
        ServerProcess started = start(servers, spec, transport, workspace, READY_TIMEOUT);
        synchronized (this) {
            current = started;
            this.spec = spec;
            this.transport = transport;
        }
        return started;
    }

    /**
     * Starts {@code spec} through {@code servers} with its socket in a new directory and waits until it listens on
     * {@code transport} (its {@link ServerProcess#endpoint()}). A server with a {@value ServerSpec#PORT} that exits
     * before it is ready is started once more with another port: another process may have taken the free port it was
     * given.
     */
    static ServerProcess start(ServerProcesses servers, ServerSpec spec, Transport transport, Workspace workspace,
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
                process.awaitReady(transport, timeout);
                return process;
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
        ServerProcess stopping;
        synchronized (this) {
            stopping = current;
            current = null;
        }
        if (stopping != null) {
            stopping.stop(STOP_GRACE);
            workspace.delete(stopping.socket().getParent());
        }
    }

    @Override
    public void close() {
        discard();
    }
}
