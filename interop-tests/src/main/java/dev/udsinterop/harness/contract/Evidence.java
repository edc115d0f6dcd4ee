// SPDX-License-Identifier: Apache-2.0
// Evidence: a failed result as the text a JUnit failure shows: message, first differing bytes, server and client output.
package dev.udsinterop.harness.contract;

import dev.udsinterop.harness.report.CaseResult;

/** Formats what a result recorded about its failure for people reading a test log. */
public final class Evidence {
    private Evidence() {
    }

    /** Returns the failure's message, the first differing offset with both windows, and the detail; empty if none. */
    public static String of(CaseResult r) {
        if (r.failure() == null) {
            return "";
        }
        StringBuilder s = new StringBuilder(r.failure().message());
        if (r.failure().firstDifferingOffset() != null) {
            s.append("\nfirst differing offset: ").append(r.failure().firstDifferingOffset())
                    .append("\nExpected: ").append(r.failure().expectedHex())
                    .append("\nActual:   ").append(r.failure().actualHex());
        }
        if (r.failure().detail() != null) {
            s.append('\n').append(r.failure().detail());
        }
        return s.toString();
    }
}
