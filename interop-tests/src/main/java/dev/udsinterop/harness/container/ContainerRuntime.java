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
import dev.udsinterop.harness.server.ServerPool;
import dev.udsinterop.harness.server.ServerProcess;
import dev.udsinterop.harness.server.ServerRuntime;
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
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
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
 * A server runs until a case does not pass, kept by a {@link ServerPool} with spares, as the local runner's is;
 * each echo case is followed by a probe from the same side as the client, at the server's stream socket.
 *
 * <p>Seqpacket and datagram sockets cross the mount as stream sockets do, as files beside the stream socket. Abstract
 * names do not: they live in a network namespace. So on the datagram and abstract transports the client side shares
 * the server's network namespace ({@link #sharedNamespace}): in {@code container} the client container is started
 * with {@code --network container:<server>} (also where a datagram client binds the abstract name the replies go
 * to), in {@code cross-client} the client containers with {@code --network host}, in {@code cross-server} the
 * server container.
 */
final class ContainerRuntime implements ServerRuntime<RunningServer>, AutoCloseable {
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
     * The client containers started in a server container's network namespace, by client and user, with that
     * server's container id: one for the current server only, replaced with it.
     */
    private final Map<String, Map.Entry<String, ClientContainer>> joined = new HashMap<>();
    /**
     * Platform threads: Testcontainers' Docker transport blocks in native code (JNA), which pins
     * a virtual thread's carrier; two of them starved every other virtual thread on 2 cores.
     */
    private final ExecutorService background = Executors.newThreadPerTaskExecutor(
            Thread.ofPlatform().name("uds-interop-containers-", 0).daemon().factory());
    /** Replaced after every case that did not pass: a spare is started in the background at once (see ServerPool). */
    private final ServerPool<RunningServer> pool = new ServerPool<>(this, background);
    /** The client of the entry under way, whose probes tell when a server that prints no ready line is ready. */
    private volatile Peer prober;

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
        prober = entry.client();
        try {
            return entry.testCase().kind() == Kind.ECHO ? echo(entry, timeout) : scenario(entry, timeout);
        } catch (ServerException e) { // the server did not start or never got ready, as a local server's no-start
            pool.discard();
            return Exchange.failed(e.failure(FailureKind.NO_START, entry.server().id(), entry.transport().id()));
        } catch (ContainerException e) {
            pool.discard();
            return ContainerRuntimes.failed(entry, e.getMessage());
        } catch (RuntimeException e) { // the engine or Testcontainers failed: this case's failure, not the run's end
            pool.discard();
            return ContainerRuntimes.failed(entry, "the " + kind + " runtime: " + e);
        }
    }

    /** Runs the entry's scenario with a {@link ContainerCaseScope}: the local runtime's code, this runtime's means. */
    private Exchange scenario(MatrixEntry entry, Duration timeout) throws InterruptedException {
        Scenario scenario = Scenarios.named(entry.testCase().scenario()).filter(s -> s.runtimes().contains(kind))
                .orElse(null);
        if (scenario == null) {
            return ContainerRuntimes.failed(entry, "scenario " + entry.testCase().scenario() + " does not run in the "
                    + kind + " runtime");
        }
        try (ContainerCaseScope scope = new ContainerCaseScope(this, entry, timeout)) {
            return new Exchange(0, 0, scenario.run(scope), List.of());
        } catch (InterruptedException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            return ContainerRuntimes.failed(entry, "scenario " + scenario.name() + ": " + e);
        }
    }

    /** Returns a socket file name not used before in this runtime's socket directory. */
    String newSocketName() {
        return "s" + session.next() + ".sock";
    }

    private Exchange echo(MatrixEntry entry, Duration timeout) throws InterruptedException {
        RunningServer server = pool.acquire(entry.server(), entry.transport());
        Endpoint endpoint = caseEndpoint(server, entry);
        if (endpoint == null) {
            pool.discard();
            return ContainerRuntimes.failed(entry, "the server announced no " + entry.testCase().socket()
                    + " socket on an abstract name");
        }
        Endpoint probeAt = streamEndpoint(server, endpoint);
        ClientAgent.Response r = client(entry.client(), null, endpoint, probeAt, sharedNamespace(server, entry.transport()),
                entry.testCase(), timeout, true);
        Exchange x = r.exchange();
        Failure failure = x.failure();
        if (failure == null && r.probe() != null) {
            failure = stoppedServing(server, probeAt, "after the case", r.probe());
        }
        if (failure != null) {
            failure = failure.withDetail(server.evidence());
            pool.discard();
        }
        return new Exchange(x.bytesSent(), x.bytesReceived(), failure, x.samples());
    }

    @Override
    public RunningServer start(ServerSpec spec, Transport transport, List<String> extra) throws InterruptedException {
        return start(spec, transport, extra, newSocketName());
    }

    /**
     * Starts {@code spec} with {@code extra} arguments, its socket named {@code socketName} in the runtime's socket
     * directory, and waits until it serves on {@code transport}; one that does not is removed.
     *
     * @throws ServerException if it does not start or get ready in time
     */
    RunningServer start(ServerSpec spec, Transport transport, List<String> extra, String socketName)
            throws InterruptedException {
        RunningServer server = launch(spec, transport, extra, socketName);
        try {
            awaitReady(server, spec, transport);
            return server;
        } catch (InterruptedException | RuntimeException e) {
            remove(server);
            throw e;
        }
    }

    /**
     * Removes {@code server} in the background: the next case need not wait for the engine. Once the runtime is
     * closing (a spare that came up late, removed by the pool while {@link #close} waits for the background), now.
     */
    @Override
    public void remove(RunningServer server) {
        try {
            background.submit(server::close);
        } catch (RejectedExecutionException e) {
            server.close();
        }
    }

    /** Returns where this runtime's clients reach {@code server}, once it is ready. */
    Endpoint clientEndpoint(RunningServer server) {
        return clientView(server, server.endpoint());
    }

    /** Returns {@code e}, an address of {@code server}, as this runtime's clients reach it. */
    private static Endpoint clientView(RunningServer server, Endpoint e) {
        if (server instanceof ServerContainer || e == null) {
            return e; // a container's ready lines are turned into the clients' view as they come
        }
        return e.in(Path.of(Session.SOCKET_DIR)); // cross-client: seen at /sock
    }

    /**
     * Returns where the entry's case connects: the endpoint the server is ready on, or on the abstract transport its
     * abstract name of the case's kind of socket (null when it announced none); for a server in a container that
     * announces nothing (check --server-image), where it was told to listen.
     */
    private static Endpoint caseEndpoint(RunningServer server, MatrixEntry entry) {
        Transport transport = entry.transport();
        if (transport == Transport.ABSTRACT) {
            String socket = entry.testCase().socket();
            return server.endpoints().stream().filter(e -> e.isAbstract() && e.socket().equals(socket))
                    .map(e -> clientView(server, e)).findFirst().orElse(null);
        }
        Endpoint ready = clientView(server, server.endpoint());
        if (ready != null && ready.transport() == transport) {
            return ready;
        }
        return server instanceof ServerContainer container ? container.expected(transport) : ready;
    }

    /**
     * Returns where the probe after a case echoes: {@code endpoint} if it is a stream socket, else the server's stream
     * socket on a path (the probe is a stream echo), or {@code endpoint} when it announced none.
     */
    private static Endpoint streamEndpoint(RunningServer server, Endpoint endpoint) {
        if (endpoint.transport().isStream()) {
            return endpoint;
        }
        return server.endpoints().stream().filter(e -> e.transport() == Transport.UNIX).map(e -> clientView(server, e))
                .findFirst().orElse(endpoint);
    }

    /**
     * Returns the network namespace the clients of {@code transport} must share with {@code server}: for datagram and
     * abstract names the server's (its abstract names, and the replies to the abstract name a datagram client binds,
     * are in its network namespace), in {@code container} {@code container:<server's id>}, in {@code cross-client}
     * {@code host}; null where the clients need none (the other transports, and {@code cross-server}, whose server
     * container is started in this machine's).
     */
    private String sharedNamespace(RunningServer server, Transport transport) {
        if (!sharesNamespace(transport)) {
            return null;
        }
        return switch (kind) {
            case CONTAINER -> server instanceof ServerContainer c ? "container:" + c.containerId() : null;
            case CROSS_CLIENT -> "host";
            default -> null;
        };
    }

    /** Returns true for the transports whose clients must share the server's network namespace. */
    static boolean sharesNamespace(Transport transport) {
        return transport == Transport.DATAGRAM || transport == Transport.ABSTRACT;
    }

    /**
     * Returns the failure of {@code server}, which a probe from the clients' side at {@code endpoint} found not
     * serving ({@code problem}) in {@code context}: {@code server-died} once the exit is reported (a server that is
     * dying gets {@link #DEATH_REPORTED_WITHIN} for that), else an error.
     */
    static Failure stoppedServing(RunningServer server, Endpoint endpoint, String context, String problem) {
        Integer status = server.exitStatus(DEATH_REPORTED_WITHIN);
        return Failure.of(status == null ? FailureKind.ERROR : FailureKind.SERVER_DIED, "probe", server.id(), endpoint,
                context + (status == null ? ": no echo" : ": the server exited with status " + status)).withDetail(problem);
    }

    /**
     * Waits for the server's ready line; a server in a container that prints none (check
     * --server-image) is ready once a probe from the runtime's client side is echoed.
     */
    private void awaitReady(RunningServer server, ServerSpec spec, Transport transport) throws InterruptedException {
        if (!(server instanceof ServerContainer container) || spec.readyLine()) {
            server.awaitReady(transport, READY_TIMEOUT);
            return;
        }
        // the probe is a stream echo: a server on the other transports is ready once its stream socket is
        Endpoint endpoint = container.expected(transport.isStream() ? transport : Transport.UNIX);
        Peer client = prober;
        String[] last = {null};
        try {
            await().atMost(READY_TIMEOUT).pollDelay(Duration.ZERO).pollInterval(PROBE_INTERVAL).until(() -> {
                last[0] = client(client, null, endpoint, null, READY_TIMEOUT, true).probe();
                return last[0] == null || !server.isAlive();
            });
        } catch (ConditionTimeoutException e) {
            throw new ServerException("start", spec.id(), endpoint, "not ready within " + READY_TIMEOUT.toMillis()
                    + " ms (no echo from the client side: " + last[0] + ")");
        }
        if (last[0] != null) {
            throw new ServerException("start", spec.id(), endpoint, "exited before it accepted; " + server.evidence());
        }
        container.readyAt(endpoint);
    }

    /**
     * Starts {@code spec} for {@code transport} with {@code extra} arguments, its socket named {@code socketName}; does
     * not wait. In {@code cross-server}, for datagram and abstract names, in this machine's network namespace, where
     * the clients are, and without its TCP listener (the runtime has no tcp; on the host's network it would take a
     * port of this machine).
     */
    private RunningServer launch(ServerSpec spec, Transport transport, List<String> extra, String socketName) {
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
        String networkMode = null;
        if (kind == RuntimeKind.CROSS_SERVER && sharesNamespace(transport)) {
            networkMode = "host";
            args = withoutTcp(args);
        }
        UnaryOperator<Endpoint> view = kind == RuntimeKind.CONTAINER
                ? e -> e.transport() == Transport.TCP ? Endpoint.tcp(alias, e.port()) : e
                : e -> e.in(hostDirectory);
        return ServerContainer.start(session, spec.id(), session.images().tag(image), image.entrypoint(), args, mount, alias,
                networkMode, serverUser, view, Path.of(Session.SOCKET_DIR, socketName), TCP_PORT);
    }

    /** Returns {@code args} without a {@code --tcp ADDRESS} pair. */
    static List<String> withoutTcp(List<String> args) {
        List<String> kept = new java.util.ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            if (args.get(i).equals("--tcp") && i + 1 < args.size()) {
                i++;
            } else {
                kept.add(args.get(i));
            }
        }
        return kept;
    }

    /**
     * Runs case {@code c} (null: none) through {@code client} against {@code endpoint}, then
     * probes if {@code probe}; as {@code user} (null: the runtime's client user). Clients of the
     * cross-server runtime are this machine's.
     */
    ClientAgent.Response client(Peer client, String user, Endpoint endpoint, InteropCase c,
                                Duration timeout, boolean probe) throws InterruptedException {
        return client(client, user, endpoint, endpoint, null, c, timeout, probe);
    }

    /**
     * Like {@link #client(Peer, String, Endpoint, InteropCase, Duration, boolean)}, probing at {@code probeAt}, from a
     * client container in the network namespace {@code namespace} when not null (see {@link #sharedNamespace}).
     */
    private ClientAgent.Response client(Peer client, String user, Endpoint endpoint, Endpoint probeAt, String namespace,
                                        InteropCase c, Duration timeout, boolean probe) throws InterruptedException {
        if (kind == RuntimeKind.CROSS_SERVER && user == null) {
            Exchange x = c == null ? null : client.exchange(endpoint, c, timeout);
            String p = probe && (x == null || x.passed()) ? Probe.problem(probeAt) : null;
            return new ClientAgent.Response(null, x, p);
        }
        String as = user != null ? user : clientUser;
        ClientContainer container = namespace == null ? container(client, as) : joined(client, as, namespace);
        return container.call(new ClientAgent.Request(c == null ? null : c.id(), endpoint.toString(), timeout.toMillis(),
                probe, probeAt.equals(endpoint) ? null : probeAt.toString()), timeout.plus(AGENT_MARGIN));
    }

    /** Returns the container of {@code client} running as {@code as}, started on first use. */
    private ClientContainer container(Peer client, String as) {
        synchronized (clients) { // a spare's readiness probes come from the pool's background thread
            return clients.computeIfAbsent(client.id() + "@" + as,
                    k -> ClientContainer.start(session, client.id(), mount, kind == RuntimeKind.CONTAINER, as));
        }
    }

    /**
     * Returns the container of {@code client} running as {@code as} in the network namespace {@code namespace}; one in
     * another (a server container that was replaced) is removed in the background.
     */
    private ClientContainer joined(Peer client, String as, String namespace) {
        String key = client.id() + "@" + as;
        ClientContainer stale = null;
        ClientContainer container;
        synchronized (clients) {
            Map.Entry<String, ClientContainer> current = joined.get(key);
            if (current != null && current.getKey().equals(namespace)) {
                return current.getValue();
            }
            if (current != null) {
                stale = current.getValue();
            }
            container = ClientContainer.start(session, client.id(), mount, false, namespace, as);
            joined.put(key, Map.entry(namespace, container));
        }
        if (stale != null) {
            ClientContainer old = stale;
            try {
                background.submit(old::close);
            } catch (RejectedExecutionException e) {
                old.close();
            }
        }
        return container;
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
        pool.release();
    }

    @Override
    public void close() {
        pool.close();
        background.close(); // waits for the removals and the spare
        clients.values().forEach(ClientContainer::close);
        clients.clear();
        joined.values().forEach(e -> e.getValue().close());
        joined.clear();
    }
}
