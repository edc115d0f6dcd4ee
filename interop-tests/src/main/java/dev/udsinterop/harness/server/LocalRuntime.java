// SPDX-License-Identifier: Apache-2.0
// LocalRuntime: the servers under test as processes on this machine, in short-named directories; a stopped runtime starts none.
package dev.udsinterop.harness.server;

import dev.udsinterop.harness.host.Workspace;
import dev.udsinterop.harness.transport.Endpoint;
import dev.udsinterop.harness.transport.Transport;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Every server process of a run, a check's preflight or the reliability trials is started here, each with its socket in
 * a directory of the runtime's {@link Workspace}. {@link #stopAll} stops the live ones (TERM, then KILL after a grace)
 * and refuses every start from then on; as a start checks that under the same lock, a process is either started before
 * the stop, and stopped by it, or not started at all: a run stopped by a signal, or by its time limit, while it was
 * starting a replacement server leaves no server behind.
 */
public final class LocalRuntime implements ServerRuntime<ServerProcess>, AutoCloseable {
    /** How long a server may take to print its ready line (or accept), unless a caller says otherwise. */
    public static final Duration READY_TIMEOUT = Duration.ofSeconds(30);
    /** How long a server removed between cases gets to exit on SIGTERM before it is killed. */
    private static final Duration STOP_GRACE = Duration.ofSeconds(10);

    private final Workspace workspace = new Workspace();
    private final List<ServerProcess> live = new ArrayList<>();
    private boolean stopping;

    /**
     * Starts {@code spec} with its socket at {@code socket} (and a free port, if its template has
     * {@value ServerSpec#PORT}), as {@link ServerProcess#start} does; does not wait for it to be ready.
     *
     * @throws ServerException if the runtime is stopping, or if the program cannot be started
     */
    public synchronized ServerProcess launch(ServerSpec spec, Path socket) {
        if (stopping) {
            throw new ServerException("start", spec.id(), Endpoint.unix(socket),
                    "the run is stopping, no server is started any more");
        }
        live.removeIf(p -> !p.isAlive());
        ServerProcess process = ServerProcess.start(spec, socket);
        live.add(process);
        return process;
    }

    /**
     * Starts {@code spec} with its socket at {@code socket} and waits until it listens on {@code transport}; a server
     * that does not get there is killed.
     *
     * @throws ServerException if it does not start, exits first, or is not ready within {@code timeout}
     */
    public ServerProcess startAt(ServerSpec spec, Path socket, Transport transport, Duration timeout) {
        ServerProcess process = launch(spec, socket);
        try {
            process.awaitReady(transport, timeout);
            return process;
        } catch (RuntimeException e) {
            process.close();
            throw e;
        }
    }

    @Override
    public ServerProcess start(ServerSpec spec, Transport transport, List<String> extra) {
        return start(spec.withArguments(extra), transport, READY_TIMEOUT);
    }

    /**
     * Starts {@code spec} with its socket in a new directory and waits until it listens on {@code transport} (its
     * {@link ServerProcess#endpoint()}). A server with a {@value ServerSpec#PORT} that exits before it is ready is
     * started once more with another port: another process may have taken the free port it was given.
     */
    public ServerProcess start(ServerSpec spec, Transport transport, Duration timeout) {
        for (int attempt = 1; ; attempt++) {
            Path dir = workspace.newDirectory();
            ServerProcess process;
            try {
                process = launch(spec, dir.resolve(ServerSpec.SOCKET_NAME));
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

    /** Stops {@code server} (SIGTERM, SIGKILL after a grace) and deletes the directory {@link #start} made for it. */
    @Override
    public void remove(ServerProcess server) {
        server.stop(STOP_GRACE);
        workspace.delete(server.socket().getParent());
    }

    /**
     * Stops every live server process: SIGTERM to each at once, then SIGKILL to each that is still running
     * after {@code grace}, with whatever it started itself; returns once they have exited. Starts none from now on.
     */
    public void stopAll(Duration grace) {
        List<ServerProcess> all;
        synchronized (this) {
            stopping = true;
            all = List.copyOf(live);
            live.clear();
        }
        all.forEach(ServerProcess::terminate);
        long deadline = System.nanoTime() + grace.toNanos();
        for (ServerProcess p : all) {
            p.exitStatus(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
        }
        all.forEach(ServerProcess::close);
    }

    /** Kills every server still running (as {@link #stopAll} with no grace) and removes every directory made here. */
    @Override
    public void close() {
        stopAll(Duration.ZERO);
        workspace.close();
    }
}
