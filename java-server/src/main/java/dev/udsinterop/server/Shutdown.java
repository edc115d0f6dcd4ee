// SPDX-License-Identifier: Apache-2.0
// Shutdown: why the server should stop (SIGTERM, SIGINT, or a failure), heard from any thread.
package dev.udsinterop.server;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import sun.misc.Signal;

/**
 * The reason to stop. SIGTERM and SIGINT are handled here rather than by the JVM, whose
 * default is to run the shutdown hooks and exit with 128 + the signal number: a server that
 * shuts down cleanly on request exits 0, also as PID 1 under {@code docker stop}. A second
 * signal during the grace period runs {@link #onRepeat(Runnable)}'s action, to stop at once.
 */
final class Shutdown {
    private final CountDownLatch requested = new CountDownLatch(1);
    private final AtomicInteger signals = new AtomicInteger();
    private volatile String reason;
    private volatile Throwable failure;
    private volatile Runnable onRepeat = () -> { };

    private Shutdown() {
    }

    /** Installs the SIGTERM and SIGINT handlers. */
    static Shutdown onSignals() {
        Shutdown shutdown = new Shutdown();
        for (String name : new String[] {"TERM", "INT"}) {
            Signal.handle(new Signal(name), shutdown::signalled);
        }
        return shutdown;
    }

    private void signalled(Signal signal) {
        if (signals.getAndIncrement() == 0) {
            reason = "SIG" + signal.getName();
            requested.countDown();
        } else {
            onRepeat.run();
        }
    }

    /** Requests a shutdown because of an unexpected failure. */
    void fail(Throwable cause) {
        if (failure == null) {
            failure = cause;
        }
        requested.countDown();
    }

    /** Sets what a second signal does. */
    void onRepeat(Runnable action) {
        onRepeat = action;
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
