// SPDX-License-Identifier: Apache-2.0
// Traffic: how a case's client sends one connection's payload: write size, pauses, half-close.
package dev.udsinterop.harness.peer;

import dev.udsinterop.harness.fixture.InteropCase;
import java.io.IOException;
import java.util.concurrent.locks.LockSupport;

/**
 * The write side of an echo case, shared by the peers that write themselves (JDK, and the
 * process peers writing to a client's stdin).
 */
record Traffic(int chunkSize, long pauseNanos, boolean halfClose) {

    static Traffic of(InteropCase c) {
        return new Traffic(c.chunkSize(), c.pauseMicros() * 1_000L, c.halfClose());
    }

    /** Something that takes bytes: a socket or a process's stdin. */
    interface Sink {
        void write(byte[] bytes, int offset, int length) throws IOException;
    }

    /**
     * Writes {@code payload} to {@code sink} in chunks of {@link #chunkSize} (all at once when 0),
     * pausing between them. The pauses are the traffic under test (paced writes), not waiting for anything.
     */
    void writeTo(byte[] payload, Sink sink) throws IOException {
        int step = chunkSize == 0 ? Math.max(payload.length, 1) : chunkSize;
        for (int offset = 0; offset < payload.length; offset += step) {
            if (offset > 0 && pauseNanos > 0) {
                LockSupport.parkNanos(pauseNanos);
            }
            sink.write(payload, offset, Math.min(step, payload.length - offset));
        }
    }
}
