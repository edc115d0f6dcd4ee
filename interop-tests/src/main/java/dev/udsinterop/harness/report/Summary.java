// SPDX-License-Identifier: Apache-2.0
// Summary: how many results have each status.
package dev.udsinterop.harness.report;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.udsinterop.harness.verdict.Status;
import java.util.List;

/** Counts of results per status. */
public record Summary(
        int total,
        int passed,
        int failed,
        @JsonProperty("expected-failure") int expectedFailure,
        int skipped,
        int flaky,
        int warning,
        @JsonProperty("not-run") int notRun,
        int unsupported) {

    /** Counts {@code results}. */
    public static Summary of(List<CaseResult> results) {
        int[] counts = new int[Status.values().length];
        results.forEach(r -> counts[r.status().ordinal()]++);
        return new Summary(results.size(), counts[Status.PASSED.ordinal()], counts[Status.FAILED.ordinal()],
                counts[Status.EXPECTED_FAILURE.ordinal()], counts[Status.SKIPPED.ordinal()], counts[Status.FLAKY.ordinal()],
                counts[Status.WARNING.ordinal()], counts[Status.NOT_RUN.ordinal()], counts[Status.UNSUPPORTED.ordinal()]);
    }

    /** Returns true when nothing failed unexpectedly. */
    public boolean isOk() {
        return failed == 0;
    }
}
