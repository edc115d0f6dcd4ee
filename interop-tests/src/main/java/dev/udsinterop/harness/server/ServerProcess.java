// SPDX-License-Identifier: Apache-2.0
// ServerProcess: a started server under test: its ready line, its signals, its exit, its descriptors and its last words.
package dev.udsinterop.harness.server;

import static org.awaitility.Awaitility.await;

import dev.udsinterop.harness.host.OutputTail;
import dev.udsinterop.harness.host.ProcFs;
import dev.udsinterop.harness.transport.Endpoint;
import dev.udsinterop.harness.transport.Transport;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.core.ConditionTimeoutException;

/**
 * A server process. Standard output is watched for ready lines; the last lines of standard
 * error are kept as evidence for failures. {@link #close()} kills the process if it still
 * runs, with the processes it started, so whatever happens to a case, nothing is left behind.
 * A run starts its servers through {@link LocalRuntime}, which stops them all when the run is stopped.
 *
 * <p>The one process type of every server under test the harness starts. java-server's own
 * tests keep a small one of their own: java-server is built before the harness, which needs
 * its jar, so it cannot depend on the harness without a cycle.
 */
public final class ServerProcess implements RunningServer {

    private final ServerSpec spec;
    private final String id;
    private final ServerSpec.Launch launch;
    private final Readiness readiness;
    private final Process process;
    private final List<Endpoint> endpoints = new CopyOnWriteArrayList<>();
    private final OutputTail stderr = new OutputTail();
    private volatile Endpoint endpoint;
    private final Thread stdoutReader;
    private final Thread stderrReader;
    private volatile boolean signalled;
    /** What the process started itself, noted before it is stopped: once it is gone they cannot be found from it. */
    private final java.util.Set<ProcessHandle> offspring = java.util.concurrent.ConcurrentHashMap.newKeySet();

    private ServerProcess(ServerSpec spec, ServerSpec.Launch launch, Readiness readiness, Process process) {
        this.spec = spec;
        this.id = spec.id();
        this.launch = launch;
        this.readiness = readiness;
        this.process = process;
        // Platform threads: a read from a process pipe pins a virtual thread's carrier for as long as the
        // server is silent, and two such readers took both carriers of a 2-core machine, so that no
        // virtual thread (a client's timed wait included) ran again: check hung.
        this.stdoutReader = Thread.ofPlatform().daemon().name(id + "-stdout").start(() -> lines(process.getInputStream(), line -> {
            Endpoint endpoint = Endpoint.fromReadyLine(line);
            if (endpoint != null) {
                endpoints.add(endpoint);
            }
        }));
        this.stderrReader = Thread.ofPlatform().daemon().name(id + "-stderr").start(() -> stderr.keep(process.getErrorStream()));
    }

    /**
     * Starts {@code spec} with its socket at {@code socket} (and a free port, if its template
     * has {@value ServerSpec#PORT}); does not wait for it to be ready.
     *
     * @throws ServerException if the program cannot be started
     */
    public static ServerProcess start(ServerSpec spec, Path socket) {
        ServerSpec.Launch launch = spec.launch(socket);
        Readiness readiness = new Readiness(launch);
        try {
            Process process = new ProcessBuilder(DefaultSignals.restoring(launch.command())).redirectInput(ProcessBuilder.Redirect.PIPE).start();
            return new ServerProcess(spec, launch, readiness, process);
        } catch (IOException e) {
            throw new ServerException("start", spec.id(), String.join(" ", launch.command()), e.getMessage());
        }
    }

    /** Returns the command this process was started with, and its socket path and port. */
    public ServerSpec.Launch launch() {
        return launch;
    }

    /**
     * Waits until the server listens on {@code transport} and returns where.
     *
     * @throws WrongPathException if its ready line announces a unix path other than the one it was given
     * @throws ServerException if the server exits first or is not ready within {@code timeout}
     */
    @Override
    public Endpoint awaitReady(Transport transport, Duration timeout) {
        Endpoint endpoint = awaitReadyOrExit(transport, timeout);
        if (endpoint == null) {
            throw new ServerException("start", id, readiness.expected(transport), "exited with status "
                    + exitStatus(Duration.ofSeconds(5)) + " before it was ready" + stderrSuffix());
        }
        return endpoint;
    }

    /**
     * Waits until the server listens on {@code transport}, returning where, or exits,
     * returning null. Listening means its ready line for the transport; unless the spec says
     * the server always prints one, also a new socket file at its path that accepts, or its
     * port accepting.
     *
     * @throws WrongPathException if its ready line announces a unix path other than the one it was given
     * @throws ServerException if neither happens within {@code timeout}
     */
    public Endpoint awaitReadyOrExit(Transport transport, Duration timeout) {
        AtomicReference<Endpoint> ready = new AtomicReference<>();
        try {
            await().atMost(timeout).pollInterval(Duration.ofMillis(5)).pollDelay(Duration.ZERO).until(() -> {
                ready.set(listening(transport));
                return ready.get() != null || !process.isAlive();
            });
        } catch (ConditionTimeoutException e) {
            throw new ServerException("start", id, readiness.expected(transport), "not ready within "
                    + timeout.toMillis() + " ms (no 'listening " + transport.id() + ":' line"
                    + (spec.readyLine() ? "" : ", and it does not accept") + ")" + stderrSuffix());
        }
        if (ready.get() == null) {
            exitStatus(Duration.ofSeconds(5)); // read its last words: a ready line may be among them
            ready.set(readyLine(transport));
        }
        Endpoint found = ready.get();
        if (found != null && transport == Transport.UNIX && !isGivenPath(found.path())) {
            throw new WrongPathException(id, Endpoint.unix(launch.socket()), "its ready line announces " + found
                    + ", not the socket path it was given");
        }
        if (found != null) {
            endpoint = found;
        }
        return found;
    }

