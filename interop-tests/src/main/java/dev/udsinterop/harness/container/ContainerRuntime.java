// SPDX-License-Identifier: Apache-2.0
// ContainerRuntime: the container, cross-server and cross-client runtimes: where their servers and clients run, and their echo loop.
package dev.udsinterop.harness.container;

import static org.awaitility.Awaitility.await;

import dev.udsinterop.harness.fixture.InteropCase;
import dev.udsinterop.harness.fixture.Kind;
import dev.udsinterop.harness.matrix.MatrixEntry;
import dev.udsinterop.harness.peer.Exchange;
import dev.udsinterop.harness.peer.Peer;
import dev.udsinterop.harness.peer.Probe;
import dev.udsinterop.harness.runtime.RuntimeKind;
import dev.udsinterop.harness.scenario.Scenario;
import dev.udsinterop.harness.scenario.Scenarios;
import dev.udsinterop.harness.server.RunningServer;
import dev.udsinterop.harness.server.ServerException;
import dev.udsinterop.harness.server.ServerProcess;
import dev.udsinterop.harness.server.ServerSpec;
import dev.udsinterop.harness.transport.Endpoint;
import dev.udsinterop.harness.transport.Transport;
import dev.udsinterop.harness.verdict.Failure;
import dev.udsinterop.harness.verdict.FailureKind;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.UnaryOperator;
import org.awaitility.core.ConditionTimeoutException;

/**
 * One runtime that crosses a container boundary:
 * <ul>
 * <li>{@code container}: servers in containers with a named volume at /sock and an alias on
 * the run's network; each client in its own container with the same volume and network.
 * <li>{@code cross-server}: servers in containers with a host directory bind-mounted at
 * /sock; the clients are this machine's programs, connecting to the file in that directory.
 * <li>{@code cross-client}: servers on this machine with their sockets in a host directory
 * that the client containers bind-mount at /sock.
 * </ul>
 * A server runs until a case does not pass, like the local runner's pool; each echo case is
 * followed by a probe from the same side as the client.
 */
final class ContainerRuntime implements AutoCloseable {
    static final int TCP_PORT = 7000;
    static final Duration READY_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration AGENT_MARGIN = Duration.ofSeconds(30);
    private static final Duration PROBE_INTERVAL = Duration.ofMillis(100);
    /**
     * How long a server that stopped serving is given to be reported dead: Docker reports a container's
     * exit through containerd's events, seconds late on a loaded machine (a 1 s wait judged the seed
     * server's death an error there). The wait ends as soon as the exit is reported.
     */
    static final Duration DEATH_REPORTED_WITHIN = Duration.ofSeconds(10);

    private final RuntimeKind kind;
    private final Session session;
    private final String mount;
    private final Path hostDirectory;
    private final String clientUser;
    private final String serverUser;
    private final Map<String, ClientContainer> clients = new HashMap<>();
    /**
     * Platform threads: Testcontainers' Docker transport blocks in native code (JNA), which pins
     * a virtual thread's carrier; two of them starved every other virtual thread on 2 cores.
     */
    private final ExecutorService background = Executors.newThreadPerTaskExecutor(
            Thread.ofPlatform().name("uds-interop-containers-", 0).daemon().factory());
    private ServerSpec currentSpec;
    private RunningServer current;
    private ServerSpec spareSpec;
    private Future<RunningServer> spare;

    ContainerRuntime(RuntimeKind kind, Session session) {
        this.kind = kind;
        this.session = session;
        boolean root = Session.isRoot();
        switch (kind) {
            case CONTAINER -> {
                hostDirectory = null;
                mount = session.newVolume();
                clientUser = null; // the images' user, who owns /sock and the sockets
                serverUser = null;
            }
            case CROSS_SERVER -> {
                hostDirectory = session.newBindDirectory(Images.UID);
                mount = hostDirectory.toString();
                clientUser = null;
                serverUser = root ? null : Session.hostUser(); // a non-root host user can only reach its own sockets
            }
            case CROSS_CLIENT -> {
                hostDirectory = session.newBindDirectory(0);
                mount = hostDirectory.toString();
                clientUser = Session.hostUser(); // the sockets belong to the host's user, mode 0600
                serverUser = null;
            }
            default -> throw new IllegalArgumentException("not a container runtime: " + kind);
        }
    }

    RuntimeKind kind() {
        return kind;
    }

