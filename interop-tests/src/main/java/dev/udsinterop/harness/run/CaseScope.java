// SPDX-License-Identifier: Apache-2.0
// CaseScope: the ScenarioContext of one scenario case; it owns every process and directory the scenario makes.
package dev.udsinterop.harness.run;

import dev.udsinterop.harness.fixture.InteropCase;
import dev.udsinterop.harness.scenario.ScenarioContext;
import dev.udsinterop.harness.server.ServerProcess;
import dev.udsinterop.harness.server.ServerSpec;
import dev.udsinterop.harness.transport.Transport;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Lives for one case; {@link #close()} kills what the scenario started and removes its directories. */
final class CaseScope implements ScenarioContext, AutoCloseable {
    private final InteropCase testCase;
    private final ServerSpec server;
    private final Transport transport;
    private final Duration timeout;
    private final ServerPool pool;
    private final Workspace workspace = new Workspace();
    private final List<ServerProcess> processes = new ArrayList<>();

    CaseScope(InteropCase testCase, ServerSpec server, Transport transport, Duration timeout, ServerPool pool) {
        this.testCase = testCase;
        this.server = server;
        this.transport = transport;
        this.timeout = timeout;
        this.pool = pool;
    }

    @Override
    public InteropCase testCase() {
        return testCase;
    }

    @Override
    public ServerSpec server() {
        return server;
    }

    @Override
    public Transport transport() {
        return transport;
    }

    @Override
    public Duration timeout() {
        return timeout;
    }

    @Override
    public Path newDirectory() {
        return workspace.newDirectory();
    }

    @Override
    public ServerProcess launch(Path socket) {
        ServerProcess process = ServerProcess.start(server, socket);
        processes.add(process);
        return process;
    }

    @Override
    public Started startFresh() {
        Started started = ServerPool.start(server, transport, workspace, ServerPool.READY_TIMEOUT);
        processes.add(started.process());
        return started;
    }

    @Override
    public Started shared() {
        return pool.acquire(server, transport);
    }

    @Override
    public void close() {
        processes.forEach(ServerProcess::close);
        workspace.close();
    }
}
