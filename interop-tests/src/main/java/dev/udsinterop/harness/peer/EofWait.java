// SPDX-License-Identifier: Apache-2.0
// EofWait: how long a client waits for the server's EOF once it has its whole echo and has half-closed.
package dev.udsinterop.harness.peer;

import dev.udsinterop.harness.fixture.InteropCase;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The wait for EOF, bounded on its own. Once a connection has its whole echo and has
 * half-closed, a server that closes at all does so at once; one that never does would hold
 * the client until the case's deadline (10-60 s), in every half-close case, with every client,
 * and a check of such a server would take an hour. So from the later of the two moments the
 * client waits {@link #WAIT}, scaled like the case's deadline ({@code --timeout-scale}), and the
 * case fails as {@code no-eof}. The Go client does the same (its {@code -eof-timeout}).
 */
final class EofWait {
    /** The wait at {@code --timeout-scale 1}: long for a server that closes at all, short against a deadline. */
    static final Duration WAIT = Duration.ofSeconds(2);

    private final long waitNanos;
    private final AtomicBoolean echoed = new AtomicBoolean();
    private final AtomicBoolean halfClosed = new AtomicBoolean();
    private final AtomicInteger missing = new AtomicInteger(2);
    private final CompletableFuture<Long> started = new CompletableFuture<>(); // System.nanoTime when both happened

    EofWait(Duration wait) {
        this.waitNanos = wait.toNanos();
    }

    /** Returns the wait for case {@code c} run with deadline {@code timeout}: {@link #WAIT} scaled as its timeoutMs was. */
    static Duration of(InteropCase c, Duration timeout) {
        return Duration.ofNanos(Math.round(WAIT.toNanos() * ((double) timeout.toMillis() / c.timeoutMs())));
    }

    /** The connection has its whole echo. */
    void echoComplete() {
        if (echoed.compareAndSet(false, true)) {
            arrive();
        }
    }

    /** The connection has half-closed. */
    void halfClosed() {
        if (halfClosed.compareAndSet(false, true)) {
            arrive();
        }
    }

    private void arrive() {
        if (missing.decrementAndGet() == 0) {
            started.complete(System.nanoTime());
        }
    }

    /**
     * Waits until {@code ended} completes (the reading ended), until {@code deadline} (System.nanoTime) passes, or,
     * once the echo is whole and the connection half-closed, until the wait has run out, whichever comes first.
     * Returns true if {@code ended} completed.
     */
    boolean await(CompletableFuture<?> ended, long deadline) throws InterruptedException {
        try {
            CompletableFuture.anyOf(ended, started).get(remaining(deadline), TimeUnit.NANOSECONDS);
            if (!ended.isDone()) {
                long eofDue = started.join() + waitNanos;
                ended.get(remaining(eofDue - deadline < 0 ? eofDue : deadline), TimeUnit.NANOSECONDS); // the earlier
            }
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            return true; // it ended; the caller asks how
        }
    }

    /** Returns why the wait ended without EOF, for a failure's detail, if it was this wait and not the deadline; else null. */
    String ranOut(long deadline) {
        if (!started.isDone() || started.join() + waitNanos - deadline >= 0) {
            return null;
        }
        return String.format("no EOF within %.1f s of the whole echo and the half-close (the wait for EOF, 2 s at "
                + "--timeout-scale 1)", waitNanos / 1e9);
    }

    private static long remaining(long deadline) {
        return Math.max(0, deadline - System.nanoTime());
    }
}