    /**
     * Runs {@code entry}: an echo case through its client followed by a probe of the server, or one of the
     * runtime's scenario cases. A misbehaving server or client is a failure in the returned exchange, never an
     * exception.
     */
    Exchange run(MatrixEntry entry, Duration timeout) throws InterruptedException {
        try {
            return entry.testCase().kind() == Kind.ECHO ? echo(entry, timeout) : scenario(entry, timeout);
        } catch (ServerException e) { // the server did not start or never got ready, as a local server's no-start
            discard();
            return Exchange.failed(Failure.of(FailureKind.NO_START, e.getMessage()));
        } catch (ContainerException e) {
            discard();
            return Exchange.failed(Failure.of(e.getMessage()));
        } catch (RuntimeException e) { // the engine or Testcontainers failed: this case's failure, not the run's end
            discard();
            return Exchange.failed(Failure.of(kind + " runtime: " + e));
        }
    }

    /** Runs the entry's scenario with a {@link ContainerCaseScope}: the local runtime's code, this runtime's means. */
    private Exchange scenario(MatrixEntry entry, Duration timeout) throws InterruptedException {
        Scenario scenario = Scenarios.named(entry.testCase().scenario()).filter(s -> s.runtimes().contains(kind))
                .orElse(null);
        if (scenario == null) {
            return Exchange.failed(Failure.of(FailureKind.ERROR, "run", entry.server().id(), entry.transport().id(),
                    "scenario " + entry.testCase().scenario() + " does not run in the " + kind + " runtime"));
        }
        try (ContainerCaseScope scope = new ContainerCaseScope(this, entry, timeout)) {
            return new Exchange(0, 0, scenario.run(scope), List.of());
        } catch (InterruptedException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            return Exchange.failed(Failure.of(FailureKind.ERROR, "run", entry.server().id(), entry.transport().id(),
                    "scenario " + scenario.name() + ": " + e));
        }
    }

    /** Returns a socket file name not used before in this runtime's socket directory. */
    String newSocketName() {
        return "s" + session.next() + ".sock";
    }

    private Exchange echo(MatrixEntry entry, Duration timeout) throws InterruptedException {
        RunningServer server = acquire(entry.server());
        Endpoint endpoint = awaitReady(server, entry.server(), entry.client(), entry.transport());
        ClientAgent.Response r = client(entry.client(), null, endpoint, entry.testCase(), timeout, true);
        Exchange x = r.exchange();
        Failure failure = x.failure();
        if (failure == null && r.probe() != null) {
            // a server that is dying: let the evidence say how it ended, and the kind whether it did
            boolean died = server.exitStatus(DEATH_REPORTED_WITHIN) != null;
            failure = Failure.of(died ? FailureKind.SERVER_DIED : FailureKind.ERROR,
                    "the server stopped serving after the case: " + r.probe());
        }
        if (failure != null) {
            failure = failure.withDetail(server.evidence());
            discard();
        }
        return new Exchange(x.bytesSent(), x.bytesReceived(), failure, x.samples());
    }

    /**
     * Waits for the server's ready line; a server in a container that prints none (check
     * --server-image) is ready once a probe from the runtime's client side is echoed.
     */
    Endpoint awaitReady(RunningServer server, ServerSpec spec, Peer client, Transport transport) throws InterruptedException {
        if (!(server instanceof ServerContainer container)) { // cross-client: a process here, seen at /sock/NAME
            Path socket = server.awaitReady(transport, READY_TIMEOUT).path();
            return Endpoint.unix(Path.of(Session.SOCKET_DIR).resolve(socket.getFileName()));
        }
        if (spec.readyLine()) {
            return server.awaitReady(transport, READY_TIMEOUT);
        }
        Endpoint endpoint = container.expected(transport);
        String[] last = {null};
        try {
            await().atMost(READY_TIMEOUT).pollDelay(Duration.ZERO).pollInterval(PROBE_INTERVAL).until(() -> {
                last[0] = client(client, null, endpoint, null, READY_TIMEOUT, true).probe();
                return last[0] == null || !server.isAlive();
            });
        } catch (ConditionTimeoutException e) {
            throw new ServerException("start " + spec.id() + " " + endpoint + ": not ready within "
                    + READY_TIMEOUT.toMillis() + " ms (no echo from the client side: " + last[0] + ")");
        }
        if (last[0] != null) {
            throw new ServerException("start " + spec.id() + " " + endpoint + ": exited before it accepted; "
                    + server.evidence());
        }
        container.readyAt(endpoint);
        return endpoint;
    }

    /**
     * Returns the running server for {@code spec}. A server is replaced after every case that
     * did not pass (as in the local runner), which for the seed server is every other case: a
     * spare is then started in the background while the next cases run, and the old one is
     * removed in the background, so a replacement costs little more than its ready line.
     */
    private RunningServer acquire(ServerSpec spec) throws InterruptedException {
        if (current != null && spec.equals(currentSpec) && current.isAlive()) {
            return current;
        }
        discard();
        current = spec.equals(spareSpec) ? takeSpare() : null;
        if (current == null) {
            dropSpare();
            current = startServer(spec, List.of(), newSocketName());
        }
        currentSpec = spec;
        return current;
    }

