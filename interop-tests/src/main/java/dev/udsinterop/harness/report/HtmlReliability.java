// SPDX-License-Identifier: Apache-2.0
// HtmlReliability: the report page's reliability section, one row per scenario with its figures and verdict.
package dev.udsinterop.harness.report;

import java.util.List;
import java.util.Locale;

/** Renders {@link Report#reliability()}; nothing when the run had no reliability scenarios. */
final class HtmlReliability {
    private HtmlReliability() {
    }

    static void section(Markup html, List<ReliabilityResult> results) {
        if (results == null) {
            return;
        }
        html.open("section", "id", "reliability").element("h2", "Reliability");
        html.element("p", "Load, faults and hostile clients against the server; every byte checked. Peak RSS is "
                + "the server's resident memory from /proc (on a shared machine the figures are noisy).", "class", "note");
        html.open("table", "class", "reliability").open("thead").open("tr");
        for (String column : List.of("scenario", "server", "verdict")) {
            html.element("th", column);
        }
        for (String column : List.of("connections", "bytes", "lost bytes", "peak RSS", "duration")) {
            html.element("th", column, "class", "number");
        }
        html.element("th", "detail").close("tr").close("thead").newline().open("tbody");
        for (ReliabilityResult r : results) {
            html.open("tr").element("td", r.scenario(), "title", r.description()).element("td", r.server())
                    .element("td", r.verdict(), "class", r.passed() ? "badge passed" : "badge failed")
                    .element("td", String.valueOf(r.connections()), "class", "number")
                    .element("td", bytes(r.bytes()), "class", "number", "title", r.bytes() + " bytes")
                    .element("td", String.valueOf(r.lostBytes()), "class", "number")
                    .element("td", r.peakRssKiB() == null ? "-" : mib(r.peakRssKiB()), "class", "number")
                    .element("td", DurationText.nanos(r.durationMs() * 1_000_000), "class", "number")
                    .element("td", r.detail())
                    .close("tr").newline();
        }
        html.close("tbody").close("table").close("section").newline();
    }

    private static String mib(long kib) {
        return String.format(Locale.ROOT, "%.1f MiB", kib / 1024.0);
    }

    private static String bytes(long n) {
        return n < 1 << 20 ? n + " B" : String.format(Locale.ROOT, "%.1f MiB", n / (double) (1 << 20));
    }
}
