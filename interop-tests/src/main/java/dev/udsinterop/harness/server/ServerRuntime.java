// SPDX-License-Identifier: Apache-2.0
// ServerRuntime: where the servers under test of one runtime run: start one ready to serve, remove one between cases.
package dev.udsinterop.harness.server;

import dev.udsinterop.harness.transport.Transport;
import java.util.List;

/**
 * Starts servers under test in one runtime: as processes on this machine ({@link LocalRuntime}) or in containers
 * ({@code container.ContainerRuntime}). A {@link ServerPool} keeps one of them running between cases over any runtime.
 *
 * @param <S> the kind of running server the runtime starts
 */
public interface ServerRuntime<S extends RunningServer> {

    /**
     * Starts {@code spec} with {@code extra} after its arguments, at a fresh socket path, and returns it once it
     * serves on {@code transport}: its {@link RunningServer#endpoint()} is where this runtime's clients connect.
     *
     * @throws ServerException if it does not start or is not ready in time (nothing of it is left running)
     */
    S start(ServerSpec spec, Transport transport, List<String> extra) throws InterruptedException;

    /** Removes {@code server}, one of this runtime's, as it does between cases: nothing of it is left behind. */
    void remove(S server);
}
