// SPDX-License-Identifier: Apache-2.0
// BenchContainers: the Docker side of the benchmark's container rows: servers in containers, loadgen in another, one socket volume and one network between them.
package dev.udsinterop.harness.bench;

import static org.awaitility.Awaitility.await;

import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.ContainerNetwork;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.StreamType;
import dev.udsinterop.harness.ProjectLayout;
import dev.udsinterop.harness.container.ContainerException;
import dev.udsinterop.harness.container.Docker;
import dev.udsinterop.harness.container.ImageRecipe;
import dev.udsinterop.harness.container.Images;
import dev.udsinterop.harness.container.ServerContainer;
import dev.udsinterop.harness.container.Session;
import dev.udsinterop.harness.server.ServerException;
import dev.udsinterop.harness.transport.Endpoint;
import dev.udsinterop.harness.transport.Transport;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.awaitility.core.ConditionTimeoutException;
import org.testcontainers.containers.GenericContainer;

/**
 * The sidecar setting of {@code bench}: each server in its own container, and loadgen in one long-lived container
 * of the go-reference image ({@code loadgen -wait} as its main process, each measurement a {@code docker exec}).
 * Over unix they meet in one named volume mounted at {@code /sock} by all of them (each server its own socket
 * file); over tcp on the run's user-defined network, loadgen dialing the server's address there, looked up once
 * (the alias would cost a DNS query to the engine's resolver per dial, which is not what is measured). The
 * objects are the {@link Session}'s: labelled, removed at the end, on failure and on Ctrl-C, swept when their
 * run died. Besides the servers' images the rows need bench-servers (docker/bench-servers: the static C epoll
 * server, when the build made one, and socat).
 */
final class BenchContainers implements AutoCloseable {
    private static final int PORT = 7000;
    /** Where bench-servers has the static C epoll server, when the build made one. */
    private static final String C_EPOLL = "/opt/uds/bin/epoll-echo";
    /** Generous: a JVM starting in a container on a loaded 2-core machine. */
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(15);

    private final ProjectLayout layout;
    private final Session session;
    private final String benchServers;
    private final String volume;
    private final GenericContainer<?> client;

    private BenchContainers(ProjectLayout layout, Session session, String benchServers, String volume,
            GenericContainer<?> client) {
        this.layout = layout;
        this.session = session;
        this.benchServers = benchServers;
        this.volume = volume;
        this.client = client;
    }

    /**
     * Sweeps what dead runs left, makes the images that are missing (with progress), and starts the loadgen
     * container.
     *
     * @throws ContainerException if an image cannot be built or the loadgen container does not start
     */
    static BenchContainers open(ProjectLayout layout, PrintStream progress) {
        Images images = Images.ensureServers(layout, progress);
        String benchServers = images.ensure(layout, benchServersRecipe(layout), progress);
        Session session = Session.open(images, progress);
        try {
            String volume = session.newVolume();
            GenericContainer<?> client = session.container(session.images().goReference(), "loadgen", volume, null,
                    List.of("/loadgen")).withCommand("-wait").withNetwork(session.network());
            client.start();
            return new BenchContainers(layout, session, benchServers, volume, client);
        } catch (RuntimeException e) {
            session.close();
            throw new ContainerException("start the loadgen container: " + e.getMessage());
        }
    }

    /** The C server where the build made its static binary; an empty bin/ (which the Dockerfile copies) where not. */
    private static ImageRecipe benchServersRecipe(ProjectLayout layout) {
        Path cEpoll = layout.cEpollStaticServer();
        boolean built = Files.isRegularFile(cEpoll);
        ImageRecipe recipe = new ImageRecipe("bench-servers", Images.dockerfile(layout, "bench-servers"), true,
                built ? List.of() : List.of("bin"));
        return built ? recipe.file("bin/epoll-echo", cEpoll) : recipe;
    }

    /** What a finished {@code docker exec} of loadgen gave: its exit status and its output. */
    record Exec(int status, String stdout, String stderr) {
    }

    /**
     * Runs {@code /loadgen arguments} in the loadgen container and waits for it.
     *
     * @throws ContainerException if it does not end within {@code timeout} or the engine fails
     */
    Exec loadgen(List<String> arguments, Duration timeout) {
        List<String> command = new ArrayList<>(List.of("/loadgen"));
        command.addAll(arguments);
        var docker = Docker.client();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            String exec = docker.execCreateCmd(client.getContainerId()).withAttachStdout(true).withAttachStderr(true)
                    .withCmd(command.toArray(String[]::new)).exec().getId();
            try (var done = docker.execStartCmd(exec).exec(new ResultCallback.Adapter<Frame>() {
                @Override
                public void onNext(Frame frame) {
                    (frame.getStreamType() == StreamType.STDERR ? err : out).writeBytes(frame.getPayload());
                }
            })) {
                if (!done.awaitCompletion(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    throw new ContainerException("docker exec loadgen: no exit within " + timeout.toSeconds() + " s");
                }
            }
            Long status = docker.inspectExecCmd(exec).exec().getExitCodeLong();
            return new Exec(status == null ? -1 : status.intValue(), out.toString(StandardCharsets.UTF_8),
                    err.toString(StandardCharsets.UTF_8));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ContainerException("docker exec loadgen: interrupted");
        } catch (ContainerException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new ContainerException("docker exec loadgen: " + e.getMessage());
        }
    }