    /** Returns true if {@code announced} is the socket path this server was given, however it is spelt. */
    private boolean isGivenPath(Path announced) {
        Path given = launch.socket();
        if (announced.toAbsolutePath().normalize().equals(given.toAbsolutePath().normalize())) {
            return true;
        }
        try {
            return Files.exists(announced, LinkOption.NOFOLLOW_LINKS) && Files.isSameFile(announced, given);
        } catch (IOException e) {
            return false;
        }
    }

    private Endpoint listening(Transport transport) {
        Endpoint announced = readyLine(transport);
        if (announced != null || spec.readyLine() || !process.isAlive()) {
            return announced;
        }
        return readiness.accepts(transport) ? readiness.expected(transport) : null;
    }

    private Endpoint readyLine(Transport transport) {
        return endpoints.stream().filter(e -> e.transport() == transport).findFirst().orElse(null);
    }

    @Override
    public Endpoint endpoint() {
        return endpoint;
    }

    @Override
    public List<Endpoint> endpoints() {
        return List.copyOf(endpoints);
    }

    @Override
    public Path socket() {
        return launch.socket();
    }

    @Override
    public boolean printedReadyLine() {
        return !endpoints.isEmpty();
    }

    @Override
    public void signal(String signal) {
        signalled = true;
        try {
            Process kill = new ProcessBuilder("kill", "-s", signal, Long.toString(process.pid()))
                    .redirectErrorStream(true).start();
            if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                kill.destroyForcibly();
                throw new ServerException("signal", id, "pid " + process.pid(), "kill -s " + signal + " failed");
            }
        } catch (IOException e) {
            throw new ServerException("signal", id, "pid " + process.pid(), "kill -s " + signal + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ServerException("signal", id, "pid " + process.pid(), "kill -s " + signal + ": interrupted");
        }
    }

    /**
     * Waits at most {@code timeout} for the process to exit; returns its status, or null if it
     * still runs. Once it has exited, everything it wrote has been read (its last words are evidence).
     */
    @Override
    public Integer exitStatus(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                return null;
            }
            stdoutReader.join(Duration.ofSeconds(5)); // the pipes are at EOF: quick
            stderrReader.join(Duration.ofSeconds(5));
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    @Override
    public boolean isAlive() {
        return process.isAlive();
    }

    /** Returns true once the harness sent the process a signal of its own ({@link #signal}): it may end by design. */
    public boolean signalled() {
        return signalled;
    }

    @Override
    public long pid() {
        return process.pid();
    }

    @Override
    public String id() {
        return id;
    }

    /**
     * Returns how many file descriptors the process has open (Linux, from /proc), or -1 when
     * it cannot be read (the process ended, or no /proc).
     */
    public long openDescriptors() {
        return ProcFs.descriptors(process.pid());
    }

    @Override
    public String stderrTail() {
        return stderr.text();
    }

    /** Returns a description of how the process is doing, for failure evidence: running, or its exit status, and its stderr. */
    @Override
    public String evidence() {
        Integer status = exitStatus(Duration.ZERO);
        return stderr.evidence(status == null ? id + " is running" : id + " exited with status " + status);
    }

    private String stderrSuffix() {
        return stderr.isEmpty() ? "" : "; stderr: " + stderr.oneLine();
    }

    @Override
    public void stop(Duration grace) {
        terminate();
        exitStatus(grace);
        close();
    }

    /** Asks the server to stop (SIGTERM) and returns at once; what it started is noted for {@link #close}. */
    public void terminate() {
        noteOffspring();
        if (process.isAlive()) {
            process.destroy();
        }
    }

    /**
     * Kills the process if it still runs, and every process it started that is still running (a shell's
     * children, socat's per-connection children), and waits for it to exit.
     */
    @Override
    public void close() {
        noteOffspring();
        if (process.isAlive()) {
            process.destroyForcibly();
        }
        offspring.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
        exitStatus(Duration.ofSeconds(10));
    }

    private void noteOffspring() {
        if (process.isAlive()) {
            process.descendants().forEach(offspring::add);
        }
    }

    private static void lines(InputStream in, java.util.function.Consumer<String> sink) {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            for (String line; (line = reader.readLine()) != null; ) {
                sink.accept(line);
            }
        } catch (IOException ignored) {
            // the process ended
        }
    }
}
