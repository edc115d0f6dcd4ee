// SPDX-License-Identifier: Apache-2.0
// BenchHtml: bench.html, one self-contained page: the headline, the charts, every figure, the machine and the method.
package dev.udsinterop.harness.bench;

import dev.udsinterop.harness.bench.BenchReport.Cell;
import dev.udsinterop.harness.bench.BenchReport.Change;
import dev.udsinterop.harness.bench.BenchReport.Headline;
import dev.udsinterop.harness.bench.BenchReport.Participant;
import dev.udsinterop.harness.bench.Charts.Bar;
import dev.udsinterop.harness.bench.Charts.Series;
import dev.udsinterop.harness.report.Environment;
import dev.udsinterop.harness.report.Markup;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Writes a {@link BenchReport} as one HTML page with inline SVG charts and an inline style sheet: no script,
 * no font, nothing fetched when it is viewed. Every string from the report is escaped.
 */
final class BenchHtml {
    static final String FILE_NAME = "bench.html";
    private static final List<Metric> PERCENTILES = List.of(Metric.P50, Metric.P90, Metric.P99, Metric.P999);
    private static final String STYLE = "body{font:14px/1.4 system-ui,sans-serif;margin:2em;max-width:1100px;color:#222}"
            + "table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #ccc;padding:2px 8px;text-align:right}"
            + "td:first-child,th:first-child{text-align:left}.met{color:#2a7a2a}.missed{color:#b02a2a;font-weight:bold}"
            + ".note{color:#555}.moved{background:#fff3c4}svg text.label{font-size:12px}svg text.value,svg text.axis"
            + "{font-size:11px;fill:#444}h2{margin-top:1.6em}";

    private BenchHtml() {
    }

    static void write(BenchReport report, Path file) throws IOException {
        Files.writeString(file, render(report), StandardCharsets.UTF_8);
    }

    static String render(BenchReport r) {
        Markup html = new Markup();
        html.raw("<!DOCTYPE html>").newline().open("html", "lang", "en").open("head").raw("<meta charset=\"utf-8\">")
                .element("title", "uds-interop bench · " + r.runId()).open("style").raw(STYLE).close("style")
                .close("head").newline().open("body");
        html.element("h1", "uds-interop bench");
        Environment env = r.machine().environment();
        html.element("p", r.runId() + " · " + r.startedAt() + " · " + r.method().warmupRounds() + " warm-up round(s) "
                + "discarded, " + r.method().rounds() + " measured" + (r.method().quick() ? " (quick: small budgets, "
                + "figures are rough)" : "") + " · commit " + env.gitCommit(), "class", "note");
        headline(html, r);
        charts(html, r);
        cells(html, r);
        machine(html, r);
        html.close("body").close("html").newline();
        return html.toString();
    }

    private static void headline(Markup html, BenchReport r) {
        html.element("h2", "Headline");
        html.open("table").open("tr");
        for (String h : List.of("figure", "transport", "median", "min", "max", "read against", "")) {
            html.element("th", h);
        }
        html.close("tr");
        for (Headline h : r.headline()) {
            boolean bytes = h.workload().equals("idle");
            String verdict = BenchTable.verdict(h).strip();
            html.open("tr").element("td", h.label()).element("td", h.transport());
            for (double v : new double[] {h.median(), h.min(), h.max()}) {
                html.element("td", bytes ? Figures.value(v, "B") : Figures.ratio(v));
            }
            html.element("td", h.against()).element("td", verdict, "class", verdict.contains("MISSED") ? "missed" : "met")
                    .close("tr");
        }
        html.close("table");
        html.element("p", "Ratios are goodness: above 1 the first named does better (more ops/s or MB/s, less latency, "
                + "CPU or memory). Each ratio is taken within a round and summarised over the rounds.", "class", "note");
        if (r.baseline() != null) {
            html.element("p", "Baseline " + r.baseline().file() + " (" + r.baseline().runId() + ", commit "
                    + r.baseline().gitCommit() + "): " + r.baseline().moved() + " figures moved (highlighted). "
                    + r.baseline().rule(), "class", "moved");
        }
    }

