// SPDX-License-Identifier: Apache-2.0
// Server: a running server under test as the container runtimes see it, in a container or on this machine.
package dev.udsinterop.harness.container;

import dev.udsinterop.harness.transport.Endpoint;
import dev.udsinterop.harness.transport.Transport;
import java.time.Duration;

/** A started server: where the runtime's clients reach it, its signals, its exit and its evidence. */
interface Server extends AutoCloseable {

    /**
     * Waits until the server listens on {@code transport} and returns where the runtime's
     * clients connect.
     *
     * @throws dev.udsinterop.harness.server.ServerException if it exits first or does not get there in time
     */
    Endpoint awaitReady(Transport transport, Duration timeout);

    /** Returns where the runtime's clients would reach the server on {@code transport} (before it said so). */
    Endpoint expected(Transport transport);

    boolean isAlive();

    /** Sends {@code signal} (TERM, INT, KILL). */
    void signal(String signal);

    /** Waits at most {@code timeout} for the exit and returns its status, or null if the server still runs. */
    Integer exitStatus(Duration timeout);

    /** Asks the server to stop (SIGTERM), waits up to {@code grace}, then kills it. */
    void stop(Duration grace);

    /** Returns how the server is doing and the end of its stderr, for failure evidence. */
    String evidence();

    /** Removes the server (killing it if need be). */
    @Override
    void close();
}
