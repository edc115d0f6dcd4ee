// SPDX-License-Identifier: Apache-2.0
// ServerUnderLoad: a benchmarked server, kept running for the whole run, in its runtime, with the loadgen that measures it.
package dev.udsinterop.harness.bench;

import dev.udsinterop.harness.transport.Transport;

/**
 * One server on one transport in one runtime: a process here ({@link RunningServer}) or a container
 * ({@link ContainerServer}). Its CPU time and memory come from /proc by its pid on this machine, so that a
 * measurement reads both runtimes the same way.
 */
interface ServerUnderLoad extends AutoCloseable {

    String id();

    Transport transport();

    /** {@link BenchReport#LOCAL} or {@link BenchReport#CONTAINER}. */
    String runtime();

    /** The pid of the server's main process on this machine. */
    long pid();

    boolean isAlive();

    /** How the server is doing and the end of its stderr, for a failed measurement. */
    String evidence();

    /**
     * Runs loadgen's {@code workload} against the server; for idle, {@code whileHeld} runs while the connections
     * are held.
     *
     * @throws BenchException when loadgen fails (an echo was wrong, the server went away) or hangs
     */
    Loadgen.Result load(Workload workload, Runnable whileHeld);

    @Override
    void close();
}
