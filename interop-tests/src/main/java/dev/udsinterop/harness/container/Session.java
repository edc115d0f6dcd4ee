// SPDX-License-Identifier: Apache-2.0
// Session: the Docker objects of one run (images, a network, volumes, containers, bind-mounted directories), all removed at its end.
package dev.udsinterop.harness.container;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.Volume;
import dev.udsinterop.harness.ProjectLayout;
import dev.udsinterop.harness.host.DirectoryTree;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.containers.startupcheck.StartupCheckStrategy;
import org.testcontainers.containers.wait.strategy.AbstractWaitStrategy;
import org.testcontainers.utility.DockerImageName;
import org.testcontainers.utility.ResourceReaper;

/**
 * Owns what the container runtimes create, so that a failing case, a failing run and Ctrl-C
 * (a shutdown hook) all leave nothing behind: containers first, then the network, the
 * volumes and the directories. A closed session creates nothing more, and a container that
 * was starting while it closed is removed by its starter ({@link #started}). Everything is
 * labelled with this JVM's pid ({@link Docker}), so a run killed with SIGKILL is swept by
 * the next one.
 */
public final class Session implements AutoCloseable {
    /** Where every container mounts the socket directory. */
    public static final String SOCKET_DIR = "/sock";

    private final Images images;
    private final String prefix = "uds-interop-" + ProcessHandle.current().pid();
    private final AtomicInteger serial = new AtomicInteger();
    private final List<GenericContainer<?>> containers = new ArrayList<>();
    private final List<String> volumes = new ArrayList<>();
    private final List<Path> directories = new ArrayList<>();
    private final Thread hook = new Thread(this::close, "uds-interop-containers-cleanup");
    private Network network;
    private boolean closed;

