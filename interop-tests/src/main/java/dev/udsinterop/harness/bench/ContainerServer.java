// SPDX-License-Identifier: Apache-2.0
// ContainerServer: a benchmarked server in a container, measured by loadgen in another container (docker exec).
package dev.udsinterop.harness.bench;

import dev.udsinterop.harness.container.BenchContainers;
import dev.udsinterop.harness.container.BenchContainers.ServerInContainer;
import dev.udsinterop.harness.container.ContainerException;
import dev.udsinterop.harness.transport.Transport;
import java.time.Duration;

/**
 * A server of the container rows. loadgen runs in the loadgen container, so the client's cost is measured by
 * loadgen itself (getrusage), as on this machine; the {@code docker exec} around it is outside every figure.
 * The server's CPU time is read from /proc by the host pid of the container's main process, which is the
 * server: its threads and reaped children count (socat's forks), the engine's shim and proxy do not.
 */
final class ContainerServer implements ServerUnderLoad {
    private final BenchContainers containers;
    private final ServerInContainer server;
    private final boolean quick;

    ContainerServer(BenchContainers containers, ServerInContainer server, boolean quick) {
        this.containers = containers;
        this.server = server;
        this.quick = quick;
    }

    @Override
    public String id() {
        return server.id();
    }

    @Override
    public Transport transport() {
        return server.endpoint().transport();
    }

    @Override
    public String runtime() {
        return BenchReport.CONTAINER;
    }

    @Override
    public long pid() {
        return server.pid();
    }

    @Override
    public boolean isAlive() {
        return server.isAlive();
    }

    @Override
    public String evidence() {
        return server.evidence();
    }

    /** Idle is never measured between containers ({@link Workload#inContainers()}): {@code whileHeld} is not called. */
    @Override
    public Loadgen.Result load(Workload workload, Runnable whileHeld) {
        BenchContainers.Exec exec;
        try {
            exec = containers.loadgen(Loadgen.arguments(workload, quick, runtime(), server.endpoint()),
                    Duration.ofSeconds(Loadgen.GRACE_SECONDS));
        } catch (ContainerException e) {
            throw new BenchException(e.getMessage());
        }
        String last = exec.stdout().strip().lines().reduce((a, b) -> b).orElse(null);
        return Loadgen.result(workload, server.endpoint(), exec.status(), last, exec.stderr());
    }

    @Override
    public void close() {
        server.close();
    }
}
