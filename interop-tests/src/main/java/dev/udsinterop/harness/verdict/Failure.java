// SPDX-License-Identifier: Apache-2.0
// Failure: the evidence of a failed case: its kind, a one-line message and, for a byte mismatch, where and what differed.
package dev.udsinterop.harness.verdict;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Why a case failed.
 *
 * @param kind what kind of failure it is, e.g. {@link FailureKind#TRUNCATED}
 * @param message one line in the form {@code op peer address: cause}
 * @param firstDifferingOffset the offset of the first byte that differs from the expected echo (also where a
 *     short echo ended, or where extra bytes began), or null
 * @param expectedSha256 SHA-256 of what should have come back, or null
 * @param actualSha256 SHA-256 of what came back, or null
 * @param expectedHex up to 16 expected bytes around the offset, in hex, or null
 * @param actualHex the same window of what came back, or null
 * @param detail more evidence, e.g. the tail of the server's or the client's stderr, or null
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Failure(
        FailureKind kind,
        String message,
        Long firstDifferingOffset,
        String expectedSha256,
        String actualSha256,
        String expectedHex,
        String actualHex,
        String detail) {

    public Failure {
        kind = kind == null ? FailureKind.ERROR : kind;
    }

    /** A failure of kind {@link FailureKind#ERROR} that is only a message. */
    public static Failure of(String message) {
        return of(FailureKind.ERROR, message);
    }

    /** A failure that is only a kind and a message. */
    public static Failure of(FailureKind kind, String message) {
        return new Failure(kind, message, null, null, null, null, null, null);
    }

    /** A failure in the one shape of every message, {@code op peer address: cause}. */
    public static Failure of(FailureKind kind, String op, String peer, Object address, String cause) {
        return of(kind, op + " " + peer + " " + address + ": " + cause);
    }

    /** Returns this failure with {@code detail} appended to the detail. */
    public Failure withDetail(String more) {
        if (more == null || more.isBlank()) {
            return this;
        }
        String joined = detail == null ? more : detail + "\n" + more;
        return new Failure(kind, message, firstDifferingOffset, expectedSha256, actualSha256, expectedHex, actualHex, joined);
    }

    /**
     * Returns this failure with {@code context} put before its cause, keeping the shape:
     * {@code op peer address: context: cause}.
     */
    public Failure withContext(String context) {
        int cause = message.indexOf(": ") + 2;
        return as(kind, cause < 2 ? context + ": " + message : message.substring(0, cause) + context + ": " + message.substring(cause));
    }

    /** Returns this failure with another kind and message, keeping the evidence. */
    public Failure as(FailureKind newKind, String newMessage) {
        return new Failure(newKind, newMessage, firstDifferingOffset, expectedSha256, actualSha256, expectedHex, actualHex, detail);
    }
}
