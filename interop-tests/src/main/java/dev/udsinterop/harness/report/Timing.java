// SPDX-License-Identifier: Apache-2.0
// Timing: the distribution of one measured series (say, connect time of nc to the Java server over unix).
package dev.udsinterop.harness.report;

/**
 * A summary of the samples of one series, in nanoseconds.
 *
 * @param workload what was timed, e.g. {@code connect}, {@code first-byte}, {@code last-byte}, {@code exchange}
 * @param server the server's id
 * @param client the client's id
 * @param transport {@code unix} or {@code tcp}
 * @param runtime e.g. {@code local}
 * @param samples how many samples
 */
public record Timing(
        String workload,
        String server,
        String client,
        String transport,
        String runtime,
        long samples,
        long min,
        long p50,
        long p90,
        long p99,
        long max,
        double mean) {
}
