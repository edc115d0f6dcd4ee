// SPDX-License-Identifier: Apache-2.0
// MatrixTable: the compact console table at the end of a run: servers and transports down, clients across.
package dev.udsinterop.harness.run;

import dev.udsinterop.harness.report.CaseResult;
import dev.udsinterop.harness.report.TextTable;
import dev.udsinterop.harness.verdict.Status;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Prints one row per server / transport / runtime and one column per client. A cell reads
 * {@code 20/20} when all passed, and names what did not: {@code 11/20 9xf}, {@code 19/20 1FAIL},
 * {@code 30/31 1warn} (a SHOULD case), {@code 19/20 1flaky} (passed on a retry), {@code 2/20 1FAIL 17notrun}
 * (the run stopped at --max-failures).
 */
final class MatrixTable {
    private MatrixTable() {
    }

    static void print(PrintStream out, List<CaseResult> results) {
        Set<String> clients = new LinkedHashSet<>();
        Map<String, Map<String, Map<Status, Integer>>> rows = new LinkedHashMap<>();
        for (CaseResult r : results) {
            clients.add(r.client());
            rows.computeIfAbsent(String.join(" / ", r.server(), r.transport(), r.runtime()), k -> new LinkedHashMap<>())
                    .computeIfAbsent(r.client(), k -> new EnumMap<>(Status.class))
                    .merge(r.status(), 1, Integer::sum);
        }
        List<String> header = new ArrayList<>(List.of("server / transport / runtime"));
        header.addAll(clients);
        List<List<String>> table = new ArrayList<>();
        table.add(header);
        rows.forEach((row, byClient) -> {
            List<String> line = new ArrayList<>(List.of(row));
            for (String client : clients) {
                line.add(cell(byClient.get(client)));
            }
            table.add(line);
        });
        TextTable.print(out, table);
    }

    /**
     * Prints, under the table, what was skipped and why, one line per client and reason, and whether
     * that fails the run; nothing when nothing was skipped.
     */
    static void printSkips(PrintStream out, List<CaseResult> results) {
        Map<String, Integer> reasons = new LinkedHashMap<>();
        boolean failing = false;
        for (CaseResult r : results) {
            boolean skipped = r.status() == Status.SKIPPED
                    || r.failure() != null && r.failure().kind() == dev.udsinterop.harness.verdict.FailureKind.SKIPPED;
            if (skipped) {
                failing |= r.status() != Status.SKIPPED;
                reasons.merge(r.client() + ": " + r.failure().message(), 1, Integer::sum);
            }
        }
        if (reasons.isEmpty()) {
            return;
        }
        int total = reasons.values().stream().mapToInt(Integer::intValue).sum();
        out.println("SKIPPED " + total + " case" + (total == 1 ? "" : "s") + (failing
                ? ", each a failure (CI=true or --require-all):"
                : " (allowed here; CI=true or --require-all make a skip fail the run):"));
        reasons.forEach((reason, n) -> out.println("  " + n + " x " + reason));
    }

    private static String cell(Map<Status, Integer> counts) {
        if (counts == null) {
            return "-";
        }
        int total = counts.values().stream().mapToInt(Integer::intValue).sum();
        StringBuilder s = new StringBuilder(counts.getOrDefault(Status.PASSED, 0) + "/" + total);
        append(s, counts, Status.EXPECTED_FAILURE, "xf");
        append(s, counts, Status.FAILED, "FAIL");
        append(s, counts, Status.SKIPPED, "skip");
        append(s, counts, Status.FLAKY, "flaky");
        append(s, counts, Status.WARNING, "warn");
        append(s, counts, Status.NOT_RUN, "notrun");
        append(s, counts, Status.UNSUPPORTED, "unsup");
        return s.toString();
    }

    private static void append(StringBuilder s, Map<Status, Integer> counts, Status status, String label) {
        int n = counts.getOrDefault(status, 0);
        if (n > 0) {
            s.append(' ').append(n).append(label);
        }
    }
}