    private static void charts(Markup html, BenchReport r) {
        html.element("h2", "Java against the others, per workload");
        for (String reference : r.serverRatios().stream().map(BenchReport.ServerRatio::reference).distinct().toList()) {
            String pair = Summaries.label(Summaries.SUBJECT) + "/" + Summaries.label(reference);
            html.element("h3", pair);
            Charts.ratioBars(html, pair + ", main figure per workload", r.serverRatios().stream()
                    .filter(x -> x.reference().equals(reference) && !x.workload().equals("idle")) // in the headline
                    .filter(x -> x.metric().equals(Workload.of(x.workload()).primary().json())
                            || (x.workload().equals("pingpong") && x.metric().equals(Metric.P99.json())))
                    .map(x -> new Bar(x.workload() + " " + x.transport() + " " + x.metric(), x.median(), x.min(), x.max(),
                            Summaries.TARGETS.getOrDefault(x.reference(), 0.0), moved(x.baseline())))
                    .toList());
        }
        html.element("h2", "UDS against TCP, per server");
        Charts.ratioBars(html, "unix vs tcp, main figure per workload and client CPU per seed op", r.transportRatios()
                .stream().filter(x -> !x.workload().equals("idle"))
                .filter(x -> x.metric().equals(Workload.of(x.workload()).primary().json())
                        || (x.workload().equals("seed") && x.metric().equals(Metric.CLIENT_CPU_PER_OP.json())))
                .map(x -> new Bar(x.server() + " " + x.workload() + " " + x.metric(), x.median(), x.min(), x.max(),
                        x.workload().equals("seed") && x.metric().equals(Metric.CLIENT_CPU_PER_OP.json())
                                ? Summaries.POST_UDS_TCP_CPU : 0, moved(x.baseline())))
                .toList());
        html.element("h2", "Latency percentiles, pingpong (64-byte round trips)");
        for (String t : List.of("unix", "tcp")) {
            List<Series> series = r.servers().stream().map(Participant::id)
                    .map(s -> new Series(s, PERCENTILES.stream().map(m -> median(r, s, t, "pingpong", m)).toList()))
                    .filter(s -> s.values().stream().allMatch(v -> v != null))
                    .toList();
            html.element("h3", t);
            Charts.percentileLines(html, "pingpong latency percentiles over " + t, List.of("p50", "p90", "p99", "p99.9"), series);
        }
    }

    private static void cells(Markup html, BenchReport r) {
        html.element("h2", "Every figure");
        html.element("p", "Median over the measured rounds, ± half the min-max spread relative to the median. Highlighted: "
                + "moved against the baseline by more than the spread. Idle memory is the growth of the server's VmRSS "
                + "while the connections are held: user-space memory only (the kernel's socket buffers are not in RSS), "
                + "at page granularity, so 0 means no page was added; for socat it sums the RSS of its processes, "
                + "counting the shared pages of each forked pair again.", "class", "note");
        List<String> servers = r.servers().stream().map(Participant::id).toList();
        html.open("table").open("tr").element("th", "workload / transport / metric");
        servers.forEach(s -> html.element("th", s));
        html.close("tr");
        for (Workload w : Workload.values()) {
            for (String t : List.of("unix", "tcp")) {
                for (Metric m : w.metrics()) {
                    List<Cell> row = servers.stream().map(s -> cell(r, s, t, w.id(), m)).toList();
                    if (row.stream().allMatch(c -> c == null)) {
                        continue;
                    }
                    html.open("tr").element("td", w.id() + " / " + t + " / " + m.json());
                    for (Cell c : row) {
                        html.element("td", c == null ? "-" : Figures.value(c.median(), c.unit()) + " "
                                + Figures.spread(c.median(), c.min(), c.max()) + change(c.baseline(), c.unit()),
                                "class", c != null && moved(c.baseline()) ? "moved" : null);
                    }
                    html.close("tr");
                }
            }
        }
        html.close("table");
        r.skipped().stream().map(s -> "Not measured: " + s.server() + " / " + s.transport() + " / " + s.workload() + ": "
                + s.reason()).forEach(line -> html.element("p", line, "class", "missed"));
        r.measurements().stream().filter(m -> m.error() != null).forEach(m -> html.element("p", "Failed: round "
                + m.round() + " " + m.server() + " / " + m.transport() + " / " + m.workload() + ": " + m.error(), "class", "missed"));
    }

    private static void machine(Markup html, BenchReport r) {
        Environment e = r.machine().environment();
        html.element("h2", "Machine and method");
        html.open("table");
        row(html, "CPU", e.cpuModel() + " × " + e.cpuCount());
        row(html, "OS / kernel", e.os() + " " + e.kernel() + " (" + e.arch() + ")");
        row(html, "JDK / Go / gcc", e.jdk() + " / " + e.go() + " / " + r.machine().gcc());
        row(html, "load average (start → end)", r.machine().loadAverageAtStart() + " → " + r.machine().loadAverageAtEnd());
        row(html, "method", r.method().note());
        row(html, "round order", String.join(" | ", r.method().order().stream().map(o -> String.join(", ", o)).toList()));
        r.method().loadgenArguments().forEach((w, args) -> row(html, "loadgen " + w, String.join(" ", args)));
        r.servers().forEach(s -> s.commands().forEach((t, c) -> row(html, s.id() + " / " + t, String.join(" ", c))));
        html.close("table");
    }

    private static void row(Markup html, String name, String value) {
        html.open("tr").element("td", name).element("td", value, "style", "text-align:left").close("tr");
    }

    private static Cell cell(BenchReport r, String server, String transport, String workload, Metric m) {
        return r.cells().stream().filter(c -> c.server().equals(server) && c.transport().equals(transport)
                && c.workload().equals(workload) && c.metric().equals(m.json())).findFirst().orElse(null);
    }

    private static Double median(BenchReport r, String server, String transport, String workload, Metric m) {
        Cell c = cell(r, server, transport, workload, m);
        return c == null ? null : c.median();
    }

    private static boolean moved(Change c) {
        return c != null && c.moved();
    }

    private static String change(Change c, String unit) {
        return c == null ? "" : " (was " + Figures.value(c.old(), unit) + (c.moved() ? ", " + c.direction() : "") + ")";
    }
}
