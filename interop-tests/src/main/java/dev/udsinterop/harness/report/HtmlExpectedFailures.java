// SPDX-License-Identifier: Apache-2.0
// HtmlExpectedFailures: report.html's expected failures, grouped by their recorded reason, with the cases under it.
package dev.udsinterop.harness.report;

import dev.udsinterop.harness.verdict.Status;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Known failures are the same every run and nearly identical across clients and transports, so instead of one
 * card per result they are listed once per reason, one row per case naming the servers, clients and transports
 * it failed with and what was seen. Every result gets an anchor on its case's row, for the case matrix's links.
 */
final class HtmlExpectedFailures {

    /** The expected failures of a run, grouped: reason, then case id, then the results' indexes. */
    private final Map<String, Map<String, List<Integer>>> groups = new LinkedHashMap<>();
    private final Map<Integer, String> anchors = new HashMap<>();
    private final List<CaseResult> results;

    /** Groups the results of {@code results} whose status is expected-failure. */
    HtmlExpectedFailures(List<CaseResult> results) {
        this.results = results;
        for (int i = 0; i < results.size(); i++) {
            CaseResult r = results.get(i);
            if (r.status() == Status.EXPECTED_FAILURE) {
                groups.computeIfAbsent(String.valueOf(r.expectedFailure()), k -> new LinkedHashMap<>())
                        .computeIfAbsent(r.caseId(), k -> new ArrayList<>()).add(i);
            }
        }
        int g = 0;
        for (Map<String, List<Integer>> byCase : groups.values()) {
            int c = 0;
            for (List<Integer> indexes : byCase.values()) {
                String anchor = "expected-" + g + "-" + c++;
                indexes.forEach(i -> anchors.put(i, anchor));
            }
            g++;
        }
    }

    /** Returns the anchor of the row that lists result {@code index}, or null when it is no expected failure. */
    String anchor(int index) {
        return anchors.get(index);
    }

    /** Returns how many results are expected failures. */
    int count() {
        return anchors.size();
    }

    /** Writes one block per reason. */
    void write(Markup html) {
        if (groups.isEmpty()) {
            html.element("p", "None.", "class", "note");
            return;
        }
        groups.forEach((reason, byCase) -> {
            int total = byCase.values().stream().mapToInt(List::size).sum();
            html.open("div", "class", "expected-group").open("p", "class", "reason")
                    .element("strong", reason)
                    .element("span", " · " + byCase.size() + (byCase.size() == 1 ? " case, " : " cases, ") + total
                            + (total == 1 ? " result" : " results"), "class", "note")
                    .close("p");
            html.open("table", "class", "expected-cases").open("thead").open("tr");
            for (String column : List.of("case", "servers", "clients", "transports", "runtimes", "what was seen")) {
                html.element("th", column);
            }
            html.close("tr").close("thead").open("tbody");
            byCase.forEach((caseId, indexes) -> row(html, caseId, indexes));
            html.close("tbody").close("table").close("div").newline();
        });
    }

    private void row(Markup html, String caseId, List<Integer> indexes) {
        List<CaseResult> rs = indexes.stream().map(results::get).toList();
        Set<String> seen = new LinkedHashSet<>();
        rs.forEach(r -> seen.add(r.failure() == null ? "" : r.failure().message()));
        String first = seen.iterator().next();
        html.open("tr", "id", anchors.get(indexes.getFirst()))
                .element("th", caseId, "class", "case")
                .element("td", distinct(rs, CaseResult::server))
                .element("td", distinct(rs, CaseResult::client))
                .element("td", distinct(rs, CaseResult::transport))
                .element("td", distinct(rs, CaseResult::runtime))
                .open("td", "class", "message", "title", rs.stream()
                        .map(r -> r.displayName() + ": " + (r.failure() == null ? "" : r.failure().message()))
                        .collect(Collectors.joining("\n")))
                .text(first);
        if (seen.size() > 1) {
            html.element("span", " (and " + (seen.size() - 1) + " other message" + (seen.size() == 2 ? "" : "s")
                    + "; hover to see each result's)", "class", "note");
        }
        html.close("td").close("tr").newline();
    }

    private static String distinct(List<CaseResult> rs, Function<CaseResult, String> field) {
        return rs.stream().map(field).distinct().collect(Collectors.joining(", "));
    }
}
