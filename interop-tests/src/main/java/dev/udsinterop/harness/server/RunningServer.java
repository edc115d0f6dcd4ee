// SPDX-License-Identifier: Apache-2.0
// RunningServer: a started server under test, wherever it runs: where it listens, its signals, its exit, its evidence.
package dev.udsinterop.harness.server;

import dev.udsinterop.harness.transport.Endpoint;
import dev.udsinterop.harness.transport.Transport;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The one handle of a server under test, a process on this machine ({@link ServerProcess}) or a container
 * ({@code container.ServerContainer}). The runner, the scenarios, the bench and the reliability trials use it
 * the same way; {@link #close()} removes the server whatever happened, so nothing is left behind.
 */
public interface RunningServer extends AutoCloseable {

    /** Returns the server's id in reports, e.g. {@code java}. */
    String id();

    /**
     * Waits until the server listens on {@code transport} and returns where its clients connect (also
     * {@link #endpoint()} from then on).
     *
     * @throws ServerException if it exits first or does not get there within {@code timeout}
     */
    Endpoint awaitReady(Transport transport, Duration timeout);

    /** Returns where clients connect, as the last {@link #awaitReady} found it; null before. */
    Endpoint endpoint();

    /** Returns every address the server's ready lines announced (a container's: the one it is ready on). */
    default List<Endpoint> endpoints() {
        return endpoint() == null ? List.of() : List.of(endpoint());
    }

    /**
     * Returns the socket path the server was told to use ({@code {unix}} filled in), in its own file system: the
     * path a scenario judges, whatever the server's ready line says.
     */
    Path socket();

    boolean isAlive();

    /** Sends {@code signal} (TERM, INT, KILL, ...). */
    void signal(String signal);

    /** Waits at most {@code timeout} for the exit and returns its status, or null if the server still runs. */
    Integer exitStatus(Duration timeout);

    /** Asks the server to stop (SIGTERM), waits up to {@code grace}, then kills it. */
    void stop(Duration grace);

    /** Returns the pid of the server's main process on this machine, for /proc, or -1 when it is not known. */
    long pid();

    /** Returns true if the server printed at least one ready line (a clean exit after a signal is then 0). */
    boolean printedReadyLine();

    /** Returns the last lines the server wrote to stderr. */
    String stderrTail();

    /** Returns how the server is doing (running, or its exit status) and the end of its stderr, for failure evidence. */
    String evidence();

    /** Removes the server, killing it if it still runs. */
    @Override
    void close();
}
