// SPDX-License-Identifier: Apache-2.0
// ScenarioContext: what a scenario may use: the case, fresh servers in fresh directories, the shared server, a deadline.
package dev.udsinterop.harness.scenario;

import dev.udsinterop.harness.fixture.InteropCase;
import dev.udsinterop.harness.server.RunningServer;
import dev.udsinterop.harness.server.ServerProcess;
import dev.udsinterop.harness.server.ServerSpec;
import dev.udsinterop.harness.transport.Transport;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The means of a scenario. Every process started and directory made through it is cleaned
 * up by the runner when the scenario ends, however it ends.
 */
public interface ScenarioContext {

    InteropCase testCase();

    ServerSpec server();

    Transport transport();

    /** Returns the case's deadline (its timeoutMs, scaled). */
    Duration timeout();

    /** Returns a new empty directory with a short path, for a socket. */
    Path newDirectory();

    /** Starts the server under test with its socket at {@code socket} (and a fresh port); does not wait. */
    ServerProcess launch(Path socket);

    /** Starts the server under test on this transport in a new directory and waits until it listens ({@link RunningServer#endpoint()}). */
    RunningServer startFresh();

    /** Returns the long-running server shared by the cases of this server and transport (started if need be). */
    RunningServer shared();
}
