// SPDX-License-Identifier: Apache-2.0
// MarkdownSummary: a report as Markdown for a CI page ($GITHUB_STEP_SUMMARY): the verdict, the counts, the matrix, the failures.
package dev.udsinterop.harness.report;

import dev.udsinterop.harness.verdict.Status;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The text {@code check --summary-md FILE} writes: one verdict line, the counts per status (unsupported too), a matrix of the
 * results per server, client and transport (one row each, a column per status that occurred), and every
 * result that needs a look (failed, flaky, warning, skipped, not run) with its one-line reason. A page that a
 * CI job shows: short, with the details left to report.html.
 */
public final class MarkdownSummary {
    /** At most this many results are listed one by one; the rest are counted. */
    static final int LISTED = 50;
    private static final List<Status> NEEDS_A_LOOK = List.of(Status.FAILED, Status.FLAKY, Status.WARNING,
            Status.SKIPPED, Status.NOT_RUN);

    private MarkdownSummary() {
    }

    /** Returns the Markdown summary of {@code report}. */
    public static String of(Report report) {
        Summary s = report.summary();
        StringBuilder md = new StringBuilder("## uds-interop: ");
        md.append(s.isOk() ? "passed" : "FAILED").append(" (").append(s.failed()).append(" failed of ")
                .append(s.total()).append(")\n\n");
        // Every status has a column, so the counts add up to the total (action.yml's outputs are read from this row).
        md.append("| total | passed | failed | expected failure | flaky | warning | skipped | not run | unsupported |\n")
                .append("|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n")
                .append("| ").append(s.total()).append(" | ").append(s.passed()).append(" | ").append(s.failed())
                .append(" | ").append(s.expectedFailure()).append(" | ").append(s.flaky()).append(" | ")
                .append(s.warning()).append(" | ").append(s.skipped()).append(" | ").append(s.notRun()).append(" | ")
                .append(s.unsupported()).append(" |\n\n");
        matrix(report.results(), md);
        attention(report.results(), md);
        return md.toString();
    }

    /** One row per server / client / transport / runtime, a column per status that occurs anywhere. */
    private static void matrix(List<CaseResult> results, StringBuilder md) {
        Map<String, Map<Status, Integer>> rows = new TreeMap<>();
        Map<Status, Boolean> occurs = new EnumMap<>(Status.class);
        for (CaseResult r : results) {
            String row = String.join(" | ", r.server(), r.client(), r.transport(), r.runtime());
            rows.computeIfAbsent(row, k -> new EnumMap<>(Status.class)).merge(r.status(), 1, Integer::sum);
            occurs.put(r.status(), true);
        }
        if (rows.isEmpty()) {
            return;
        }
        md.append("### Matrix\n\n| server | client | transport | runtime |");
        occurs.keySet().forEach(status -> md.append(' ').append(status.json()).append(" |"));
        md.append("\n|---|---|---|---|");
        occurs.keySet().forEach(status -> md.append("---:|"));
        md.append('\n');
        rows.forEach((row, counts) -> {
            md.append("| ").append(row).append(" |");
            occurs.keySet().forEach(status -> md.append(' ').append(counts.getOrDefault(status, 0)).append(" |"));
            md.append('\n');
        });
        md.append('\n');
    }

    private static void attention(List<CaseResult> results, StringBuilder md) {
        List<CaseResult> listed = results.stream().filter(r -> NEEDS_A_LOOK.contains(r.status()))
                .sorted(Comparator.comparing((CaseResult r) -> NEEDS_A_LOOK.indexOf(r.status()))).toList();
        if (listed.isEmpty()) {
            return;
        }
        md.append("### Needs a look\n\n| status | server / client / transport / runtime / case | why |\n|---|---|---|\n");
        listed.stream().limit(LISTED).forEach(r -> md.append("| ").append(r.status().json()).append(" | `")
                .append(r.displayName()).append("` | ")
                .append(r.failure() == null ? "" : cell(r.failure().kind().id() + ": " + r.failure().message()))
                .append(" |\n"));
        if (listed.size() > LISTED) {
            md.append("\n... and ").append(listed.size() - LISTED).append(" more: see report.html\n");
        }
        md.append('\n');
    }

    /** Returns {@code text} as one table cell: its first line, pipes escaped, at most 300 characters. */
    static String cell(String text) {
        String line = text.lines().findFirst().orElse("").replace("|", "\\|");
        return line.length() <= 300 ? line : line.substring(0, 297) + "...";
    }
}
