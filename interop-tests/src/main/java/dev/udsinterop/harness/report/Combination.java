// SPDX-License-Identifier: Apache-2.0
// Combination: one server / client / transport / runtime, the unit the HTML columns and the JUnit suites are made of.
package dev.udsinterop.harness.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where a case ran: everything of a {@link CaseResult}'s coordinates but the case.
 *
 * @param server the server's id
 * @param client the client's id
 * @param transport {@code unix} or {@code tcp}
 * @param runtime e.g. {@code local}
 */
record Combination(String server, String client, String transport, String runtime) {

    /** Returns the combination {@code result} ran in. */
    static Combination of(CaseResult result) {
        return new Combination(result.server(), result.client(), result.transport(), result.runtime());
    }

    /**
     * Groups {@code results} by combination, keeping the first-seen order of the combinations and the run order
     * of the results within each.
     */
    static Map<Combination, List<CaseResult>> group(List<CaseResult> results) {
        Map<Combination, List<CaseResult>> groups = new LinkedHashMap<>();
        results.forEach(r -> groups.computeIfAbsent(of(r), c -> new ArrayList<>()).add(r));
        return groups;
    }

    /** Returns {@code server / client / transport / runtime}. */
    String label() {
        return String.join(" / ", server, client, transport, runtime);
    }
}
