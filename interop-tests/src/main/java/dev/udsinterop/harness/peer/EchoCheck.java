// SPDX-License-Identifier: Apache-2.0
// EchoCheck: compares what came back with what was sent, classifies the difference, and describes the first one.
package dev.udsinterop.harness.peer;

import dev.udsinterop.harness.fixture.Payloads;
import dev.udsinterop.harness.transport.Endpoint;
import dev.udsinterop.harness.verdict.Failure;
import dev.udsinterop.harness.verdict.FailureKind;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * The echo verdict for the peers that hand back raw bytes (JDK, nc, socat). The bytes decide
 * the kind: a differing byte is a {@code mismatch}, a correct echo with more after it is
 * {@code extra-bytes}, a correct prefix that ended is {@code truncated} (or {@code timeout}
 * when the deadline ended it), the whole echo without the EOF a half-closed client waits
 * for is {@code no-eof}. Some kinds stand whatever the bytes: {@code boundary} and {@code lost} on messages,
 * {@code refused}, and the
 * {@code error} of a client that failed by itself (a program that did not start, a task that
 * crashed), which says nothing about the server and must not pass for one of its known
 * failures. Reported h2spec-style: the first differing offset, and expected and actual bytes
 * around it.
 */
public final class EchoCheck {
    /**
     * How many bytes past the payload a client keeps before it stops reading: enough to show what
     * a flooding server sends, bounded so that it cannot exhaust the harness.
     */
    public static final int EXTRA_MARGIN = 64 * 1024;

    private static final int WINDOW_BEFORE = 8;
    private static final int WINDOW = 16;

    private EchoCheck() {
    }

    /**
     * What one connection got back: the bytes, whether reading stopped at the cap with more
     * coming, the error that ended it, or null, and whether that error is the client's own.
     */
    public record Received(byte[] bytes, boolean cut, Failure error, boolean clientError) {
        /** What a connection got back, ended by what the server did (or not at all). */
        public Received(byte[] bytes, boolean cut, Failure error) {
            this(bytes, cut, error, false);
        }
    }

    /**
     * Returns null when every connection got exactly its payload back and saw no error;
     * otherwise a failure describing the first connection that did not, as
     * {@code read PEER ADDRESS: cause}.
     */
    public static Failure verify(String peer, Endpoint endpoint, List<byte[]> expected, List<Received> actual) {
        for (int j = 0; j < expected.size(); j++) {
            byte[] want = expected.get(j);
            Received got = actual.get(j);
            int offset = Arrays.mismatch(want, got.bytes());
            if (offset < 0 && got.error() == null) {
                continue;
            }
            String connection = expected.size() > 1 ? "connection " + j + ": " : "";
            String expectedSha = sha256(expected);
            String actualSha = sha256(actual.stream().map(Received::bytes).toList());
            boolean refused = got.bytes().length == 0 && got.error() != null && got.error().kind() == FailureKind.REFUSED;
            // On messages, one that came back split or merged, or never came back, says more than the bytes (the
            // Go client's order of kinds).
            boolean messages = got.error() != null
                    && (got.error().kind() == FailureKind.BOUNDARY || got.error().kind() == FailureKind.LOST);
            if (offset < 0 || refused || messages || got.clientError()) {
                Failure error = got.error();
                if (!connection.isEmpty()) {
                    int cause = error.message().indexOf(": ") + 2; // op peer address: connection j: cause
                    error = error.as(error.kind(), error.message().substring(0, cause) + connection + error.message().substring(cause));
                }
                return new Failure(error.kind(), error.message(), null, expectedSha, actualSha, null, null, error.detail());
            }
            int length = got.bytes().length;
            FailureKind kind;
            String what;
            if (offset < Math.min(want.length, length)) {
                kind = FailureKind.MISMATCH;
                what = "mismatch at offset " + offset + " (received " + length + " of " + want.length + " bytes)";
            } else if (length > want.length) {
                kind = FailureKind.EXTRA_BYTES;
                what = "extra bytes: received " + (got.cut() ? "at least " : "") + length + " bytes, "
                        + (got.cut() ? "at least " : "") + (length - want.length) + " more than the " + want.length + " sent"
                        + (got.cut() ? " (stopped reading there)" : "");
            } else if (got.error() != null && got.error().kind() == FailureKind.TIMEOUT) {
                kind = FailureKind.TIMEOUT;
                what = "timed out after " + length + " of " + want.length + " bytes";
            } else {
                kind = FailureKind.TRUNCATED;
                what = "echo ended after " + length + " of " + want.length + " bytes";
            }
            Failure f = new Failure(kind, "read " + peer + " " + endpoint + ": " + connection + what, (long) offset,
                    expectedSha, actualSha, window(want, offset), window(got.bytes(), offset), null);
            return got.error() == null ? f : f.withDetail(got.error().message()).withDetail(got.error().detail());
        }
        return null;
    }

    /** Returns the hex SHA-256 of {@code parts} concatenated. */
    public static String sha256(List<byte[]> parts) {
        MessageDigest digest = Payloads.sha256();
        parts.forEach(digest::update);
        return HexFormat.of().formatHex(digest.digest());
    }

    private static String window(byte[] bytes, int offset) {
        int from = Math.max(0, offset - WINDOW_BEFORE);
        int to = Math.min(bytes.length, from + WINDOW);
        return from >= to ? null : HexFormat.of().formatHex(bytes, from, to);
    }
}
