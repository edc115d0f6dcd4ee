// SPDX-License-Identifier: Apache-2.0
// ContainerRuntimes: the runtimes that need Docker, opened on first use, or the one-line reason they cannot run here.
package dev.udsinterop.harness.container;

import dev.udsinterop.harness.ProjectLayout;
import dev.udsinterop.harness.matrix.MatrixEntry;
import dev.udsinterop.harness.peer.Exchange;
import dev.udsinterop.harness.runtime.RuntimeKind;
import dev.udsinterop.harness.verdict.Failure;
import dev.udsinterop.harness.verdict.FailureKind;
import java.io.PrintStream;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;

/**
 * The container, cross-server and cross-client runtimes of one run. Docker is asked once
 * whether it answers; the images are made and the session opened at the first entry that
 * needs them, so a run of only local entries never touches Docker. Without Docker the
 * entries are skipped with the reason, or fail where Docker is required (CI=true,
 * --require-docker): the container matrix is never skipped silently in CI.
 */
public final class ContainerRuntimes implements AutoCloseable {
    private final ProjectLayout layout;
    private final PrintStream progress;
    private final boolean required;
    private final Map<RuntimeKind, ContainerRuntime> open = new EnumMap<>(RuntimeKind.class);
    private String unavailable;
    private boolean asked;
    private Session session;
    private String sessionFailure;
    private boolean closed;

    public ContainerRuntimes(ProjectLayout layout, PrintStream progress, boolean required) {
        this.layout = layout;
        this.progress = progress;
        this.required = required;
    }

    /**
     * Returns container runtimes that cannot run here because of {@code reason} (for a caller that
     * already knows Docker is missing, and for tests of what that does to a run).
     */
    public static ContainerRuntimes unavailable(ProjectLayout layout, String reason, boolean required) {
        ContainerRuntimes runtimes = new ContainerRuntimes(layout, System.out, required);
        runtimes.unavailable = reason;
        runtimes.asked = true;
        return runtimes;
    }

    /** Returns true when CI=true: a CI run must not pass with the container runtimes skipped. */
    public static boolean requiredByEnvironment() {
        return "true".equalsIgnoreCase(System.getenv("CI"));
    }

    /** Returns true if a missing Docker is a failure rather than a skip. */
    public boolean required() {
        return required;
    }

    /** Returns null if Docker answers, else why the container runtimes cannot run (asked once per run). */
    public synchronized String unavailable() {
        if (!asked) {
            unavailable = Docker.unavailable();
            asked = true;
        }
        return unavailable;
    }

    /** Returns why the container runtimes' entries were skipped, or null if they were not (or none was asked for). */
    public synchronized String skipReason() {
        return asked && !required ? unavailable : null;
    }

    /** Runs {@code entry} in its runtime; a failure to build images or start containers is the entry's failure. */
    public Exchange run(RuntimeKind kind, MatrixEntry entry, Duration timeout) throws InterruptedException {
        ContainerRuntime runtime;
        synchronized (this) {
            if (closed) {
                return failed(entry, "the " + kind + " runtime: the run is stopping, no container is started any more");
            }
            if (sessionFailure != null) {
                return failed(entry, sessionFailure);
            }
            try {
                if (session == null) {
                    session = Session.open(layout, progress);
                }
                runtime = open.computeIfAbsent(kind, k -> new ContainerRuntime(k, session));
                open.forEach((k, other) -> {
                    if (k != kind) {
                        other.releaseServer();
                    }
                });
            } catch (RuntimeException e) {
                sessionFailure = "prepare the " + kind + " runtime: " + e.getMessage();
                return failed(entry, sessionFailure);
            }
        }
        return runtime.run(entry, timeout);
    }

    /** Returns the failure of {@code entry} in the runtime, {@code run SERVER TRANSPORT: cause}. */
    static Exchange failed(MatrixEntry entry, String cause) {
        return Exchange.failed(Failure.of(FailureKind.ERROR, "run", entry.server().id(), entry.transport().id(), cause));
    }

    /**
     * Stops the servers the runtimes keep running between cases. The runner calls this before a
     * local entry, and each runtime's entries release the others': a server process kept on this
     * machine (cross-client) has two pipe readers, virtual threads that block in native reads and
     * hold scheduler carriers, of which a 2-core machine has two.
     */
    public synchronized void releaseServers() {
        open.values().forEach(ContainerRuntime::releaseServer);
    }

    /** Removes every container, network, volume and directory of the run; creates none from now on. */
    @Override
    public synchronized void close() {
        closed = true;
        open.values().forEach(ContainerRuntime::close);
        open.clear();
        if (session != null) {
            session.close();
            session = null;
        }
    }
}
