// SPDX-License-Identifier: Apache-2.0
// ConnectionResult: what one client connection did: bytes written, bytes echoed, timings, and the error that ended it.
package dev.udsinterop.harness.peer;

import java.util.List;

/**
 * One connection's outcome.
 *
 * @param sent bytes written
 * @param received the echo as received
 * @param samples timings taken
 * @param error why the connection ended early or badly, or null
 */
record ConnectionResult(long sent, byte[] received, List<Exchange.Sample> samples, String error) {

    static ConnectionResult failed(String error) {
        return new ConnectionResult(0, new byte[0], List.of(), error);
    }
}
