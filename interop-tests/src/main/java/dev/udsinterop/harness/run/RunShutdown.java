// SPDX-License-Identifier: Apache-2.0
// RunShutdown: what SIGTERM or SIGINT does to check and run: the run's servers and containers stop, then every process the JVM started.
package dev.udsinterop.harness.run;

import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A JVM shutdown hook for as long as a command runs cases. A CI job's timeout or Ctrl-C ends the JVM, and the
 * server under test (or the replacement being started) and the client programs used to outlive it. The hook stops
 * the run ({@link Runner#stop}: no server is started any more, every server and container goes, TERM then KILL),
 * then every process this JVM still has as a descendant (client programs: nc, socat, the Go client): SIGTERM,
 * then SIGKILL to whatever is left after {@link #GRACE}. The JVM then exits as the signal says (143 for SIGTERM,
 * 130 for SIGINT), with no report written.
 */
final class RunShutdown implements AutoCloseable {
    /** How long the client programs get to end on SIGTERM; the servers' grace is the runner's. */
    private static final Duration GRACE = Duration.ofSeconds(2);

    private final Thread hook;

    private RunShutdown(Thread hook) {
        this.hook = hook;
    }

    /** Installs the hook that stops {@code runner}'s run, and says so on {@code console}. */
    static RunShutdown install(Runner runner, PrintStream console) {
        Thread hook = new Thread(() -> {
            console.println("uds-interop: interrupted: stopping the servers, containers and clients; no report is written");
            runner.stop();
            stopDescendants(GRACE);
            console.flush();
        }, "uds-interop-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        return new RunShutdown(hook);
    }

    /**
     * Sends SIGTERM to every descendant of this JVM, waits up to {@code grace} for them, then sends SIGKILL to
     * every descendant there is then (one that started meanwhile too).
     */
    static void stopDescendants(Duration grace) {
        List<ProcessHandle> all = ProcessHandle.current().descendants().toList();
        all.forEach(ProcessHandle::destroy);
        long deadline = System.nanoTime() + grace.toNanos();
        for (ProcessHandle p : all) {
            try {
                p.onExit().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (TimeoutException | ExecutionException e) {
                // killed below
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        List<ProcessHandle> left = ProcessHandle.current().descendants().toList();
        left.forEach(ProcessHandle::destroyForcibly);
        for (ProcessHandle p : left) {
            try {
                p.onExit().get(1, TimeUnit.SECONDS);
            } catch (TimeoutException | ExecutionException e) {
                // SIGKILL cannot be refused: it is gone in a moment
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Removes the hook: the run ended by itself. */
    @Override
    public void close() {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // the JVM is shutting down: the hook is running
        }
    }
}
