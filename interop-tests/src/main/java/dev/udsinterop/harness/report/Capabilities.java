// SPDX-License-Identifier: Apache-2.0
// Capabilities: per implementation (server or client) and feature (seqpacket, datagram, abstract, fdpass), what the results say it can do.
package dev.udsinterop.harness.report;

import dev.udsinterop.harness.fixture.InteropCase;
import dev.udsinterop.harness.verdict.Status;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The capability table: one row per server and per client, one column per feature of Unix
 * sockets beyond byte streams. A cell is {@code yes} when every case of the feature it ran
 * passed (or failed as expected), {@code unsupported} when it declares it cannot (every case of
 * the feature unsupported by it), the failure kinds when one failed, and {@code -} when no case
 * of the feature met it. A mixed cell (some transports unsupported) names them. Only a
 * declaration counts as unsupported: the Runner's reason says whose it is ({@link #DECLARED_BY_SERVER}).
 */
public final class Capabilities {
    /** The words an unsupported result's reason starts its cause with when the server declared it. */
    public static final String DECLARED_BY_SERVER = "the server declares";
    /** The words an unsupported result's reason starts its cause with when the client declared it. */
    public static final String DECLARED_BY_CLIENT = "the client declares";

    private Capabilities() {
    }

    /** One row: an implementation and its cell per feature. */
    public record Row(String implementation, Map<String, String> cells) {
    }

    /** Returns the rows for {@code results}: servers first, then clients, each in order of appearance; empty if no case of a feature ran. */
    public static List<Row> of(List<CaseResult> results) {
        List<CaseResult> featured = results.stream().filter(r -> feature(r.caseId()) != null).toList();
        if (featured.isEmpty()) {
            return List.of();
        }
        List<Row> rows = new ArrayList<>();
        for (String server : featured.stream().map(CaseResult::server).distinct().toList()) {
            rows.add(row("server " + server, featured.stream().filter(r -> r.server().equals(server)).toList(), true));
        }
        for (String client : featured.stream().map(CaseResult::client).distinct().toList()) {
            rows.add(row("client " + client, featured.stream().filter(r -> r.client().equals(client)).toList(), false));
        }
        return rows;
    }

    private static Row row(String name, List<CaseResult> results, boolean server) {
        Map<String, String> cells = new LinkedHashMap<>();
        for (String feature : InteropCase.FEATURES) {
            List<CaseResult> mine = results.stream().filter(r -> feature.equals(feature(r.caseId()))).toList();
            cells.put(feature, cell(mine, server));
        }
        return new Row(name, cells);
    }

    private static String cell(List<CaseResult> results, boolean server) {
        String declared = server ? DECLARED_BY_SERVER : DECLARED_BY_CLIENT;
        TreeSet<String> failures = new TreeSet<>();
        TreeSet<String> unsupportedOn = new TreeSet<>();
        int ran = 0;
        for (CaseResult r : results) {
            if (r.status() == Status.UNSUPPORTED) {
                if (r.failure() != null && r.failure().message().contains(declared)) {
                    unsupportedOn.add(r.transport());
                }
                continue; // the other side's declaration says nothing of this one
            }
            if (r.status() == Status.SKIPPED || r.status() == Status.NOT_RUN) {
                continue;
            }
            ran++;
            if (r.status() == Status.FAILED || r.status() == Status.WARNING) {
                failures.add(r.failure() == null ? "failed" : r.failure().kind().id());
            }
        }
        if (!failures.isEmpty()) {
            return "failed: " + String.join(", ", failures);
        }
        if (ran == 0) {
            return unsupportedOn.isEmpty() ? "-" : "unsupported";
        }
        return unsupportedOn.isEmpty() ? "yes" : "yes; unsupported on " + String.join(", ", unsupportedOn);
    }

    /** Returns the feature a case id belongs to, or null for the stream cases. */
    static String feature(String caseId) {
        int dot = caseId.indexOf('.');
        String first = dot < 0 ? caseId : caseId.substring(0, dot);
        return InteropCase.FEATURES.contains(first) ? first : null;
    }

    /** Writes the table as the "Capabilities" section, or nothing when no case of a feature ran. */
    static void section(Markup html, List<CaseResult> results) {
        List<Row> rows = of(results);
        if (rows.isEmpty()) {
            return;
        }
        html.open("section", "id", "capabilities").element("h2", "Capabilities");
        html.element("p", "Unix sockets beyond byte streams, per implementation: yes (every case of the feature passed), "
                + "unsupported (it declares it cannot: never a pass, never a failure), the kinds of its failures, or - "
                + "(no case of the feature met it).", "class", "note");
        html.open("table", "class", "capabilities").open("thead").open("tr").element("th", "implementation");
        InteropCase.FEATURES.forEach(f -> html.element("th", f));
        html.close("tr").close("thead").open("tbody");
        for (Row row : rows) {
            html.open("tr").element("th", row.implementation());
            row.cells().values().forEach(v -> html.element("td", v, "class",
                    v.startsWith("yes") ? "yes" : v.startsWith("failed") ? "failed" : v.equals("-") ? "none" : "unsupported"));
            html.close("tr");
        }
        html.close("tbody").close("table").close("section").newline();
    }
}
