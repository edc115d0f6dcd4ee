// SPDX-License-Identifier: Apache-2.0
// Shutdown: why the server should stop (SIGTERM, SIGINT, or a failure), heard from any thread.
package dev.udsinterop.server;

import java.util.concurrent.CountDownLatch;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * The reason to stop. SIGTERM and SIGINT are handled here rather than by the JVM, whose
 * default is to run the shutdown hooks and exit with 128 + the signal number: a server that
 * shuts down cleanly on request exits 0, also as PID 1 under {@code docker stop}. A second
 * signal during the grace period runs {@link #onRepeat(Runnable)}'s action, to stop at once,
 * also when it came before that action was set.
 *
 * <p>A signal the server inherited as ignored (a non-interactive shell starts background jobs
 * with SIGINT ignored) gets no handler from the JVM; its default is restored first (see
 * {@link SignalDisposition}), so that both signals work however the server was started.
 */
final class Shutdown {
    private static final System.Logger LOG = System.getLogger(Shutdown.class.getName());

    private final CountDownLatch requested = new CountDownLatch(1);
    private int signals; // guarded by this
    private Runnable onRepeat; // guarded by this
    private volatile String reason;
    private volatile Throwable failure;

    Shutdown() {
    }

    /** Installs the SIGTERM and SIGINT handlers. */
    static Shutdown onSignals() {
        Shutdown shutdown = new Shutdown();
        for (String name : new String[] {"TERM", "INT"}) {
            Signal signal = new Signal(name);
            SignalHandler handler = s -> shutdown.signalled("SIG" + s.getName());
            if (Signal.handle(signal, handler) == SignalHandler.SIG_IGN) {
                // The JVM keeps an inherited SIG_IGN and installs nothing.
                if (SignalDisposition.restoreDefault(signal.getNumber())) {
                    Signal.handle(signal, handler);
                } else {
                    LOG.log(System.Logger.Level.WARNING, "SIG{0} is ignored by inheritance and this Java ({1}) cannot "
                            + "restore it, so SIG{0} will not stop the server: start it with "
                            + "env --default-signal={0} (./uds-interop server does) or on Java 22+",
                            name, Runtime.version().feature());
                }
            }
        }
        return shutdown;
    }

    /** Handles a signal: the first asks for a shutdown, any later one runs the repeat action. */
    void signalled(String name) {
        Runnable action;
        synchronized (this) {
            if (signals++ == 0) {
                reason = name;
                requested.countDown();
                return;
            }
            action = onRepeat;
        }
        if (action != null) {
            action.run();
        }
    }

    /** Requests a shutdown because of an unexpected failure. */
    void fail(Throwable cause) {
        if (failure == null) {
            failure = cause;
        }
        requested.countDown();
    }

    /** Sets what a second signal does; runs it at once if a second signal already came. */
    void onRepeat(Runnable action) {
        boolean repeated;
        synchronized (this) {
            onRepeat = action;
            repeated = signals > 1;
        }
        if (repeated) {
            action.run();
        }
    }

    /** Blocks until a signal or a failure asks for a shutdown. */
    void await() throws InterruptedException {
        requested.await();
    }

    /** Returns the failure that asked for the shutdown, or null when it was a signal. */
    Throwable failure() {
        return failure;
    }

    /** Returns the signal's name, e.g. {@code SIGTERM}, or null. */
    String reason() {
        return reason;
    }
}
