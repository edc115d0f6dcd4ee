// SPDX-License-Identifier: Apache-2.0
// HtmlMatrix: the two result matrices of report.html: combinations by client, and cases by combination.
package dev.udsinterop.harness.report;

import dev.udsinterop.harness.verdict.Status;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Renders the overview matrix (one row per server / transport / runtime, one column per client) and the case
 * matrix (one row per case, one column per combination). Both order rows and columns by first appearance in
 * the results, grouped by server, then transport and runtime, then client, so that related columns sit together.
 */
final class HtmlMatrix {

    /** The statuses from worst to best: a cell shows the worst status among its results. */
    private static final List<Status> SEVERITY =
            List.of(Status.FAILED, Status.WARNING, Status.FLAKY, Status.EXPECTED_FAILURE, Status.NOT_RUN, Status.SKIPPED,
                    Status.UNSUPPORTED, Status.PASSED);

    /** The statuses in the order the page lists them, as the summary badges do. */
    private static final List<Status> DISPLAY_ORDER =
            List.of(Status.PASSED, Status.FAILED, Status.EXPECTED_FAILURE, Status.SKIPPED, Status.FLAKY, Status.WARNING,
                    Status.NOT_RUN, Status.UNSUPPORTED);

    private record Row(String server, String transport, String runtime) {
        static Row of(Combination c) {
            return new Row(c.server(), c.transport(), c.runtime());
        }

        String label() {
            return String.join(" / ", server, transport, runtime);
        }
    }

    private HtmlMatrix() {
    }

    /** Returns the worst status of {@code results}, which must not be empty. */
    static Status worst(Collection<CaseResult> results) {
        return results.stream().map(CaseResult::status).min(Comparator.comparingInt(SEVERITY::indexOf)).orElseThrow();
    }

    /** Returns the one-character mark of {@code status}, so that the matrices read without colour too. */
    static String symbol(Status status) {
        return switch (status) {
            case PASSED -> "✓";
            case FAILED -> "✗";
            case EXPECTED_FAILURE -> "~";
            case SKIPPED -> "⊘";
            case FLAKY -> "≈";
            case WARNING -> "!";
            case NOT_RUN -> "○";
            case UNSUPPORTED -> "–";
        };
    }

    /** Writes the legend of the symbols and colours. */
    static void legend(Markup html) {
        html.open("p", "class", "legend");
        for (Status status : DISPLAY_ORDER) {
            html.element("span", symbol(status), "class", "mark " + status.json()).text(" " + status.json() + " ");
        }
        html.close("p").newline();
    }

    /** Writes the overview: per server / transport / runtime and client, how many results had each status. */
    static void overview(Markup html, List<CaseResult> results) {
        List<Combination> columns = columns(results);
        List<String> clients = columns.stream().map(Combination::client).distinct().toList();
        Map<Row, Map<String, List<CaseResult>>> cells = new LinkedHashMap<>();
        columns.forEach(c -> cells.computeIfAbsent(Row.of(c), r -> new LinkedHashMap<>()));
        results.forEach(r -> cells.get(Row.of(Combination.of(r)))
                .computeIfAbsent(r.client(), c -> new ArrayList<>()).add(r));

        html.open("table", "class", "overview").open("thead").open("tr")
                .element("th", "server").element("th", "transport").element("th", "runtime");
        clients.forEach(client -> html.element("th", client, "class", "client"));
        html.close("tr").close("thead").newline().open("tbody");
        cells.forEach((row, byClient) -> {
            html.open("tr").element("th", row.server()).element("td", row.transport()).element("td", row.runtime());
            for (String client : clients) {
                List<CaseResult> cell = byClient.get(client);
                if (cell == null) {
                    html.element("td", "—", "class", "count none", "title", row.label() + " / " + client + ": not run");
                    continue;
                }
                Map<Status, Long> counts = cell.stream()
                        .collect(Collectors.groupingBy(CaseResult::status, () -> new EnumMap<>(Status.class),
                                Collectors.counting()));
                StringBuilder text = new StringBuilder();
                StringBuilder title = new StringBuilder(row.server() + " / " + client + " / " + row.transport()
                        + " / " + row.runtime() + ":");
                for (Status status : DISPLAY_ORDER) {
                    Long n = counts.get(status);
                    if (n != null) {
                        text.append(text.isEmpty() ? "" : " ").append(n).append(' ').append(symbol(status));
                        title.append(' ').append(n).append(' ').append(status.json()).append(',');
                    }
                }
                title.setLength(title.length() - 1);
                html.element("td", text.toString(), "class", "count " + worst(cell).json(), "title", title.toString());
            }
            html.close("tr").newline();
        });
        html.close("tbody").close("table").newline();
    }