    private Session(Images images) {
        this.images = images;
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /**
     * Sweeps what dead runs left, makes the matrix's images that are missing (the bundled servers' and the
     * clients'), and returns a session.
     *
     * @throws ContainerException if an image cannot be built
     */
    static Session open(ProjectLayout layout, PrintStream progress) {
        Docker.sweep(progress);
        return new Session(Images.of(layout, progress, "java-server", "go-reference", "clients"));
    }

    /** Sweeps what dead runs left and returns a session of {@code images}. */
    public static Session open(Images images, PrintStream progress) {
        Docker.sweep(progress);
        return new Session(images);
    }

    public Images images() {
        return images;
    }

    int next() {
        return serial.incrementAndGet();
    }

    /** Returns the run's user-defined network (created on first use): container names and aliases resolve there. */
    public synchronized Network network() {
        refuseIfClosed("create the run's network");
        if (network == null) {
            network = Network.builder().createNetworkCmdModifier(cmd -> cmd.withName(prefix + "-net")
                    .withLabels(Docker.labels())).build();
        }
        return network;
    }

    /** Creates a labelled named volume and returns its name. */
    public synchronized String newVolume() {
        refuseIfClosed("create a volume");
        String name = prefix + "-vol-" + next();
        Docker.client().createVolumeCmd().withName(name).withLabels(Docker.labels()).exec();
        volumes.add(name);
        return name;
    }

    /**
     * Creates a host directory to bind-mount at {@link #SOCKET_DIR}: short (socket paths stop at
     * 107 bytes), reachable by the containers' users, owned by {@code owner} when this JVM runs
     * as root (else by this JVM's user).
     */
    synchronized Path newBindDirectory(int owner) {
        refuseIfClosed("create a directory to bind-mount");
        try {
            Path dir = Files.createTempDirectory("uds-x");
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
            if (isRoot()) {
                Files.setAttribute(dir, "unix:uid", owner);
                Files.setAttribute(dir, "unix:gid", owner);
            }
            directories.add(dir);
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException("create a directory to bind-mount: " + e.getMessage(), e);
        }
    }

    /** Returns this JVM's user as {@code uid:gid}, for containers that must act as it. */
    static String hostUser() {
        try {
            Path probe = Path.of(System.getProperty("java.io.tmpdir"));
            Path file = Files.createTempFile(probe, "uds-id", "");
            try {
                return Files.getAttribute(file, "unix:uid") + ":" + Files.getAttribute(file, "unix:gid");
            } finally {
                Files.delete(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("find this process's uid: " + e.getMessage(), e);
        }
    }

    static boolean isRoot() {
        return hostUser().startsWith("0:");
    }

    /**
     * Returns a container of {@code image}, not started, labelled, named after {@code role},
     * with {@code mount} (a volume name or a host directory) at {@link #SOCKET_DIR}, run as
     * {@code user} (null: the image's); removed with the session.
     */
    public synchronized GenericContainer<?> container(String image, String role, String mount, String user, List<String> entrypoint) {
        refuseIfClosed("create a " + role + " container");
        String name = prefix + "-" + role + "-" + next();
        GenericContainer<?> c = new GenericContainer<>(DockerImageName.parse(image))
                .withLabels(Docker.labels())
                .withStartupCheckStrategy(new StartedOrExited())
                .waitingFor(new NoWait())
                .withCreateContainerCmdModifier(cmd -> {
                    cmd.withName(name);
                    if (mount != null) {
                        cmd.getHostConfig().withBinds(new Bind(mount, new Volume(SOCKET_DIR)));
                    }
                    if (user != null) {
                        cmd.withUser(user);
                    }
                    if (entrypoint != null && !entrypoint.isEmpty()) {
                        cmd.withEntrypoint(entrypoint);
                    }
                });
        containers.add(c);
        return c;
    }

    /**
     * The lock of every removal. Without Ryuk, Testcontainers removes its containers in a
     * shutdown hook of its own, holding this monitor (its reaper's synchronized cleanup); a
     * removal of ours interleaved with it on Ctrl-C made its hook fail on a container that
     * was just gone.
     */
    private static Object removals() {
        return ResourceReaper.instance();
    }

    /**
     * Call once {@code c.start()} returned: a container whose start was under way when the session closed (a
     * signal, the run's time limit) was not there to be removed; it is removed now.
     *
     * @throws ContainerException if the session closed meanwhile
     */
    void started(GenericContainer<?> c) {
        synchronized (this) {
            if (!closed) {
                return;
            }
        }
        remove(c);
        throw new ContainerException("start " + c.getContainerName() + ": the run is stopping; the container was removed");
    }

    /**
     * Removes the session's volumes. Their names stay: a container whose start was under way at the close keeps its
     * volume in use until its starter removes it ({@link #started}, {@link #remove}), which removes them again.
     */
    private void removeVolumes() {
        DockerClient docker = Docker.client();
        volumes.forEach(v -> Docker.quietly(() -> docker.removeVolumeCmd(v).exec()));
    }

    private void refuseIfClosed(String op) {
        if (closed) {
            throw new ContainerException(op + ": the run is stopping");
        }
    }

    /**
     * Removes {@code c} (killing it if it runs). After the session closed, that is a container whose start was under
     * way then, whose volume was still in use (or, removed before the container was made, made again): the volumes
     * are removed again.
     */
    void remove(GenericContainer<?> c) {
        synchronized (removals()) {
            boolean late;
            synchronized (this) {
                containers.remove(c);
                late = closed;
            }
            Docker.quietly(c::stop);
            if (late) {
                synchronized (this) {
                    removeVolumes();
                }
            }
        }
    }

    @Override
    public void close() {
        synchronized (removals()) {
            closeLocked();
        }
    }

    private void closeLocked() {
        List<GenericContainer<?>> all;
        synchronized (this) {
            closed = true; // from now on nothing is created, and a container still starting is removed by its starter
            all = new ArrayList<>(containers);
            containers.clear();
        }
        all.parallelStream().forEach(c -> Docker.quietly(c::stop));
        synchronized (this) {
            if (network != null) {
                Docker.quietly(network::close);
                network = null;
            }
            removeVolumes();
            directories.forEach(DirectoryTree::delete);
            directories.clear();
        }
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // the JVM is shutting down: this is the hook
        }
    }

    /**
     * Startup is done once the engine started the container: a server that exits at once is
     * the case's evidence, not a failed start. The inherited wait polls through a rate limiter
     * shared by all containers (one inspect per second), which made every server start about a
     * second; the start command has returned by now, so there is nothing to wait for.
     */
    private static final class StartedOrExited extends StartupCheckStrategy {
        @Override
        public boolean waitUntilStartupSuccessful(DockerClient docker, String containerId) {
            return checkStartupState(docker, containerId) == StartupStatus.SUCCESSFUL;
        }

        @Override
        public StartupStatus checkStartupState(DockerClient docker, String containerId) {
            InspectContainerResponse.ContainerState state = getCurrentState(docker, containerId);
            return "created".equals(state.getStatus()) ? StartupStatus.NOT_YET_KNOWN : StartupStatus.SUCCESSFUL;
        }
    }

    /** Readiness is the harness's business (ready lines), not Testcontainers'. */
    private static final class NoWait extends AbstractWaitStrategy {
        @Override
        protected void waitUntilReady() {
        }
    }
}
