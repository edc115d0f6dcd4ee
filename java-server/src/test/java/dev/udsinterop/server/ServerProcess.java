// SPDX-License-Identifier: Apache-2.0
// ServerProcess: the packaged echo server run as a real process, with its ready lines, signals and exit status.
package dev.udsinterop.server;

import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * The server under test, started from the jar Maven packaged ({@code uds.server.jar}) with
 * the JVM running the tests. Output is collected line by line; {@link #close()} kills the
 * process if it is still running, so a failing test leaves nothing behind.
 */
final class ServerProcess implements AutoCloseable {
    static final Duration START_TIMEOUT = Duration.ofSeconds(20);

    private final Process process;
    private final List<String> stdout = new CopyOnWriteArrayList<>();
    private final List<String> stderr = new CopyOnWriteArrayList<>();
    private final List<Thread> collectors;

    private ServerProcess(Process process) {
        this.process = process;
        this.collectors = List.of(collect(process.getInputStream(), stdout), collect(process.getErrorStream(), stderr));
    }

    /** Starts the server with {@code args}; does not wait for it to be ready. */
    static ServerProcess start(String... args) throws IOException {
        return start(List.of(), args);
    }

    /** Starts the server with {@code args} behind a command {@code prefix} (e.g. setpriv). */
    static ServerProcess start(List<String> prefix, String... args) throws IOException {
        String jar = System.getProperty("uds.server.jar");
        if (jar == null || !Path.of(jar).toFile().isFile()) {
            throw new IllegalStateException("uds.server.jar not set or missing (" + jar + "): run the tests with mvn verify");
        }
        List<String> command = new ArrayList<>(prefix);
        command.add(ProcessHandle.current().info().command().orElse("java"));
        String options = System.getProperty("uds.server.jvm.options");
        if (options != null) {
            command.add("@" + options); // the flags the launcher and the harness use
        }
        command.add("-jar");
        command.add(jar);
        command.addAll(List.of(args));
        return new ServerProcess(new ProcessBuilder(command).start());
    }

    /** Starts the server and waits for its {@code listeners} ready lines. */
    static ServerProcess ready(int listeners, String... args) throws IOException, InterruptedException {
        ServerProcess server = start(args);
        try {
            server.awaitReady(listeners);
        } catch (RuntimeException | Error e) {
            server.close();
            throw e;
        }
        return server;
    }

    /** Waits until {@code n} ready lines were printed and returns them. */
    List<String> awaitReady(int n) {
        await("ready lines of the server (stderr: " + stderr + ")")
                .atMost(START_TIMEOUT)
                .pollInterval(Duration.ofMillis(10))
                .until(() -> stdout.size() >= n || !process.isAlive());
        if (stdout.size() < n) {
            throw new AssertionError("server exited " + exitValueOrNull() + " before it was ready; stderr: " + stderr);
        }
        return List.copyOf(stdout.subList(0, n));
    }

    /** Returns the address of the first ready line that starts with {@code network:}. */
    SocketAddress address(String network) {
        for (String line : stdout) {
            String prefix = "listening " + network + ":";
            if (line.startsWith(prefix)) {
                String rest = line.substring(prefix.length());
                if (network.equals("unix")) {
                    return UnixDomainSocketAddress.of(rest);
                }
                int colon = rest.lastIndexOf(':');
                String host = rest.substring(0, colon).replace("[", "").replace("]", "");
                return new InetSocketAddress(host, Integer.parseInt(rest.substring(colon + 1)));
            }
        }
        throw new AssertionError("no 'listening " + network + ":' line in " + stdout);
    }

    /** Sends {@code signal} (TERM, INT, KILL...) with kill(1). */
    void signal(String signal) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-s", signal, Long.toString(process.pid())).inheritIO().start();
        if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
            throw new AssertionError("kill -s " + signal + " " + process.pid() + " failed");
        }
    }

    /**
     * Waits at most {@code timeout} for the process to end and returns its exit status. Once
     * it returns, {@link #stdout()} and {@link #stderr()} hold everything the process wrote.
     */
    int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("server still running after " + timeout + "; stderr: " + stderr);
        }
        for (Thread collector : collectors) {
            if (!collector.join(timeout)) { // the pipes are at EOF: this is quick
                throw new AssertionError("output of the ended server not read within " + timeout);
            }
        }
        return process.exitValue();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    long pid() {
        return process.pid();
    }

    List<String> stdout() {
        return stdout;
    }

    /** Returns standard error so far, lines joined with newlines. */
    String stderr() {
        return String.join("\n", stderr);
    }

    private Integer exitValueOrNull() {
        return process.isAlive() ? null : process.exitValue();
    }

    private static Thread collect(InputStream in, List<String> lines) {
        return Thread.ofVirtual().start(() -> {
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                for (String line; (line = reader.readLine()) != null; ) {
                    lines.add(line);
                }
            } catch (IOException ignored) {
                // the process ended
            }
        });
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
