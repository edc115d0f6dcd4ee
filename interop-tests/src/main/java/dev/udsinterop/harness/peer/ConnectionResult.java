// SPDX-License-Identifier: Apache-2.0
// ConnectionResult: what one client connection did: bytes written, bytes echoed, timings, and the error that ended it.
package dev.udsinterop.harness.peer;

import dev.udsinterop.harness.report.Failure;
import java.util.List;

/**
 * One connection's outcome.
 *
 * @param sent bytes written
 * @param received the echo as received, at most {@link EchoCheck#EXTRA_MARGIN} bytes more than sent (and one)
 * @param cut true if reading stopped at that cap, with more bytes still coming
 * @param samples timings taken
 * @param error why the connection ended early or badly (its kind and message; the echo check refines the kind
 *     from the bytes), or null
 */
record ConnectionResult(long sent, byte[] received, boolean cut, List<Exchange.Sample> samples, Failure error) {
    static ConnectionResult failed(Failure error) {
        return new ConnectionResult(0, new byte[0], false, List.of(), error);
    }
}