    /** Replaces the current server: it is removed in the background and a spare of the same server is started. */
    private void discard() {
        if (current != null) {
            RunningServer old = current;
            current = null;
            background.submit(old::close);
            if (spare == null && currentSpec != null) {
                ServerSpec spec = currentSpec;
                String socket = newSocketName();
                spareSpec = spec;
                spare = background.submit(() -> startServer(spec, List.of(), socket));
            }
        }
    }

    private RunningServer takeSpare() throws InterruptedException {
        Future<RunningServer> f = spare;
        spare = null;
        spareSpec = null;
        try {
            return f.get(READY_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            f.cancel(true);
            return null; // it did not start (in time): start one in the foreground, which reports why
        }
    }

    private void dropSpare() {
        if (spare != null) {
            Future<RunningServer> f = spare;
            spare = null;
            spareSpec = null;
            background.submit(() -> {
                f.get().close();
                return null;
            });
        }
    }

    /** Starts {@code spec} with {@code extra} arguments, its socket named {@code socketName} in the runtime's socket directory. */
    RunningServer startServer(ServerSpec spec, List<String> extra, String socketName) {
        if (kind == RuntimeKind.CROSS_CLIENT) {
            return ServerProcess.start(spec.withArguments(extra), hostDirectory.resolve(socketName));
        }
        if (spec.image() == null) {
            throw new ContainerException("run " + spec.id() + " in a container: it is a command on this machine, not "
                    + "an image (give one with --server-image)");
        }
        ServerSpec.Image image = spec.withArguments(extra).image();
        List<String> args = image.arguments(Session.SOCKET_DIR + "/" + socketName, TCP_PORT);
        String alias = kind == RuntimeKind.CONTAINER ? "server-" + session.next() : null;
        UnaryOperator<Endpoint> view = kind == RuntimeKind.CONTAINER
                ? e -> e.transport() == Transport.TCP ? Endpoint.tcp(alias, e.port()) : e
                : e -> Endpoint.unix(hostDirectory.resolve(e.path().getFileName().toString()));
        return ServerContainer.start(session, spec.id(), session.images().tag(image), image.entrypoint(), args, mount, alias, serverUser, view,
                Path.of(Session.SOCKET_DIR, socketName), TCP_PORT);
    }

    /**
     * Runs case {@code c} (null: none) through {@code client} against {@code endpoint}, then
     * probes if {@code probe}; as {@code user} (null: the runtime's client user). Clients of the
     * cross-server runtime are this machine's.
     */
    ClientAgent.Response client(Peer client, String user, Endpoint endpoint, InteropCase c,
                                Duration timeout, boolean probe) throws InterruptedException {
        if (kind == RuntimeKind.CROSS_SERVER && user == null) {
            Exchange x = c == null ? null : client.exchange(endpoint, c, timeout);
            String p = probe && (x == null || x.passed()) ? Probe.problem(endpoint) : null;
            return new ClientAgent.Response(null, x, p);
        }
        String as = user != null ? user : clientUser;
        ClientContainer container = clients.get(client.id() + "@" + as);
        if (container == null) {
            container = ClientContainer.start(session, client.id(), mount, kind == RuntimeKind.CONTAINER, as);
            clients.put(client.id() + "@" + as, container);
        }
        return container.call(new ClientAgent.Request(c == null ? null : c.id(), endpoint.toString(), timeout.toMillis(),
                probe), timeout.plus(AGENT_MARGIN));
    }

    /** Returns whether a file named {@code socketName} is in the socket directory, looked at from a helper container or the host directory. */
    boolean socketFileExists(String socketName) throws InterruptedException {
        if (hostDirectory != null) {
            return Files.exists(hostDirectory.resolve(socketName), LinkOption.NOFOLLOW_LINKS);
        }
        return HelperContainer.exists(session, mount, Session.SOCKET_DIR + "/" + socketName);
    }

    /** Stops the server kept for the next case, and its spare. */
    void releaseServer() {
        if (current != null) {
            current.close();
            current = null;
            currentSpec = null;
        }
        dropSpare();
    }

    @Override
    public void close() {
        if (current != null) {
            current.close();
            current = null;
        }
        dropSpare();
        background.close(); // waits for the removals and the spare
        clients.values().forEach(ClientContainer::close);
        clients.clear();
    }
}
