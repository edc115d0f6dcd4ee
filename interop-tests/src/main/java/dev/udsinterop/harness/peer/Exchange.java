// SPDX-License-Identifier: Apache-2.0
// Exchange: what one echo case did through one peer: bytes, verdict with evidence, timing samples.
package dev.udsinterop.harness.peer;

import dev.udsinterop.harness.verdict.Failure;
import java.util.List;

/**
 * The outcome of an echo case through a peer.
 *
 * @param bytesSent bytes the client sent, over all connections
 * @param bytesReceived bytes it received back
 * @param failure why the echo was wrong, or null when it was right
 * @param samples timings measured on the way
 */
public record Exchange(long bytesSent, long bytesReceived, Failure failure, List<Sample> samples) {

    public Exchange {
        samples = List.copyOf(samples);
    }

    /** Returns an exchange that never got going: nothing sent or received, only {@code failure}. */
    public static Exchange failed(Failure failure) {
        return new Exchange(0, 0, failure, List.of());
    }

    public boolean passed() {
        return failure == null;
    }

    /**
     * One timing sample, in nanoseconds.
     *
     * @param workload what was timed: {@code connect} (the dial), {@code first-byte} / {@code last-byte} (from the
     *     first write to the first / last echoed byte), {@code exchange} (a client process's whole run)
     */
    public record Sample(String workload, long nanos) {
    }
}
