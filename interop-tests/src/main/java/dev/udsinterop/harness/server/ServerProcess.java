// SPDX-License-Identifier: Apache-2.0
// ServerProcess: a started server under test: its ready line, its signals, its exit, its descriptors and its last words.
package dev.udsinterop.harness.server;

import static org.awaitility.Awaitility.await;

import dev.udsinterop.harness.transport.Endpoint;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.awaitility.core.ConditionTimeoutException;

/**
 * A server process. Standard output is watched for ready lines; the last lines of standard
 * error are kept as evidence for failures. {@link #close()} kills the process if it still
 * runs, so whatever happens to a case, nothing is left behind.
 */
public final class ServerProcess implements AutoCloseable {
    private static final int STDERR_LINES = 40;

    private final String id;
    private final Process process;
    private final List<Endpoint> endpoints = new CopyOnWriteArrayList<>();
    private final ArrayDeque<String> stderr = new ArrayDeque<>();
    private final Thread stdoutReader;
    private final Thread stderrReader;

    private ServerProcess(String id, Process process) {
        this.id = id;
        this.process = process;
        this.stdoutReader = Thread.ofVirtual().name(id + "-stdout").start(() -> lines(process.getInputStream(), line -> {
            Endpoint endpoint = Endpoint.fromReadyLine(line);
            if (endpoint != null) {
                endpoints.add(endpoint);
            }
        }));
        this.stderrReader = Thread.ofVirtual().name(id + "-stderr").start(() -> lines(process.getErrorStream(), line -> {
            synchronized (stderr) {
                if (stderr.size() == STDERR_LINES) {
                    stderr.removeFirst();
                }
                stderr.addLast(line);
            }
        }));
    }

    /**
     * Starts {@code command} as server {@code id}; does not wait for it to be ready.
     *
     * @throws ServerException if the program cannot be started
     */
    public static ServerProcess start(String id, List<String> command) {
        try {
            return new ServerProcess(id, new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.PIPE).start());
        } catch (IOException e) {
            throw new ServerException("start " + id + " " + String.join(" ", command) + ": " + e.getMessage());
        }
    }

    /**
     * Waits for the first ready line and returns its endpoint.
     *
     * @throws ServerException if the server exits first or prints none within {@code timeout}
     */
    public Endpoint awaitReady(Duration timeout) {
        Endpoint endpoint = awaitReadyOrExit(timeout);
        if (endpoint == null) {
            throw new ServerException("start " + id + ": exited with status " + exitStatus(Duration.ofSeconds(5))
                    + " before it was ready" + stderrSuffix());
        }
        return endpoint;
    }

    /**
     * Waits until the server prints its first ready line, returning its endpoint, or exits,
     * returning null.
     *
     * @throws ServerException if neither happens within {@code timeout}
     */
    public Endpoint awaitReadyOrExit(Duration timeout) {
        try {
            await().atMost(timeout).pollInterval(Duration.ofMillis(5)).pollDelay(Duration.ZERO)
                    .until(() -> !endpoints.isEmpty() || !process.isAlive());
        } catch (ConditionTimeoutException e) {
            throw new ServerException("start " + id + ": no 'listening' line within " + timeout.toMillis() + " ms"
                    + stderrSuffix());
        }
        return endpoints.isEmpty() ? null : endpoints.get(0);
    }

    /** Sends {@code signal} (TERM, INT, KILL, ...) to the process. */
    public void signal(String signal) {
        try {
            Process kill = new ProcessBuilder("kill", "-s", signal, Long.toString(process.pid()))
                    .redirectErrorStream(true).start();
            if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                kill.destroyForcibly();
                throw new ServerException("kill -s " + signal + " " + id + " (pid " + process.pid() + ") failed");
            }
        } catch (IOException e) {
            throw new ServerException("kill -s " + signal + " " + id + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ServerException("kill -s " + signal + " " + id + ": interrupted");
        }
    }

    /**
     * Waits at most {@code timeout} for the process to exit; returns its status, or null if it
     * still runs. Once it has exited, everything it wrote has been read (its last words are evidence).
     */
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

    public boolean isAlive() {
        return process.isAlive();
    }

    public String id() {
        return id;
    }

    /**
     * Returns how many file descriptors the process has open (Linux, from /proc), or -1 when
     * it cannot be read (the process ended, or no /proc).
     */
    public long openDescriptors() {
        try (var fds = Files.list(Path.of("/proc", Long.toString(process.pid()), "fd"))) {
            return fds.count();
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** Returns the last lines the server wrote to stderr. */
    public String stderrTail() {
        synchronized (stderr) {
            return String.join("\n", stderr);
        }
    }

    /** Returns a description of how the process is doing, for failure evidence: running, or its exit status, and its stderr. */
    public String evidence() {
        Integer status = exitStatus(Duration.ZERO);
        String state = status == null ? id + " is running" : id + " exited with status " + status;
        String tail = stderrTail();
        return tail.isEmpty() ? state + " (stderr empty)" : state + "; its stderr ends with:\n" + tail;
    }

    private String stderrSuffix() {
        String tail = stderrTail();
        return tail.isEmpty() ? "" : "; stderr: " + tail.replace('\n', ' ');
    }

    /** Asks the server to stop (SIGTERM), waits up to {@code grace}, then kills it. */
    public void stop(Duration grace) {
        if (process.isAlive()) {
            process.destroy();
            if (exitStatus(grace) == null) {
                close();
            }
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
            exitStatus(Duration.ofSeconds(10));
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
