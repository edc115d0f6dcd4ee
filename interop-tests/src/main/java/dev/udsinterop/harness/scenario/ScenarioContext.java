// SPDX-License-Identifier: Apache-2.0
// ScenarioContext: what a scenario may use: the case, fresh servers in fresh directories, the shared server, a deadline.
package dev.udsinterop.harness.scenario;

import dev.udsinterop.harness.fixture.InteropCase;
import dev.udsinterop.harness.server.RunningServer;
import dev.udsinterop.harness.server.ServerProcess;
import dev.udsinterop.harness.server.ServerSpec;
import dev.udsinterop.harness.transport.Transport;
import dev.udsinterop.harness.verdict.Failure;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The means of a scenario, in the runtime of its matrix entry. Every server started and directory made through it
 * is cleaned up when the scenario ends, however it ends. The methods that name no runtime work in every runtime
 * the scenario runs in ({@link Scenario#runtimes()}); {@link #newDirectory()} and {@link #launch(Path)} are the
 * local runtime's, for the scenarios that drive this machine's files and processes.
 */
public interface ScenarioContext {

    InteropCase testCase();

    ServerSpec server();

    Transport transport();

    /** Returns the case's deadline (its timeoutMs, scaled). */
    Duration timeout();

    /** Returns a new empty directory with a short path, for a socket (local runtime). */
    Path newDirectory();

    /** Starts the server under test with its socket at {@code socket} (and a fresh port); does not wait (local runtime). */
    ServerProcess launch(Path socket);

    /** Starts the server under test on this transport at a fresh socket path and waits until it listens ({@link RunningServer#endpoint()}). */
    default RunningServer startFresh() {
        return startFresh(List.of());
    }

    /** Like {@link #startFresh()}, with {@code extra} after the server's arguments (e.g. {@code --mode 0666}). */
    RunningServer startFresh(List<String> extra);

    /**
     * Starts another server under test at the socket path {@code old} was given (where a stale file or a live server
     * is) and waits until it listens.
     *
     * @throws dev.udsinterop.harness.server.ServerException if it exits first or is not ready in time
     */
    RunningServer restartAt(RunningServer old);

    /**
     * Probes {@code server} with an echo from where this runtime's clients are; returns null if it echoed, else the
     * failure in the context {@code context} ({@code server-died} for a server that has exited), with its evidence.
     */
    Failure check(RunningServer server, String context) throws InterruptedException;

    /** Returns whether a file is at the socket path {@code server} was given, as this runtime's clients see that path. */
    boolean socketFileExists(RunningServer server) throws InterruptedException;

    /**
     * Probes {@code server} from a client of another uid ({@link #OTHER_USER}); returns null if it echoed, else why
     * not (the connect error says "Permission denied" for a socket of the default mode).
     *
     * @throws UnsupportedOperationException in a runtime whose clients all run as one user (local, cross-server)
     */
    String probeAsOtherUser(RunningServer server) throws InterruptedException;

    /** The uid:gid of the "other user" cases, neither the images' user nor root. */
    String OTHER_USER = "10002:10002";

    /** Returns the long-running server shared by the cases of this server and transport (started if need be). */
    RunningServer shared() throws InterruptedException;
}
