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
 * them all there; without a barrier each client closes once served, and it passes.
 */
final class Rendezvous {
    /** The rendezvous of a case without a barrier: nobody waits there. */
    static final Rendezvous NONE = new Rendezvous(0);

    private final CountDownLatch arrivals;

    private Rendezvous(int parties) {
        this.arrivals = new CountDownLatch(parties);
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
        private final AtomicBoolean arrived = new AtomicBoolean();

        /** Returns true if the connection must wait here once it has its echo. */
        boolean waits() {
            return Rendezvous.this != NONE;
        }

        /** Says this connection is there (it has its echo, or it failed and will not come): once. */
        void arrive() {
            if (arrived.compareAndSet(false, true)) {
                arrivals.countDown();
            }
        }

        /** Arrives and waits for the others until {@code deadline} (System.nanoTime); returns false if they did not come. */
        boolean arriveAndAwait(long deadline) throws InterruptedException {
            arrive();
            return arrivals.await(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        }
    }
}
