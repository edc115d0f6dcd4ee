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
import dev.udsinterop.harness.container.Images;
import dev.udsinterop.harness.container.ServerContainer;
import dev.udsinterop.harness.container.Session;
import dev.udsinterop.harness.server.ServerException;
import dev.udsinterop.harness.server.ServerSpec;
import dev.udsinterop.harness.transport.Endpoint;
import dev.udsinterop.harness.transport.Transport;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
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
 * run died. The images are the servers' own ({@link ServerSpec.Image}) and go-reference's loadgen.
 */
final class BenchContainers implements Loadgen.Runner, AutoCloseable {
    private static final int PORT = 7000;
    /** Generous: a JVM starting in a container on a loaded 2-core machine. */
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(15);

    private final Session session;
    private final String volume;
    private final GenericContainer<?> client;
    private final boolean quick;

    private BenchContainers(Session session, String volume,
            GenericContainer<?> client, boolean quick) {
        this.session = session;
        this.volume = volume;
        this.client = client;
        this.quick = quick;
    }

    /**
     * Sweeps what dead runs left, makes the images that are missing (with progress), and starts the loadgen
     * container, which runs every measurement with the budgets of {@code quick}.
     *
     * @throws ContainerException if an image cannot be built or the loadgen container does not start
     */
    static BenchContainers open(ProjectLayout layout, boolean quick, PrintStream progress) {
        Images images = Images.of(layout, progress, "java-server", "go-reference", "bench-servers");
        Session session = Session.open(images, progress);
        try {
            String volume = session.newVolume();
            GenericContainer<?> client = session.container(images.tag("go-reference"), "loadgen", volume, null,
                    List.of("/loadgen")).withCommand("-wait").withNetwork(session.network());
            client.start();
            return new BenchContainers(session, volume, client, quick);
        } catch (RuntimeException e) {
            session.close();
            throw new ContainerException("start the loadgen container: " + e.getMessage());
        }
    }

    /**
     * Runs loadgen in its container ({@code docker exec}, outside every figure: loadgen measures its own CPU with
     * getrusage, as on this machine). Idle is never measured between containers ({@link Workload#inContainers()}):
     * {@code whileHeld} is not called.
     */
    @Override
    public Loadgen.Result run(Workload workload, Endpoint endpoint, Runnable whileHeld) {
        Exec exec;
        try {
            exec = exec(Loadgen.arguments(workload, quick, BenchReport.CONTAINER, endpoint),
                    Duration.ofSeconds(Loadgen.GRACE_SECONDS));
        } catch (ContainerException e) {
            throw new BenchException(e.getMessage());
        }
        String last = exec.stdout().strip().lines().reduce((a, b) -> b).orElse(null);
        return Loadgen.result(workload, endpoint, exec.status(), last, exec.stderr());
    }

    /** What a finished {@code docker exec} of loadgen gave: its exit status and its output. */
    private record Exec(int status, String stdout, String stderr) {
    }

    /**
     * Runs {@code /loadgen arguments} in the loadgen container and waits for it.
     *
     * @throws ContainerException if it does not end within {@code timeout} or the engine fails
     */
    private Exec exec(List<String> arguments, Duration timeout) {
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
     * Starts {@code spec} in its image on {@code transport} and waits until loadgen, in its own container, gets an
     * echo from it. Each server container has its own socket in the shared volume.
     *
     * @throws ServerException if it does not start or is not ready in time
     */
    Target start(ServerSpec spec, Transport transport) {
        String socket = socket(spec, transport);
        String alias = transport == Transport.TCP ? "bench-" + spec.id() : null;
        ServerContainer server = ServerContainer.start(session, spec.id(), session.images().tag(spec.image()),
                spec.image().entrypoint(), spec.image().arguments(socket, PORT), volume, alias, null, e -> e,
                Path.of(socket), PORT);
        try {
            Endpoint endpoint = transport == Transport.UNIX ? Endpoint.unix(Path.of(socket)) : Endpoint.tcp(address(
                    Docker.client().inspectContainerCmd(server.containerId()).exec().getNetworkSettings().getNetworks()
                            .values()), PORT);
            Target running = new Target(BenchReport.CONTAINER, server, endpoint, this);
            awaitEcho(running);
            return running;
        } catch (RuntimeException e) {
            server.close();
            throw e instanceof ServerException s ? s
                    : new ServerException("start " + spec.id() + " in a container: " + e.getMessage());
        }
    }

    /** Returns the image, program and arguments {@code spec} runs with in the container rows, for the report. */
    List<String> command(ServerSpec spec, Transport transport) {
        List<String> words = new ArrayList<>(List.of(session.images().tag(spec.image())));
        words.addAll(spec.image().entrypoint());
        words.addAll(spec.image().arguments(socket(spec, transport), PORT));
        return words;
    }

    /**
     * Returns the socket path of {@code spec}'s container for the {@code transport} rows: one per container, since
     * a bundled server listens on both transports and every server container mounts the same volume.
     */
    private static String socket(ServerSpec spec, Transport transport) {
        return Session.SOCKET_DIR + "/" + spec.id() + "-" + transport.id() + ".sock";
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
    private void awaitEcho(Target server) {
        List<String> probe = new ArrayList<>(List.of("-workload", "pingpong", "-n", "1", "-timeout", "5s"));
        probe.addAll(server.transport() == Transport.UNIX
                ? List.of("-unix", server.endpoint().path().toString()) : List.of("-tcp", server.endpoint().hostPort()));
        try {
            await().atMost(READY_TIMEOUT).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(100))
                    .until(() -> !server.server().isAlive() || exec(probe, PROBE_TIMEOUT).status() == 0);
        } catch (ConditionTimeoutException e) {
            throw new ServerException("start " + server.id() + " " + server.endpoint() + ": not ready within "
                    + READY_TIMEOUT.toMillis() + " ms (no echo through loadgen in its container); "
                    + server.server().evidence());
        }
        if (!server.server().isAlive()) {
            throw new ServerException("start " + server.id() + " in a container: " + server.server().evidence());
        }
    }

    /** Removes every container, the network and the volume. */
    @Override
    public void close() {
        session.close();
    }
}
