// SPDX-License-Identifier: Apache-2.0
// HtmlMutants: the report page's mutants table: each deliberately broken server, its bug, the cases that caught it, the kill ratio.
package dev.udsinterop.harness.report;

import java.util.List;

/** The "Mutants" section of report.html, for a report that has a mutants table. */
final class HtmlMutants {
    private HtmlMutants() {
    }

    static void section(Markup html, List<MutantVerdict> mutants) {
        long killed = mutants.stream().filter(MutantVerdict::killed).count();
        html.open("section", "id", "mutants").element("h2", "Mutants");
        html.element("p", "Kill ratio: " + killed + " of " + mutants.size() + " mutants caught. Each mutant is a server "
                + "with one deliberate bug; a case catches it when it fails against it.", "class", "note");
        html.open("table", "class", "mutants").open("thead").open("tr")
                .element("th", "mutant").element("th", "its bug").element("th", "caught by").close("tr").close("thead")
                .open("tbody");
        for (MutantVerdict m : mutants) {
            html.open("tr", "class", m.killed() ? "passed" : "failed").element("td", m.server()).element("td", m.bug())
                    .element("td", m.killed() ? m.caughtBy().size() + " cases: " + String.join(", ", m.caughtBy())
                            : "nothing: the mutant survived")
                    .close("tr");
        }
        html.close("tbody").close("table").close("section").newline();
    }
}
