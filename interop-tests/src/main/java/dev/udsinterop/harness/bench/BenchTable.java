// SPDX-License-Identifier: Apache-2.0
// BenchTable: the console summary at the end of a run: the headline, then one row per workload and transport.
package dev.udsinterop.harness.bench;

import dev.udsinterop.harness.bench.BenchReport.Cell;
import dev.udsinterop.harness.bench.BenchReport.Headline;
import dev.udsinterop.harness.bench.BenchReport.ServerRatio;
import dev.udsinterop.harness.report.TextTable;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Prints a run's headline and its main figure per workload / transport / server (and p99 and the server's CPU
 * per op where the workload has them), with the Java ratios; bimodal figures marked and listed with both modes;
 * the container rows ({@code [container] seed / unix / ...}) after the rows of this machine.
 */
final class BenchTable {
    private BenchTable() {
    }

    static void print(PrintStream out, BenchReport report) {
        out.println("Headline (median over " + report.method().rounds() + " measured rounds, [min-max]; "
                + report.method().warmupRounds() + " warm-up round(s) discarded):");
        int labelWidth = report.headline().stream().mapToInt(h -> h.label().length()).max().orElse(0);
        for (Headline h : report.headline()) {
            String value = h.workload().equals("idle") ? Figures.value(h.median(), "B") : Figures.ratio(h.median());
            String range = h.workload().equals("idle")
                    ? Figures.value(h.min(), "B") + "-" + Figures.value(h.max(), "B")
                    : Figures.ratio(h.min()) + "-" + Figures.ratio(h.max());
            out.printf("  %-" + labelWidth + "s %-9s %9s [%s]  %s%s%n", h.label(), h.transport(), value, range, h.against(),
                    verdict(h));
        }
        out.println();
        List<String> servers = report.servers().stream().map(BenchReport.Participant::id).toList();
        List<String> ratioColumns = report.serverRatios().stream().map(r -> Summaries.label(r.subject()) + "/"
                + Summaries.label(r.reference())).distinct().toList();
        List<String> header = new ArrayList<>(List.of("workload / transport / metric"));
        header.addAll(servers);
        header.addAll(ratioColumns);
        List<List<String>> rows = new ArrayList<>();
        rows.add(header);
        for (String rt : report.method().runtimes()) {
            for (Workload w : Workload.values()) {
                for (String t : List.of("unix", "tcp", "seqpacket", "datagram")) {
                    for (Metric m : shown(w)) {
                        List<String> row = row(report, rt, w, t, m, servers, ratioColumns);
                        if (row != null) {
                            rows.add(row);
                        }
                    }
                }
            }
        }
        TextTable.print(out, rows);
        List<Cell> bimodal = report.cells().stream().filter(c -> c.modes() != null).toList();
        if (!bimodal.isEmpty()) {
            out.println();
            out.println("* bimodal: the rounds fell into two modes, and the median above mixes them:");
            bimodal.forEach(c -> out.println("  " + BenchRun.where(c.runtime()) + c.workload() + " / " + c.transport()
                    + " / " + c.metric() + ", " + c.server() + ": " + Modes.describe(c)));
        }
        if (!report.skipped().isEmpty()) {
            out.println();
            // One line per reason: without Docker every container row has the same one.
            Map<List<String>, Set<String>> byReason = new LinkedHashMap<>();
            report.skipped().forEach(s -> byReason.computeIfAbsent(List.of(s.runtime(), s.reason()),
                    k -> new LinkedHashSet<>()).add(s.server() + " / " + s.transport()));
            byReason.forEach((why, what) -> out.println("skipped " + BenchRun.where(why.get(0)) + String.join(", ", what)
                    + ": " + why.get(1)));
        }
    }

    /** The metrics a workload has rows for: its main figure, p99 where it has latencies, the server's CPU per op. */
    static List<Metric> shown(Workload w) {
        List<Metric> metrics = new ArrayList<>(List.of(w.primary()));
        for (Metric m : List.of(Metric.P99, Metric.SERVER_CPU_PER_OP)) {
            if (w.metrics().contains(m) && !metrics.contains(m)) {
                metrics.add(m);
            }
        }
        return metrics;
    }

    /** One row of the table, a bimodal cell marked with {@code *}; null when no server has the figure. */
    private static List<String> row(BenchReport report, String rt, Workload w, String t, Metric m, List<String> servers,
            List<String> ratioColumns) {
        List<String> row = new ArrayList<>(List.of(BenchRun.where(rt) + w.id() + " / " + t + " / " + m.json()));
        boolean any = false;
        for (String s : servers) {
            Cell c = report.cells().stream().filter(x -> x.runtime().equals(rt) && x.server().equals(s)
                    && x.transport().equals(t) && x.workload().equals(w.id()) && x.metric().equals(m.json()))
                    .findFirst().orElse(null);
            any |= c != null;
            row.add(c == null ? "-" : Figures.value(c.median(), c.unit()) + " "
                    + Figures.spread(c.median(), c.min(), c.max()) + (c.modes() != null ? " *" : ""));
        }
        for (String column : ratioColumns) {
            ServerRatio r = report.serverRatios().stream().filter(x -> x.runtime().equals(rt)
                    && x.transport().equals(t) && x.workload().equals(w.id()) && x.metric().equals(m.json())
                    && column.equals(Summaries.label(x.subject()) + "/" + Summaries.label(x.reference())))
                    .findFirst().orElse(null);
            row.add(r == null ? "-" : Figures.ratio(r.median()));
        }
        return any ? row : null;
    }

    /** Returns " (met)" or " (MISSED)" for a figure with a target, else nothing. */
    static String verdict(Headline h) {
        if (h.target() <= 0) {
            return "";
        }
        boolean met = h.workload().equals("idle") ? h.median() <= h.target() : h.median() >= h.target();
        return met ? " (met)" : " (MISSED)";
    }
}
