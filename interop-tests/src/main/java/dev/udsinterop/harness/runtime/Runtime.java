// SPDX-License-Identifier: Apache-2.0
// Runtime: a place other than this machine's processes where the matrix's entries run (containers, and across the boundary).
package dev.udsinterop.harness.runtime;

import dev.udsinterop.harness.matrix.MatrixEntry;
import dev.udsinterop.harness.peer.Exchange;
import java.time.Duration;

/**
 * Starts the entry's server where the runtime puts servers, runs the entry's client where it
 * puts clients, and says what happened. The local runtime is the runner's own loop; the
 * container runtimes implement this. Which entries exist is {@link RuntimeKind#covers}.
 */
public interface Runtime extends AutoCloseable {

    RuntimeKind kind();

    /**
     * Runs {@code entry}: an echo case through its client followed by a probe of the server, or
     * one of the runtime's scenario cases. A misbehaving server or client is a failure in the
     * returned exchange, never an exception.
     */
    Exchange run(MatrixEntry entry, Duration timeout) throws InterruptedException;

    /** Removes every container, network, volume and directory the runtime made. */
    @Override
    void close();
}