    /**
     * Writes the case matrix: one row per case id in first-seen order, one small square per combination.
     *
     * @param anchor the fragment id of a result's evidence in the page, by the result's index in
     *     {@code results}, or null when the page has none for it
     */
    static void cases(Markup html, List<CaseResult> results, Function<Integer, String> anchor) {
        List<Combination> columns = columns(results);
        Map<String, Map<Combination, List<Integer>>> rows = new LinkedHashMap<>();
        for (int i = 0; i < results.size(); i++) {
            CaseResult r = results.get(i);
            rows.computeIfAbsent(r.caseId(), c -> new LinkedHashMap<>())
                    .computeIfAbsent(Combination.of(r), c -> new ArrayList<>()).add(i);
        }

        html.open("table", "class", "cases").open("thead");
        html.open("tr").element("th", "case", "rowspan", "3", "class", "case");
        groups(columns, Combination::server).forEach(g -> html.element("th", g.getFirst().server(),
                "colspan", String.valueOf(g.size()), "class", "group"));
        html.close("tr").newline().open("tr");
        groups(columns, Row::of).forEach(g -> html.element("th", g.getFirst().transport() + " · "
                + g.getFirst().runtime(), "colspan", String.valueOf(g.size()), "class", "group"));
        html.close("tr").newline().open("tr");
        for (int i = 0; i < columns.size(); i++) {
            html.open("th", "class", "client" + groupStart(columns, i), "title", columns.get(i).label())
                    .element("span", columns.get(i).client()).close("th");
        }
        html.close("tr").close("thead").newline().open("tbody");
        rows.forEach((caseId, byColumn) -> {
            html.open("tr").element("th", caseId, "class", "case");
            for (int i = 0; i < columns.size(); i++) {
                List<Integer> cell = byColumn.get(columns.get(i));
                String classes = groupStart(columns, i);
                if (cell == null) {
                    html.element("td", "", "class", "square none" + classes,
                            "title", columns.get(i).label() + " / " + caseId + ": not run");
                    continue;
                }
                List<CaseResult> cellResults = cell.stream().map(results::get).toList();
                Status status = worst(cellResults);
                String title = cell.stream().map(index -> tooltip(results.get(index)))
                        .collect(Collectors.joining("\n"));
                String target = cell.stream().map(anchor).filter(a -> a != null).findFirst().orElse(null);
                html.open("td", "class", "square " + status.json() + classes, "title", title);
                if (target != null) {
                    html.element("a", symbol(status), "href", "#" + target);
                } else {
                    html.element("span", symbol(status));
                }
                html.close("td");
            }
            html.close("tr").newline();
        });
        html.close("tbody").close("table").newline();
    }

    private static String tooltip(CaseResult result) {
        String text = result.displayName() + "\n" + result.status().json();
        if (result.failure() != null) {
            text += " (" + result.failure().kind().id() + "): " + result.failure().message();
        }
        return text;
    }

    private static String groupStart(List<Combination> columns, int i) {
        if (i == 0) {
            return "";
        }
        Combination previous = columns.get(i - 1);
        Combination current = columns.get(i);
        if (!previous.server().equals(current.server())) {
            return " server-start";
        }
        return Row.of(previous).equals(Row.of(current)) ? "" : " row-start";
    }

    /** Splits {@code columns} into runs of neighbours that have the same {@code key}. */
    private static <K> List<List<Combination>> groups(List<Combination> columns, Function<Combination, K> key) {
        List<List<Combination>> groups = new ArrayList<>();
        for (Combination column : columns) {
            if (groups.isEmpty() || !key.apply(groups.getLast().getFirst()).equals(key.apply(column))) {
                groups.add(new ArrayList<>());
            }
            groups.getLast().add(column);
        }
        return groups;
    }

    /** Returns the combinations in {@code results} ordered by first-seen server, transport and runtime, client. */
    private static List<Combination> columns(List<CaseResult> results) {
        List<Combination> seen = new ArrayList<>(Combination.group(results).keySet());
        List<String> servers = seen.stream().map(Combination::server).distinct().toList();
        List<Row> rows = seen.stream().map(Row::of).distinct().toList();
        List<String> clients = seen.stream().map(Combination::client).distinct().toList();
        return seen.stream().sorted(Comparator.<Combination>comparingInt(c -> servers.indexOf(c.server()))
                .thenComparingInt(c -> rows.indexOf(Row.of(c)))
                .thenComparingInt(c -> clients.indexOf(c.client()))).toList();
    }

    /**
     * Returns a sentence on why some cases ran with one client only (the harness drives scenario cases, such as
     * signals and stale sockets, itself), or null when every case ran with every client.
     */
    static String scenarioNote(List<CaseResult> results) {
        Map<String, Set<String>> clientsByCase = new LinkedHashMap<>();
        results.forEach(r -> clientsByCase.computeIfAbsent(r.caseId(), k -> new LinkedHashSet<>()).add(r.client()));
        long clients = results.stream().map(CaseResult::client).distinct().count();
        List<String> only = clientsByCase.entrySet().stream()
                .filter(e -> e.getValue().size() == 1 && clients > 1).map(Map.Entry::getKey).toList();
        Set<String> client = only.stream().map(c -> clientsByCase.get(c).iterator().next())
                .collect(Collectors.toCollection(LinkedHashSet::new));
        if (only.isEmpty() || client.size() != 1) {
            return null;
        }
        String families = only.stream().map(c -> c.contains(".") ? c.substring(0, c.indexOf('.')) + ".*" : c)
                .distinct().collect(Collectors.joining(", "));
        return "Why the " + client.iterator().next() + " client column has more cases: its " + only.size()
                + " extra cases (" + families + ") are scenarios the harness drives itself (it signals and kills the "
                + "server, leaves stale socket files, resets and pauses connections) with its own JDK client, so they "
                + "run once per server and transport, under that client only. Every client runs every echo case.";
    }
}
