// SPDX-License-Identifier: Apache-2.0
// ConnectionResult: what one client connection did: bytes written, bytes echoed, timings, and the error that ended it.
package dev.udsinterop.harness.peer;

import dev.udsinterop.harness.verdict.Failure;
import java.util.List;

/**
 * One connection's outcome.
 *
 * @param sent bytes written
 * @param received the echo as received, at most {@link EchoCheck#EXTRA_MARGIN} bytes more than sent (and one)
 * @param cut true if reading stopped at that cap, with more bytes still coming
 * @param samples timings taken
 * @param error why the connection ended early or badly (its kind and message; the echo check refines the kind
 *     from the bytes, unless it is the client's own), or null
 * @param clientError true if the error is the client's own (a program that did not start, a task that crashed),
 *     not something the server did: it stays an {@code error} whatever the bytes
 */
record ConnectionResult(long sent, byte[] received, boolean cut, List<Exchange.Sample> samples, Failure error,
                        boolean clientError) {
    ConnectionResult(long sent, byte[] received, boolean cut, List<Exchange.Sample> samples, Failure error) {
        this(sent, received, cut, samples, error, false);
    }

    /** A connection that ended before it had anything, for what the server did (e.g. refused it). */
    static ConnectionResult failed(Failure error) {
        return new ConnectionResult(0, new byte[0], false, List.of(), error);
    }

    /** A connection the client itself could not run: {@code error} is its own, of kind {@code error}. */
    static ConnectionResult clientFailed(Failure error) {
        return new ConnectionResult(0, new byte[0], false, List.of(), error, true);
    }

    /** Returns what the echo check judges. */
    EchoCheck.Received toReceived() {
        return new EchoCheck.Received(received, cut, error, clientError);
    }
}
