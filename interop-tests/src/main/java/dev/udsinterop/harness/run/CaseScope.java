// SPDX-License-Identifier: Apache-2.0
// CaseScope: the ScenarioContext of one scenario case; it owns every process and directory the scenario makes.
package dev.udsinterop.harness.run;

import dev.udsinterop.harness.fixture.InteropCase;
import dev.udsinterop.harness.host.Workspace;
import dev.udsinterop.harness.scenario.Health;
import dev.udsinterop.harness.scenario.ScenarioContext;
import dev.udsinterop.harness.server.LocalRuntime;
import dev.udsinterop.harness.server.RunningServer;
import dev.udsinterop.harness.server.ServerPool;
import dev.udsinterop.harness.server.ServerProcess;
import dev.udsinterop.harness.server.ServerSpec;
import dev.udsinterop.harness.transport.Transport;
import dev.udsinterop.harness.verdict.Failure;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Lives for one case; {@link #close()} kills what the scenario started and removes its directories. The servers it
 * hands out ready ({@link #startFresh()}, {@link #shared()}) are the ones the case expects alive at its end, unless
 * the scenario signalled them: {@link #probeSurvivors()} holds a scenario to that, as the probe after an echo case does.
 */
final class CaseScope implements ScenarioContext, AutoCloseable {
    private final InteropCase testCase;
    private final ServerSpec server;
    private final Transport transport;
    private final Duration timeout;
    private final ServerPool<ServerProcess> pool;
    private final LocalRuntime servers;
    private final Workspace workspace = new Workspace();
    private final List<ServerProcess> processes = new ArrayList<>();
    /** The servers started in directories of the runtime, which it deletes once they are closed. */
    private final List<ServerProcess> fresh = new ArrayList<>();
    private final Set<ServerProcess> handedOut = new LinkedHashSet<>();

    CaseScope(InteropCase testCase, ServerSpec server, Transport transport, Duration timeout,
              ServerPool<ServerProcess> pool, LocalRuntime servers) {
        this.testCase = testCase;
        this.server = server;
        this.transport = transport;
        this.timeout = timeout;
        this.pool = pool;
        this.servers = servers;
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
        ServerProcess process = servers.launch(server, socket);
        processes.add(process);
        return process;
    }

    @Override
    public RunningServer startFresh(List<String> extra) {
        ServerProcess started = servers.start(server, transport, extra);
        processes.add(started);
        fresh.add(started);
        handedOut.add(started);
        return started;
    }

    @Override
    public RunningServer restartAt(RunningServer old) {
        ServerProcess next = launch(old.socket());
        next.awaitReady(transport, timeout);
        return next;
    }

    @Override
    public Failure check(RunningServer server, String context) throws InterruptedException {
        return Health.check(server, context);
    }

    @Override
    public boolean socketFileExists(RunningServer server) {
        return Files.exists(server.socket(), LinkOption.NOFOLLOW_LINKS);
    }

    /** Every client here runs as this JVM's user. */
    @Override
    public String probeAsOtherUser(RunningServer server) {
        throw new UnsupportedOperationException("the local runtime has clients of one user only");
    }

    @Override
    public RunningServer shared() throws InterruptedException {
        ServerProcess started = pool.acquire(server, transport);
        handedOut.add(started);
        return started;
    }

    /**
     * Probes every server handed out ready that the scenario did not signal; returns null if each still echoes, else
     * the first failure ({@code server-died} for one that exited). A scenario that passed its own checks on a server
     * that died meanwhile (fd-baseline once read a dead server's descriptor count as -1, below any baseline) fails here.
     */
    Failure probeSurvivors() throws InterruptedException {
        for (ServerProcess started : handedOut) {
            if (!started.signalled()) {
                Failure f = Health.check(started, "after the case");
                if (f != null) {
                    return f;
                }
            }
        }
        return null;
    }

    @Override
    public void close() {
        processes.forEach(ServerProcess::close);
        fresh.forEach(servers::remove); // closed above: this deletes their directories
        workspace.close();
    }
}
