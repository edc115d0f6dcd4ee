// SPDX-License-Identifier: Apache-2.0
// HtmlTimings: the timings of report.html as a comparison: per workload, the servers (and transports) side by side.
package dev.udsinterop.harness.report;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Renders timings as one small table per workload: a row per client (and runtime), a column per server and
 * transport, in the overview's server order, so that a row reads as "which server is faster for this client".
 * A cell shows the median and how many times slower than the row's fastest it is; a percentile beyond the
 * median is shown only when at least {@value #SAMPLES_BEYOND} samples lie beyond it, so that p90 and p99 of a
 * handful of samples (which are just the maximum) never appear.
 */
final class HtmlTimings {

    /** How many samples must lie beyond a percentile for it to be shown. */
    static final int SAMPLES_BEYOND = 5;

    private static final String PROCESS = " (process)";

    private record Row(String client, String runtime) {
        String label() {
            return runtime.equals("local") ? client : client + " · " + runtime;
        }
    }

    private record Column(String server, String transport) {
    }

    /**
     * The order the rest of the page shows servers, clients and transports in (first seen in the results); names
     * it does not list follow in the order the timings have them.
     */
    record Order(List<String> servers, List<String> clients, List<String> transports) {
        static Order of(List<CaseResult> results) {
            return new Order(results.stream().map(CaseResult::server).distinct().toList(),
                    results.stream().map(CaseResult::client).distinct().toList(),
                    results.stream().map(CaseResult::transport).distinct().toList());
        }
    }

    private HtmlTimings() {
    }

    /** Writes the comparison of {@code timings}, with servers, clients and transports in {@code order}. */
    static void comparison(Markup html, List<Timing> timings, Order order) {
        if (timings.isEmpty()) {
            html.element("p", "No timings were recorded.", "class", "note");
            return;
        }
        html.element("p", "Timings gathered on the way through the matrix, not a benchmark: each cell is the median "
                + "of its samples (hover it for the count, minimum, maximum and mean). Within a row the client is the "
                + "same, so the row compares the servers and transports; the fastest cell is marked and the others "
                + "say how many times slower they were. A percentile beyond the median appears only where at least "
                + SAMPLES_BEYOND + " samples lie beyond it (p90 from " + minimumSamples(90) + " samples, p99 from "
                + minimumSamples(99) + ").", "class", "note");
        Map<String, List<Timing>> byWorkload = new LinkedHashMap<>();
        timings.stream().sorted(Comparator.comparing(HtmlTimings::workloadOrder))
                .forEach(t -> byWorkload.computeIfAbsent(t.workload(), w -> new ArrayList<>()).add(t));
        html.open("div", "class", "timing-grid");
        byWorkload.forEach((workload, series) -> workload(html, workload, series, order));
        html.close("div").newline();
    }

    private static void workload(Markup html, String workload, List<Timing> series, Order order) {
        Set<String> servers = ordered(series.stream().map(Timing::server).toList(), order.servers());
        Set<String> transports = ordered(series.stream().map(Timing::transport).toList(), order.transports());
        List<String> clients = List.copyOf(ordered(series.stream().map(Timing::client).toList(), order.clients()));
        List<Column> columns = new ArrayList<>();
        servers.forEach(s -> transports.forEach(tr -> columns.add(new Column(s, tr))));
        Map<Row, Map<Column, Timing>> rows = new LinkedHashMap<>();
        series.stream().sorted(Comparator.comparingInt(t -> clients.indexOf(t.client()))).forEach(t -> rows
                .computeIfAbsent(new Row(t.client(), t.runtime()), r -> new LinkedHashMap<>())
                .put(new Column(t.server(), t.transport()), t));

        html.open("article", "class", "timing").open("h3").text(workload);
        List<Long> counts = series.stream().map(Timing::samples).distinct().toList();
        if (counts.size() == 1) { // said once here; otherwise each cell says it
            html.element("span", " · " + samples(counts.getFirst()) + " per cell", "class", "note");
        }
        html.close("h3").element("p", describe(workload), "class", "note");
        html.open("table", "class", "compare").open("thead").open("tr")
                .element("th", "client", "rowspan", "2");
        servers.forEach(s -> html.element("th", s, "colspan", String.valueOf(transports.size()), "class", "server"));
        html.close("tr").open("tr");
        columns.forEach(c -> html.element("th", c.transport(), "class", "transport" + start(columns, c)));
        html.close("tr").close("thead").open("tbody");
        rows.forEach((row, cells) -> {
            long fastest = cells.values().stream().mapToLong(Timing::p50).min().orElse(0);
            html.open("tr").element("th", row.label());
            for (Column c : columns) {
                cell(html, cells.get(c), fastest, start(columns, c), counts.size() > 1);
            }
            html.close("tr").newline();
        });
        html.close("tbody").close("table").close("article").newline();
    }

    private static void cell(Markup html, Timing t, long fastest, String classes, boolean showCount) {
        if (t == null) {
            html.element("td", "–", "class", "none" + classes, "title", "not measured");
            return;
        }
        boolean best = t.p50() == fastest;
        String cls = ((best ? "best" : "") + classes).strip();
        html.open("td", "class", cls.isEmpty() ? null : cls, "title", tooltip(t))
                .element("span", DurationText.nanos(t.p50()), "class", "median");
        String extra = (best ? "fastest" : ratio(t.p50(), fastest)) + (showCount ? " · " + samples(t.samples()) : "");
        html.element("span", extra + percentiles(t), "class", "detail").close("td");
    }

    /** Returns {@code values} in the order of {@code order}, then the others in first-seen order. */
    private static Set<String> ordered(List<String> values, List<String> order) {
        Set<String> result = new LinkedHashSet<>();
        order.stream().filter(values::contains).forEach(result::add);
        result.addAll(values);
        return result;
    }

    private static String samples(long n) {
        return n + (n == 1 ? " sample" : " samples");
    }

    /** Returns {@code " · p90 X · p99 Y"}, with only the percentiles the sample count supports. */
    private static String percentiles(Timing t) {
        return (supports(t.samples(), 90) ? " · p90 " + DurationText.nanos(t.p90()) : "")
                + (supports(t.samples(), 99) ? " · p99 " + DurationText.nanos(t.p99()) : "");
    }

    /** Returns true when at least {@value #SAMPLES_BEYOND} of {@code samples} lie beyond the {@code percentile}. */
    static boolean supports(long samples, int percentile) {
        return samples >= minimumSamples(percentile);
    }

    private static long minimumSamples(int percentile) {
        return Math.round(Math.ceil(SAMPLES_BEYOND * 100.0 / (100 - percentile)));
    }

    private static String ratio(long value, long fastest) {
        double ratio = (double) value / fastest;
        // two decimals near 1, where "1.0× slower" would say nothing
        return fastest <= 0 ? "" : String.format(Locale.ROOT, ratio < 1.995 ? "%.2f× slower" : "%.1f× slower", ratio);
    }

    private static String tooltip(Timing t) {
        StringBuilder s = new StringBuilder(String.join(" / ", t.server(), t.client(), t.transport(), t.runtime()))
                .append('\n').append(samples(t.samples()));
        if (t.samples() == 1) {
            return s.append(": ").append(DurationText.nanos(t.p50())).toString();
        }
        return s.append("\nmin ").append(DurationText.nanos(t.min()))
                .append(" · median ").append(DurationText.nanos(t.p50())).append(percentiles(t))
                .append(" · max ").append(DurationText.nanos(t.max()))
                .append("\nmean ").append(DurationText.nanos(t.mean())).toString();
    }

    private static String start(List<Column> columns, Column c) {
        int i = columns.indexOf(c);
        return i > 0 && !columns.get(i - 1).server().equals(c.server()) ? " server-start" : "";
    }

    /** Orders workloads: connect, round-trip, then the others by name; each client program's series after its in-process one. */
    private static String workloadOrder(Timing t) {
        String base = t.workload().replace(PROCESS, "");
        int rank = base.equals("connect") ? 0 : base.equals("round-trip") ? 1 : 2;
        return rank + base + (t.workload().endsWith(PROCESS) ? "1" : "0");
    }

    /** Returns a sentence on what {@code workload} measures. */
    static String describe(String workload) {
        boolean process = workload.endsWith(PROCESS);
        String base = workload.replace(PROCESS, "");
        String cases = switch (base) {
            case "connect" -> null;
            case "round-trip" -> "the small single-connection echo cases (tagged rtt, at most 4 KiB)";
            default -> "the case " + base + ", one connection";
        };
        if (cases == null) {
            return "Connect: from the client's connect call until the connection is established, once per connection "
                    + "of the single-connection echo cases (client programs such as nc and socat cannot report it).";
        }
        String name = base.equals("round-trip") ? "Round trip" : "Throughput";
        return process
                ? name + " through a client program (nc, socat), for " + cases + ": from starting the program until "
                        + "its output ended, so its start-up is included; compare the servers within a row, not these "
                        + "rows with the in-process clients'."
                : name + ", for " + cases + ": from the established connection until the last byte of the echo came "
                        + "back" + (base.equals("round-trip") ? ", the latency a request/response client sees." : ".");
    }
}
