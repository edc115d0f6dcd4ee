// SPDX-License-Identifier: Apache-2.0
// BenchException: one measurement could not be made; the message says which and why, as `op peer address: cause`.
package dev.udsinterop.harness.bench;

/** A measurement failed: loadgen reported a wrong echo, or a server died or hung. */
final class BenchException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    BenchException(String message) {
        super(message, null, false, false);
    }
}
