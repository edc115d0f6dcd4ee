// SPDX-License-Identifier: Apache-2.0
// BenchHtml: bench.html, one self-contained page: the headline, the charts, every figure, the machine and the method.
package dev.udsinterop.harness.bench;

import dev.udsinterop.harness.bench.BenchReport.Cell;
import dev.udsinterop.harness.bench.BenchReport.Change;
import dev.udsinterop.harness.bench.BenchReport.Headline;
import dev.udsinterop.harness.bench.BenchReport.Participant;
import dev.udsinterop.harness.bench.BenchReport.Skip;
import dev.udsinterop.harness.bench.BenchReport.TransportRatio;
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
        acrossContainers(html, r);
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
                    .filter(x -> x.runtime().equals(BenchReport.LOCAL))
                    .filter(x -> x.reference().equals(reference) && !x.workload().equals("idle")) // in the headline
                    .filter(x -> x.metric().equals(Workload.of(x.workload()).primary().json())
                            || (x.workload().equals("pingpong") && x.metric().equals(Metric.P99.json())))
                    .map(x -> new Bar(x.workload() + " " + x.transport() + " " + x.metric(), x.median(), x.min(), x.max(),
                            Summaries.TARGETS.getOrDefault(x.reference(), 0.0), moved(x.baseline())))
                    .toList());
        }
        html.element("h2", "UDS against TCP, per server");
        Charts.ratioBars(html, "unix vs tcp, main figure per workload and client CPU per seed op", r.transportRatios()
                .stream().filter(x -> x.runtime().equals(BenchReport.LOCAL) && !x.workload().equals("idle"))
                .filter(x -> x.metric().equals(Workload.of(x.workload()).primary().json())
                        || (x.workload().equals("seed") && x.metric().equals(Metric.CLIENT_CPU_PER_OP.json())))
                .map(x -> new Bar(x.server() + " " + x.workload() + " " + x.metric(), x.median(), x.min(), x.max(),
                        x.workload().equals("seed") && x.metric().equals(Metric.CLIENT_CPU_PER_OP.json())
                                ? Summaries.POST_UDS_TCP_CPU : 0, moved(x.baseline())))
                .toList());
        html.element("h2", "Latency percentiles, pingpong (64-byte round trips)");
        percentiles(html, r, BenchReport.LOCAL);
    }

    /** The pingpong percentiles of every server in {@code runtime}, one chart per transport. */
    private static void percentiles(Markup html, BenchReport r, String runtime) {
        for (String t : List.of("unix", "tcp", "seqpacket", "datagram")) {
            List<Series> series = r.servers().stream().map(Participant::id)
                    .map(s -> new Series(s, PERCENTILES.stream().map(m -> median(r, runtime, s, t, "pingpong", m)).toList()))
                    .filter(s -> s.values().stream().allMatch(v -> v != null))
                    .toList();
            if (!series.isEmpty()) {
                html.element("h3", t + (runtime.equals(BenchReport.LOCAL) ? "" : ", between containers"));
                Charts.percentileLines(html, "pingpong latency percentiles over " + t + " (" + runtime + ")",
                        List.of("p50", "p90", "p99", "p99.9"), series);
            }
        }
    }

    /**
     * The sidecar question: is UDS still worth it between containers? UDS/TCP per server between two containers
     * next to the same ratio on this machine, and the containers' pingpong percentiles.
     */
    private static void acrossContainers(Markup html, BenchReport r) {
        html.element("h2", "Across containers");
        if (!r.method().runtimes().contains(BenchReport.CONTAINER)) {
            List<String> reasons = r.skipped().stream().filter(s -> s.runtime().equals(BenchReport.CONTAINER))
                    .map(Skip::reason).distinct().toList();
            html.element("p", "Not measured" + (reasons.isEmpty() ? " (--runtime local)." : ": " + String.join("; ", reasons)),
                    "class", "missed");
            return;
        }
        html.element("p", "Each server in its own container, loadgen in another: over unix through a socket file in a "
                + "named volume both mount, over tcp through a user-defined docker network. Seed and pingpong only. "
                + "Each bar: UDS/TCP between containers; the tick is the same ratio on this machine.", "class", "note");
        for (Metric m : List.of(Metric.CLIENT_CPU_PER_OP, Metric.P50)) {
            String workload = m == Metric.P50 ? "pingpong" : "seed";
            Charts.ratioBars(html, "UDS/TCP " + workload + " " + m.json() + " between containers", r.transportRatios()
                    .stream().filter(x -> x.runtime().equals(BenchReport.CONTAINER) && x.workload().equals(workload)
                            && x.metric().equals(m.json()))
                    .map(x -> new Bar(x.server() + " " + workload + " " + m.json(), x.median(), x.min(), x.max(),
                            hostRatio(r, x), moved(x.baseline())))
                    .toList(), "the same ratio on this machine");
        }
        percentiles(html, r, BenchReport.CONTAINER);
    }

    /** The same UDS/TCP ratio on this machine, or 0 when it was not measured. */
    private static double hostRatio(BenchReport r, TransportRatio container) {
        return r.transportRatios().stream().filter(x -> x.runtime().equals(BenchReport.LOCAL)
                        && x.server().equals(container.server()) && x.workload().equals(container.workload())
                        && x.metric().equals(container.metric()))
                .mapToDouble(TransportRatio::median).findFirst().orElse(0);
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
        for (String rt : r.method().runtimes()) {
            for (Workload w : Workload.values()) {
                for (String t : List.of("unix", "tcp", "seqpacket", "datagram")) {
                    for (Metric m : w.metrics()) {
                        List<Cell> row = servers.stream().map(s -> cell(r, rt, s, t, w.id(), m)).toList();
                        if (row.stream().allMatch(c -> c == null)) {
                            continue;
                        }
                        html.open("tr").element("td", BenchRun.where(rt) + w.id() + " / " + t + " / " + m.json());
                        for (Cell c : row) {
                            html.element("td", c == null ? "-" : Figures.value(c.median(), c.unit()) + " "
                                    + Figures.spread(c.median(), c.min(), c.max()) + change(c.baseline(), c.unit())
                                    + (c.modes() != null ? " (bimodal: " + Modes.describe(c) + ")" : ""),
                                    "class", c != null && moved(c.baseline()) ? "moved" : null);
                        }
                        html.close("tr");
                    }
                }
            }
        }
        html.close("table");
        r.cells().stream().filter(c -> c.modes() != null).map(c -> "Bimodal: " + BenchRun.where(c.runtime())
                + c.workload() + " / " + c.transport() + " / " + c.metric() + ", " + c.server() + ": " + Modes.describe(c)
                + " (the median mixes the two modes)").forEach(line -> html.element("p", line, "class", "moved"));
        r.skipped().stream().map(s -> "Not measured: " + BenchRun.where(s.runtime()) + s.server() + " / " + s.transport()
                + " / " + s.workload() + ": " + s.reason()).forEach(line -> html.element("p", line, "class", "missed"));
        r.measurements().stream().filter(m -> m.error() != null).forEach(m -> html.element("p", "Failed: round "
                + m.round() + " " + BenchRun.where(m.runtime()) + m.server() + " / " + m.transport() + " / "
                + m.workload() + ": " + m.error(), "class", "missed"));
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
        r.method().loadgenArguments().forEach((rt, perWorkload) -> perWorkload.forEach((w, args) ->
                row(html, "loadgen " + BenchRun.where(rt) + w, String.join(" ", args))));
        r.servers().forEach(s -> s.commands().forEach((t, c) -> row(html, s.id() + " / " + t, String.join(" ", c))));
        r.servers().stream().filter(s -> s.containers() != null).forEach(s -> s.containers().forEach((t, c) ->
                row(html, BenchRun.where(BenchReport.CONTAINER) + s.id() + " / " + t, "image " + String.join(" ", c))));
        html.close("table");
    }

    private static void row(Markup html, String name, String value) {
        html.open("tr").element("td", name).element("td", value, "style", "text-align:left").close("tr");
    }

    private static Cell cell(BenchReport r, String runtime, String server, String transport, String workload, Metric m) {
        return r.cells().stream().filter(c -> c.runtime().equals(runtime) && c.server().equals(server)
                && c.transport().equals(transport) && c.workload().equals(workload) && c.metric().equals(m.json()))
                .findFirst().orElse(null);
    }

    private static Double median(BenchReport r, String runtime, String server, String transport, String workload,
            Metric m) {
        Cell c = cell(r, runtime, server, transport, workload, m);
        return c == null ? null : c.median();
    }

    private static boolean moved(Change c) {
        return c != null && c.moved();
    }

    private static String change(Change c, String unit) {
        return c == null ? "" : " (was " + Figures.value(c.old(), unit) + (c.moved() ? ", " + c.direction() : "") + ")";
    }
}
