// SPDX-License-Identifier: Apache-2.0
// ServerContainer: a server under test in a container: its ready lines from the container's log, docker stop/kill, its exit status.
package dev.udsinterop.harness.container;

import static org.awaitility.Awaitility.await;

import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;
import dev.udsinterop.harness.host.OutputTail;
import dev.udsinterop.harness.server.RunningServer;
import dev.udsinterop.harness.server.ServerException;
import dev.udsinterop.harness.server.ServerSpec;
import dev.udsinterop.harness.transport.Endpoint;
import dev.udsinterop.harness.transport.Transport;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;
import org.awaitility.core.ConditionTimeoutException;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.output.OutputFrame;

/**
 * A server in a container. The ready lines come from the container's stdout (as the server
 * prints them, with container paths); {@code clientView} turns them into where the runtime's
 * clients connect. Signals go through the engine ({@code docker kill -s}), a stop is
 * {@code docker stop} (SIGTERM to PID 1, then SIGKILL after the grace).
 */
public final class ServerContainer implements RunningServer {
    private final Session session;
    private final String id;
    private final GenericContainer<?> container;
    private final UnaryOperator<Endpoint> clientView;
    private final java.nio.file.Path socket;
    private final int port;
    private final List<Endpoint> endpoints = new CopyOnWriteArrayList<>();
    private final OutputTail stderr = new OutputTail();
    private volatile Endpoint ready;
    private final StringBuilder partialOut = new StringBuilder();
    private final StringBuilder partialErr = new StringBuilder();

    private ServerContainer(Session session, String id, GenericContainer<?> container, UnaryOperator<Endpoint> clientView,
                            java.nio.file.Path socket, int port) {
        this.session = session;
        this.id = id;
        this.container = container;
        this.clientView = clientView;
        this.socket = socket;
        this.port = port;
    }

    /**
     * Starts {@code image} with {@code entrypoint} (null: the image's) and {@code command}, the
     * socket directory {@code mount} at /sock, on {@code alias} of the run's network if not
     * null, as {@code user} (null: the image's); it was told to listen at {@code socket} (in the
     * container) and on {@code port}. Does not wait for readiness.
     */
    public static ServerContainer start(Session session, String id, String image, List<String> entrypoint, List<String> command,
                                 String mount, String alias, String user, UnaryOperator<Endpoint> clientView,
                                 java.nio.file.Path socket, int port) {
        return start(session, id, image, entrypoint, command, mount, alias, null, user, clientView, socket, port);
    }

    /**
     * Like {@link #start(Session, String, String, List, List, String, String, String, UnaryOperator, java.nio.file.Path,
     * int)}, in the network namespace {@code networkMode} names when not null ({@code host}: this machine's, where its
     * abstract names are), instead of the run's network or the engine's default.
     */
    static ServerContainer start(Session session, String id, String image, List<String> entrypoint, List<String> command,
                                 String mount, String alias, String networkMode, String user,
                                 UnaryOperator<Endpoint> clientView, java.nio.file.Path socket, int port) {
        GenericContainer<?> c = session.container(image, "server-" + id, mount, user, entrypoint)
                .withCommand(command.toArray(String[]::new));
        if (networkMode != null) {
            c.withNetworkMode(networkMode);
        } else if (alias != null) {
            c.withNetwork(session.network()).withNetworkAliases(alias);
        }
        ServerContainer server = new ServerContainer(session, id, c, clientView, socket, port);
        c.withLogConsumer(server::accept);
        try {
            c.start();
        } catch (RuntimeException e) {
            session.remove(c);
            throw new ServerException("start", id, image, "the container did not start: " + e.getMessage());
        }
        session.started(c);
        return server;
    }

    private void accept(OutputFrame frame) {
        if (frame.getBytes() == null) {
            return;
        }
        boolean out = frame.getType() == OutputFrame.OutputType.STDOUT;
        StringBuilder partial = out ? partialOut : partialErr;
        synchronized (partial) {
            partial.append(new String(frame.getBytes(), StandardCharsets.UTF_8));
            for (int nl; (nl = partial.indexOf("\n")) >= 0; ) {
                String line = partial.substring(0, nl);
                partial.delete(0, nl + 1);
                if (out) {
                    Endpoint e = Endpoint.fromReadyLine(line);
                    if (e != null) {
                        endpoints.add(e);
                    }
                } else {
                    stderr.add(line);
                }
            }
        }
    }

