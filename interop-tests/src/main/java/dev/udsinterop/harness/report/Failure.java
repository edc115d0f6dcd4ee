// SPDX-License-Identifier: Apache-2.0
// Failure: the evidence of a failed case: a one-line message and, for a byte mismatch, where and what differed.
package dev.udsinterop.harness.report;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Why a case failed.
 *
 * @param message one line in the form {@code op peer address: cause}
 * @param firstDifferingOffset the offset of the first byte that differs from the expected echo (also where a
 *     short echo ended), or null
 * @param expectedSha256 SHA-256 of what should have come back, or null
 * @param actualSha256 SHA-256 of what came back, or null
 * @param expectedHex up to 16 expected bytes around the offset, in hex, or null
 * @param actualHex the same window of what came back, or null
 * @param detail more evidence, e.g. the tail of the server's or the client's stderr, or null
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Failure(
        String message,
        Long firstDifferingOffset,
        String expectedSha256,
        String actualSha256,
        String expectedHex,
        String actualHex,
        String detail) {

    /** A failure that is only a message. */
    public static Failure of(String message) {
        return new Failure(message, null, null, null, null, null, null);
    }

    /** Returns this failure with {@code detail} appended to the detail. */
    public Failure withDetail(String more) {
        if (more == null || more.isBlank()) {
            return this;
        }
        String joined = detail == null ? more : detail + "\n" + more;
        return new Failure(message, firstDifferingOffset, expectedSha256, actualSha256, expectedHex, actualHex, joined);
    }
}