    /**
     * Starts server {@code id} (java, go-echo, c-epoll or socat) on {@code transport} and waits until loadgen, in its own
     * container, gets an echo from it; {@code quick} is the run's budget for its measurements.
     *
     * @throws ServerException if it cannot run in a container here, does not start, or is not ready in time
     */
    ContainerServer start(String id, Transport transport, boolean quick) {
        String socket = Session.SOCKET_DIR + "/" + id + ".sock";
        List<String> listen = transport == Transport.UNIX ? List.of("--unix", socket) : List.of("--tcp", "0.0.0.0:" + PORT);
        Images images = session.images();
        Launch launch = switch (id) {
            case "java" -> new Launch(images.javaServer(), null, listen);
            case "go-echo" -> new Launch(images.goReference(), List.of("/echo-server"), listen);
            case "c-epoll" -> {
                if (!Files.isRegularFile(layout.cEpollStaticServer())) {
                    throw new ServerException("the build made no static epoll-echo (cc -static failed, see "
                            + layout.cEpollStaticServer().resolveSibling("static.log") + "), so no image has it");
                }
                yield new Launch(benchServers, List.of(C_EPOLL), listen);
            }
            // -t 30 as on this machine; socat announces nothing: the probe below is its readiness.
            case "socat" -> new Launch(benchServers, List.of("socat"), List.of("-t", "30",
                    transport == Transport.UNIX ? "UNIX-LISTEN:" + socket + ",fork" : "TCP-LISTEN:" + PORT + ",reuseaddr,fork",
                    "EXEC:cat"));
            default -> throw new ServerException(id + " is a command on this machine, not an image: not run in a container");
        };
        String alias = transport == Transport.TCP ? "bench-" + id : null;
        ServerContainer server = ServerContainer.start(session, id, launch.image(), launch.entrypoint(), launch.arguments(),
                volume, alias, null, e -> e, Path.of(socket), PORT);
        try {
            var inspect = Docker.client().inspectContainerCmd(server.containerId()).exec();
            Endpoint endpoint = transport == Transport.UNIX ? Endpoint.unix(Path.of(socket))
                    : Endpoint.tcp(address(inspect.getNetworkSettings().getNetworks().values()), PORT);
            ContainerServer running = new ContainerServer(this, id, server, endpoint, inspect.getState().getPidLong(),
                    launch.describe(), quick);
            awaitEcho(running);
            return running;
        } catch (RuntimeException e) {
            server.close();
            throw e instanceof ServerException s ? s : new ServerException("start " + id + " in a container: " + e.getMessage());
        }
    }

    /** Returns the container's address on the run's network. */
    private String address(Iterable<ContainerNetwork> networks) {
        String ours = session.network().getId();
        for (ContainerNetwork n : networks) {
            if (ours.equals(n.getNetworkID())) {
                return n.getIpAddress();
            }
        }
        throw new ServerException("the server container is not on the run's network " + ours);
    }

    /** Waits until a one-round-trip loadgen from the loadgen container succeeds: the ready line of every server. */
    private void awaitEcho(ContainerServer server) {
        List<String> probe = new ArrayList<>(List.of("-workload", "pingpong", "-n", "1", "-timeout", "5s"));
        probe.addAll(server.endpoint().transport() == Transport.UNIX
                ? List.of("-unix", server.endpoint().path().toString()) : List.of("-tcp", server.endpoint().hostPort()));
        try {
            await().atMost(READY_TIMEOUT).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(100))
                    .until(() -> !server.isAlive() || loadgen(probe, PROBE_TIMEOUT).status() == 0);
        } catch (ConditionTimeoutException e) {
            throw new ServerException("start " + server.id() + " in a container: no echo through "
                    + server.endpoint() + " within " + READY_TIMEOUT.toSeconds() + " s; " + server.evidence());
        }
        if (!server.isAlive()) {
            throw new ServerException("start " + server.id() + " in a container: " + server.evidence());
        }
    }

    /** Removes every container, the network and the volume. */
    @Override
    public void close() {
        session.close();
    }

    /** An image, its program (null: the image's entrypoint) and its arguments. */
    private record Launch(String image, List<String> entrypoint, List<String> arguments) {
        List<String> describe() {
            List<String> words = new ArrayList<>(List.of(image));
            if (entrypoint != null) {
                words.addAll(entrypoint);
            }
            words.addAll(arguments);
            return words;
        }
    }
}
