// SPDX-License-Identifier: Apache-2.0
// ContainerCaseScope: a scenario's means in a container runtime: servers in containers (or here, for cross-client), probes from the clients' side.
package dev.udsinterop.harness.container;

import dev.udsinterop.harness.fixture.InteropCase;
import dev.udsinterop.harness.matrix.MatrixEntry;
import dev.udsinterop.harness.scenario.ScenarioContext;
import dev.udsinterop.harness.server.RunningServer;
import dev.udsinterop.harness.server.ServerProcess;
import dev.udsinterop.harness.server.ServerSpec;
import dev.udsinterop.harness.transport.Endpoint;
import dev.udsinterop.harness.transport.Transport;
import dev.udsinterop.harness.verdict.Failure;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Lives for one scenario case of a container runtime and removes every server it started when it ends. The
 * scenarios are the local runtime's ({@code signal-exit}, {@code stale-restart}) and {@code other-uid}: a signal goes
 * to the server as PID 1 through the engine, the socket file is looked for where the clients mount the socket
 * directory, and every probe comes from a client of the runtime, as the case's clients would connect.
 */
final class ContainerCaseScope implements ScenarioContext, AutoCloseable {

    private final ContainerRuntime runtime;
    private final MatrixEntry entry;
    private final Duration timeout;
    private final List<RunningServer> started = new ArrayList<>();
    /** Where the runtime's clients reach each server started here. */
    private final Map<RunningServer, Endpoint> endpoints = new HashMap<>();

    ContainerCaseScope(ContainerRuntime runtime, MatrixEntry entry, Duration timeout) {
        this.runtime = runtime;
        this.entry = entry;
        this.timeout = timeout;
    }

    @Override
    public InteropCase testCase() {
        return entry.testCase();
    }

    @Override
    public ServerSpec server() {
        return entry.server();
    }

    @Override
    public Transport transport() {
        return entry.transport();
    }

    @Override
    public Duration timeout() {
        return timeout;
    }

    @Override
    public Path newDirectory() {
        throw new UnsupportedOperationException("the " + runtime.kind() + " runtime makes no directories here");
    }

    @Override
    public ServerProcess launch(Path socket) {
        throw new UnsupportedOperationException("the " + runtime.kind() + " runtime starts no process at a path here");
    }

    @Override
    public RunningServer startFresh(List<String> extra) {
        return start(extra, runtime.newSocketName());
    }

    @Override
    public RunningServer restartAt(RunningServer old) {
        return start(List.of(), old.socket().getFileName().toString());
    }

    private RunningServer start(List<String> extra, String socketName) {
        RunningServer server;
        try {
            server = runtime.start(entry.server(), entry.transport(), extra, socketName);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("start " + entry.server().id() + ": interrupted", e);
        }
        started.add(server);
        endpoints.put(server, runtime.clientEndpoint(server));
        return server;
    }

    @Override
    public RunningServer shared() {
        throw new UnsupportedOperationException("the " + runtime.kind() + " runtime shares no server with a scenario");
    }

    @Override
    public Failure check(RunningServer server, String context) throws InterruptedException {
        Endpoint endpoint = endpoints.get(server);
        String problem = runtime.client(entry.client(), null, endpoint, null, timeout, true).probe();
        if (problem == null) {
            return null;
        }
        return ContainerRuntime.stoppedServing(server, endpoint, context, problem).withDetail(server.evidence());
    }

    @Override
    public boolean socketFileExists(RunningServer server) throws InterruptedException {
        return runtime.socketFileExists(server.socket().getFileName().toString());
    }

    @Override
    public String probeAsOtherUser(RunningServer server) throws InterruptedException {
        return runtime.client(entry.client(), OTHER_USER, endpoints.get(server), null, timeout, true).probe();
    }

    @Override
    public void close() {
        started.forEach(RunningServer::close);
    }
}
