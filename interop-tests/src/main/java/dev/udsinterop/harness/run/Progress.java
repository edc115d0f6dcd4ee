// SPDX-License-Identifier: Apache-2.0
// Progress: one line per server / client / transport / runtime as it finishes, with its counts.
package dev.udsinterop.harness.run;

import dev.udsinterop.harness.matrix.Matrix;
import dev.udsinterop.harness.matrix.MatrixEntry;
import dev.udsinterop.harness.report.CaseResult;
import dev.udsinterop.harness.verdict.Status;
import java.io.PrintStream;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;

/** Prints progress of a run: a group's line as soon as its last case is done, failures as they happen (from both lanes of a run at once). */
final class Progress {
    private final PrintStream out;
    private final Map<String, Integer> remaining = new LinkedHashMap<>();
    private final Map<String, Map<Status, Integer>> counts = new LinkedHashMap<>();
    private final Map<String, Long> started = new LinkedHashMap<>();
    private final int groups;
    private int done;

    Progress(PrintStream out, Matrix matrix) {
        this.out = out;
        for (MatrixEntry e : matrix.entries()) {
            remaining.merge(e.clientGroup(), 1, Integer::sum);
        }
        this.groups = remaining.size();
    }

    synchronized void starting(MatrixEntry e) {
        started.putIfAbsent(e.clientGroup(), System.nanoTime());
    }

    synchronized void finished(MatrixEntry e, CaseResult r) {
        String group = e.clientGroup();
        counts.computeIfAbsent(group, g -> new EnumMap<>(Status.class)).merge(r.status(), 1, Integer::sum);
        if (r.status() == Status.FAILED || r.status() == Status.FLAKY || r.status() == Status.WARNING) {
            out.println("  " + r.status().json().toUpperCase(java.util.Locale.ROOT) + " " + r.displayName() + ": "
                    + r.failure().message());
        }
        if (remaining.merge(group, -1, Integer::sum) == 0) {
            done++;
            double seconds = (System.nanoTime() - started.get(group)) / 1e9;
            out.printf("[%3d/%d] %-40s %s (%.1f s)%n", done, groups, group, describe(counts.get(group)), seconds);
            out.flush();
        }
    }

    static String describe(Map<Status, Integer> counts) {
        StringBuilder s = new StringBuilder();
        for (Status status : Status.values()) {
            int n = counts.getOrDefault(status, 0);
            if (n > 0) {
                s.append(s.isEmpty() ? "" : ", ").append(n).append(' ').append(status.json());
            }
        }
        return s.toString();
    }
}
