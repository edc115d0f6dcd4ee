// SPDX-License-Identifier: Apache-2.0
// AcceptBackoff: when an event loop accepts again after accept failed (out of descriptors): 5 ms, doubling to 1 s.
package dev.udsinterop.server;

import java.util.concurrent.TimeUnit;

/**
 * The accept back-off of one event loop. When {@code accept} fails (EMFILE: out of
 * descriptors) the client stays in the backlog and the listener stays ready, so retrying at
 * once would spin. The loop stops accepting for 5 ms, twice as long after each pause that
 * ends in another failure, up to 1 s, and sooner when one of its descriptors is freed.
 *
 * <p>One pause per round: when several listeners fail in the same select, the first failure
 * pauses accepting on all of them and the others change nothing; each doubling the delay
 * would make one failed round count as several.
 *
 * <p>Times are {@link System#nanoTime()} values. Confined to the loop's thread.
 */
final class AcceptBackoff {
    static final long FIRST_NANOS = TimeUnit.MILLISECONDS.toNanos(5);
    static final long MAX_NANOS = TimeUnit.SECONDS.toNanos(1);

    private long delayNanos; // of the last pause; 0 once an accept worked
    private long resumeAt;
    private boolean paused;
    private boolean resumeEarly; // a descriptor was freed during the pause

    /**
     * Records a failed accept at {@code now}. Returns true if accepting pauses now; false if
     * it is paused already (another listener failed in the same round).
     */
    boolean failed(long now) {
        if (paused) {
            return false;
        }
        delayNanos = delayNanos == 0 ? FIRST_NANOS : Math.min(2 * delayNanos, MAX_NANOS);
        resumeAt = now + delayNanos;
        paused = true;
        resumeEarly = false;
        return true;
    }

    /** Records an accept that worked: the next failure pauses for the first delay again. */
    void succeeded() {
        delayNanos = 0;
    }

    /** Returns true while accepting is paused. */
    boolean isPaused() {
        return paused;
    }

    /** Returns true, once, when the pause is over at {@code now}: the loop accepts again. */
    boolean resumeDue(long now) {
        if (paused && (resumeEarly || now - resumeAt >= 0)) {
            paused = false;
            return true;
        }
        return false;
    }

    /** Returns how long a select may block before the pause is over, or -1 when not paused. */
    long nanosToResume(long now) {
        if (!paused) {
            return -1;
        }
        return resumeEarly ? 0 : Math.max(0, resumeAt - now);
    }

    /** A descriptor was freed, so accepting may work again: the pause ends now. */
    void descriptorFreed() {
        if (paused) {
            resumeEarly = true;
        }
    }
}
