// SPDX-License-Identifier: Apache-2.0
// EchoCheck: compares what came back with what was sent and, on a mismatch, describes the first difference.
package dev.udsinterop.harness.peer;

import dev.udsinterop.harness.fixture.Payloads;
import dev.udsinterop.harness.report.Failure;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * The echo verdict for the peers that hand back raw bytes (JDK, nc, socat). A mismatch is
 * reported h2spec-style: the first differing offset, and expected and actual bytes around it.
 */
public final class EchoCheck {
    private static final int WINDOW_BEFORE = 8;
    private static final int WINDOW = 16;

    private EchoCheck() {
    }

    /**
     * What one connection got back: the bytes, and the error that ended it early, or null.
     */
    public record Received(byte[] bytes, String error) {
    }

    /**
     * Returns null when every connection got exactly its payload back and saw no error;
     * otherwise a failure describing the first connection that did not.
     */
    public static Failure verify(List<byte[]> expected, List<Received> actual) {
        for (int j = 0; j < expected.size(); j++) {
            byte[] want = expected.get(j);
            Received got = actual.get(j);
            int offset = Arrays.mismatch(want, got.bytes());
            if (offset < 0 && got.error() == null) {
                continue;
            }
            String prefix = expected.size() > 1 ? "connection " + j + ": " : "";
            if (offset < 0) {
                return new Failure(prefix + got.error(), null, sha256(expected), sha256(actual.stream().map(Received::bytes).toList()),
                        null, null, null);
            }
            String what = offset == got.bytes().length
                    ? "echo ended after " + got.bytes().length + " of " + want.length + " bytes"
                    : offset == want.length
                            ? "received " + got.bytes().length + " bytes, " + (got.bytes().length - want.length) + " more than sent"
                            : "first difference at offset " + offset + " (received " + got.bytes().length + " of " + want.length + " bytes)";
            String message = prefix + what + (got.error() == null ? "" : "; " + got.error());
            return new Failure(message, (long) offset, sha256(expected), sha256(actual.stream().map(Received::bytes).toList()),
                    window(want, offset), window(got.bytes(), offset), null);
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
