// SPDX-License-Identifier: Apache-2.0
// Idle: how an event loop waits when it has nothing to do: block in select, spin on selectNow, or spin briefly after work.
package dev.udsinterop.server;

import java.util.Locale;

/**
 * What an {@link EventLoop} does when it has nothing to do (the server's {@code --idle}).
 *
 * <p>{@link #BLOCK} waits in {@code epoll_wait} until the kernel wakes it: no CPU while
 * nothing happens, but every wake-up is a context switch, and on a virtual machine whose idle
 * vCPU halts at once (cpuidle {@code guest_halt_poll_ns=0}) one that may cost an inter-processor
 * interrupt and two VM exits. {@link #SPIN} polls with {@code selectNow} for as long as the
 * loop owns a connection: the lowest latency, a whole core per loop while a client is
 * connected. {@link #ADAPTIVE} polls only for a bounded window right after the loop did work
 * (in the style of Agrona's {@code BackoffIdleStrategy}, whose last phase is a timed park
 * where this one must be a blocking select, see docs/benchmark.md), and then blocks: a reply
 * that comes back within the window is caught without a wake-up, and an idle loop costs
 * nothing once the window has passed.
 */
enum Idle {
    BLOCK, SPIN, ADAPTIVE;

    /** The server's default, decided by the bench (docs/benchmark.md, "Idle strategy"). */
    static final Idle DEFAULT = BLOCK;

    /** How long an adaptive loop polls after its last work: a round trip's worth on these machines (see docs/benchmark.md). */
    static final long ADAPTIVE_WINDOW_NANOS = 50_000;

    /**
     * Returns whether the loop polls rather than blocks in its next select, {@code sinceWork}
     * nanoseconds after it last did work, owning {@code connections} connections.
     */
    boolean polls(long sinceWork, int connections) {
        return switch (this) {
            case BLOCK -> false;
            case SPIN -> connections > 0 || sinceWork < ADAPTIVE_WINDOW_NANOS;
            case ADAPTIVE -> sinceWork < ADAPTIVE_WINDOW_NANOS;
        };
    }

    /** Parses {@code block}, {@code spin} or {@code adaptive}. */
    static Idle parse(String text) {
        for (Idle idle : values()) {
            if (idle.toString().equals(text)) {
                return idle;
            }
        }
        throw new IllegalArgumentException("'" + text + "' is not an idle strategy (want block, spin or adaptive)");
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
