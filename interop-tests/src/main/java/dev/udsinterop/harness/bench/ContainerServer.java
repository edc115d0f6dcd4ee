// SPDX-License-Identifier: Apache-2.0
// ContainerServer: a benchmarked server in a container, measured by loadgen in another container (docker exec).
package dev.udsinterop.harness.bench;

import dev.udsinterop.harness.container.ContainerException;
import dev.udsinterop.harness.container.ServerContainer;
import dev.udsinterop.harness.transport.Endpoint;
import dev.udsinterop.harness.transport.Transport;
import java.time.Duration;
import java.util.List;

/**
 * A server of the container rows. loadgen runs in the loadgen container, so the client's cost is measured by
 * loadgen itself (getrusage), as on this machine; the {@code docker exec} around it is outside every figure.
 * The server's CPU time is read from /proc by the host pid of the container's main process, which is the
 * server: its threads and reaped children count (socat's forks), the engine's shim and proxy do not.
 */
final class ContainerServer implements ServerUnderLoad {
    private final BenchContainers containers;
    private final String id;
    private final ServerContainer container;
    private final Endpoint endpoint;
    private final long pid;
    private final List<String> command;
    private final boolean quick;

    /**
     * {@code endpoint} is where loadgen connects in its container (the socket in the shared volume, or the
     * server's address), {@code pid} the host pid of the container's main process, {@code command} the image,
     * program and arguments it runs (for the report).
     */
    ContainerServer(BenchContainers containers, String id, ServerContainer container, Endpoint endpoint, long pid,
            List<String> command, boolean quick) {
        this.containers = containers;
        this.id = id;
        this.container = container;
        this.endpoint = endpoint;
        this.pid = pid;
        this.command = List.copyOf(command);
        this.quick = quick;
    }

    @Override
    public String id() {
        return id;
    }

    Endpoint endpoint() {
        return endpoint;
    }

    /** The image, program and arguments it runs, for the report. */
    List<String> command() {
        return command;
    }

    @Override
    public Transport transport() {
        return endpoint.transport();
    }

    @Override
    public String runtime() {
        return BenchReport.CONTAINER;
    }

    @Override
    public long pid() {
        return pid;
    }

    @Override
    public boolean isAlive() {
        return container.isAlive();
    }

    @Override
    public String evidence() {
        return container.evidence();
    }

    /** Idle is never measured between containers ({@link Workload#inContainers()}): {@code whileHeld} is not called. */
    @Override
    public Loadgen.Result load(Workload workload, Runnable whileHeld) {
        BenchContainers.Exec exec;
        try {
            exec = containers.loadgen(Loadgen.arguments(workload, quick, runtime(), endpoint),
                    Duration.ofSeconds(Loadgen.GRACE_SECONDS));
        } catch (ContainerException e) {
            throw new BenchException(e.getMessage());
        }
        String last = exec.stdout().strip().lines().reduce((a, b) -> b).orElse(null);
        return Loadgen.result(workload, endpoint, exec.status(), last, exec.stderr());
    }

    @Override
    public void close() {
        container.close();
    }
}
