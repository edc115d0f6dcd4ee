// SPDX-License-Identifier: Apache-2.0
// ServerProcesses: the server processes of one run, started under the lock that its stop takes, so a stopped run starts none.
package dev.udsinterop.harness.server;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Every server process a run starts goes through here. {@link #stopAll} stops the live ones (TERM, then KILL after
 * a grace) and refuses every start from then on; as a start checks that under the same lock, a process is either
 * started before the stop, and stopped by it, or not started at all: a run stopped by a signal, or by its time
 * limit, while it was starting a replacement server leaves no server behind.
 */
public final class ServerProcesses {
    private final List<ServerProcess> live = new ArrayList<>();
    private boolean stopping;

    /**
     * Starts {@code spec} with its socket at {@code socket}, as {@link ServerProcess#start} does.
     *
     * @throws ServerException if the run is stopping, or if the program cannot be started
     */
    public synchronized ServerProcess start(ServerSpec spec, Path socket) {
        if (stopping) {
            throw new ServerException("start " + spec.id() + ": the run is stopping, no server is started any more");
        }
        live.removeIf(p -> !p.isAlive());
        ServerProcess process = ServerProcess.start(spec, socket);
        live.add(process);
        return process;
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
}
