// SPDX-License-Identifier: Apache-2.0
// MutantVerdict: one row of the report's mutants table: a deliberately broken server, its bug, and the cases that caught it.
package dev.udsinterop.harness.report;

import java.util.List;

/**
 * What the suite made of one mutant (a server with one deliberate bug).
 *
 * @param server the mutant's server id, e.g. {@code mutant-truncate}
 * @param bug what it does wrong, one line
 * @param caughtBy the ids of the cases that failed against it, sorted; empty if it survived
 */
public record MutantVerdict(String server, String bug, List<String> caughtBy) {

    public MutantVerdict {
        caughtBy = List.copyOf(caughtBy);
    }

    /** Returns true if at least one case caught the mutant. */
    public boolean killed() {
        return !caughtBy.isEmpty();
    }
}
