// SPDX-License-Identifier: Apache-2.0
// Rendezvous: the barrier of a case's connections: every one has its whole echo before any of them closes or half-closes.
package dev.udsinterop.harness.peer;

import dev.udsinterop.harness.fixture.InteropCase;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * For a case with {@code barrier}: N clients connected at once, each served while the others
 * still hold their connections open. A server that serves one client at a time never gets
 * them all there; without a barrier each client closes once served, and it passes. A
 * connection that fails before it arrives breaks the barrier: the others stop waiting (and
 * do not half-close as if all had been served).
 */
final class Rendezvous {
    /** The rendezvous of a case without a barrier: nobody waits there. */
    static final Rendezvous NONE = new Rendezvous(0);

    private final CountDownLatch arrivals;
    private final CountDownLatch over = new CountDownLatch(1); // all arrived, or one left without arriving
    private final AtomicBoolean broken = new AtomicBoolean();

    private Rendezvous(int parties) {
        this.arrivals = new CountDownLatch(parties);
        if (parties == 0) {
            over.countDown();
        }
    }

    /** Returns the rendezvous of one run of {@code c}: a real one if the case has a barrier, else one nobody waits at. */
    static Rendezvous of(InteropCase c) {
        return c.barrier() ? new Rendezvous(c.connections()) : NONE;
    }

    /** Returns the place of one connection. */
    Party party() {
        return new Party();
    }

    /** One connection's place at the rendezvous. */
    final class Party {
        private final AtomicBoolean done = new AtomicBoolean();

        /** Returns true if the connection must wait here once it has its echo. */
        boolean waits() {
            return Rendezvous.this != NONE;
        }

        /**
         * Arrives with the whole echo and waits for the others until {@code deadline} (System.nanoTime); returns
         * false if they did not all come (the deadline passed, or one failed first).
         */
        boolean arriveAndAwait(long deadline) throws InterruptedException {
            if (done.compareAndSet(false, true)) {
                arrivals.countDown();
                if (arrivals.getCount() == 0) {
                    over.countDown();
                }
            }
            return over.await(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS) && !broken.get();
        }

        /** Leaves without arriving, if it has not arrived: the connection failed, so the barrier cannot be met. */
        void leave() {
            if (done.compareAndSet(false, true)) {
                broken.set(true);
                over.countDown();
            }
        }
    }
}