    @Override
    public Endpoint awaitReady(Transport transport, Duration timeout) {
        try {
            await().atMost(timeout).pollInterval(Duration.ofMillis(10)).pollDelay(Duration.ZERO)
                    .until(() -> listening(transport) != null || !isAlive());
        } catch (ConditionTimeoutException e) {
            throw new ServerException("start", id, expected(transport), "not ready within "
                    + timeout.toMillis() + " ms (no 'listening " + transport.id() + ":' line; container " + name() + ")"
                    + stderrSuffix());
        }
        Endpoint e = listening(transport);
        if (e == null) {
            throw new ServerException("start", id, expected(transport), "exited with status "
                    + exitStatus(Duration.ofSeconds(5)) + " before it was ready (container " + name() + ")" + stderrSuffix());
        }
        ready = clientView.apply(e);
        return ready;
    }

    @Override
    public Endpoint endpoint() {
        return ready;
    }

    /** Returns every address the server's ready lines announced, as the runtime's clients reach them. */
    @Override
    public List<Endpoint> endpoints() {
        return endpoints.stream().map(clientView).toList();
    }

    /** Records that the server accepts at {@code endpoint}, for a server whose readiness the runtime probed. */
    void readyAt(Endpoint endpoint) {
        ready = endpoint;
    }

    @Override
    public java.nio.file.Path socket() {
        return socket;
    }

    /** Returns where the runtime's clients would reach the server on {@code transport}, before it said so. */
    public Endpoint expected(Transport transport) {
        return clientView.apply(switch (transport) {
            case TCP -> Endpoint.tcp("0.0.0.0", port);
            case SEQPACKET -> Endpoint.seqpacket(ServerSpec.besides(socket, "seqpacket"));
            case DATAGRAM -> Endpoint.datagram(ServerSpec.besides(socket, "datagram"));
            default -> Endpoint.unix(socket); // an abstract name is not known before the ready line
        });
    }

    private Endpoint listening(Transport transport) {
        return endpoints.stream().filter(e -> e.transport() == transport).findFirst().orElse(null);
    }

    @Override
    public String id() {
        return id;
    }

    /** The host pid of the container's main process (the server), for /proc; -1 once it is gone. */
    @Override
    public long pid() {
        try {
            Long pid = Docker.client().inspectContainerCmd(container.getContainerId()).exec().getState().getPidLong();
            return pid == null || pid == 0 ? -1 : pid;
        } catch (NotFoundException e) {
            return -1;
        }
    }

    @Override
    public boolean printedReadyLine() {
        return !endpoints.isEmpty();
    }

    @Override
    public String stderrTail() {
        return stderr.text();
    }

    public String containerId() {
        return container.getContainerId();
    }

    private String name() {
        String n = container.getContainerName();
        return n == null ? "?" : n.replaceFirst("^/", "");
    }

    @Override
    public boolean isAlive() {
        try {
            Boolean running = Docker.client().inspectContainerCmd(container.getContainerId()).exec().getState().getRunning();
            return Boolean.TRUE.equals(running);
        } catch (NotFoundException e) {
            return false;
        }
    }

    @Override
    public void signal(String signal) {
        try {
            Docker.client().killContainerCmd(container.getContainerId()).withSignal(signal).exec();
        } catch (DockerException e) {
            throw new ServerException("signal", id, "container " + name(), "docker kill -s " + signal + ": " + e.getMessage());
        }
    }

    @Override
    public Integer exitStatus(Duration timeout) {
        try {
            if (!timeout.isZero()) {
                await().atMost(timeout).pollInterval(Duration.ofMillis(20)).pollDelay(Duration.ZERO).until(() -> !isAlive());
            } else if (isAlive()) {
                return null;
            }
            Long code = Docker.client().inspectContainerCmd(container.getContainerId()).exec().getState().getExitCodeLong();
            return code == null ? null : code.intValue();
        } catch (ConditionTimeoutException | NotFoundException e) {
            return null;
        }
    }

    /** {@code docker stop -t}: SIGTERM to PID 1, SIGKILL once {@code grace} (whole seconds, at least 1) is over. */
    @Override
    public void stop(Duration grace) {
        try {
            int seconds = (int) Math.max(1, (grace.toMillis() + 999) / 1000);
            Docker.client().stopContainerCmd(container.getContainerId()).withTimeout(seconds).exec();
        } catch (DockerException e) {
            // already stopped, or gone
        }
    }

    @Override
    public String evidence() {
        Integer status = isAlive() ? null : exitStatus(Duration.ZERO);
        String state = (status == null ? id + " is running" : id + " exited with status " + status)
                + " (container " + name() + ")";
        return stderr.evidence(state);
    }

    private String stderrSuffix() {
        return stderr.isEmpty() ? "" : "; stderr: " + stderr.oneLine();
    }

    @Override
    public void close() {
        session.remove(container);
    }
}
