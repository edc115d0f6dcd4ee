// SPDX-License-Identifier: Apache-2.0
// Coverage: which part of the server x client product a run took (default or full) and, per runtime, what it left out.
package dev.udsinterop.harness.report;

import java.util.List;

/**
 * The report's statement of the run's breadth ({@code matrix.Breadth}): its name, its rule, how many entries it ran
 * of how many the whole product of its servers, clients, transports, runtimes and cases has, and per runtime the
 * server / client pairs it ran and the entries it left out. A reader of a default run learns from it that a pair
 * missing from a container runtime was not run, not forgotten, and that {@code run --full} runs it.
 *
 * @param selection {@code default} or {@code full}
 * @param rule what the selection keeps, one line
 * @param entries the entries selected
 * @param productEntries the entries of the whole product (after --server, --client, --transport, --case, --runtime)
 * @param runtimes per runtime: the pairs run, of how many, and the entries left out
 */
public record Coverage(String selection, String rule, int entries, int productEntries, List<InRuntime> runtimes) {
    public Coverage {
        runtimes = List.copyOf(runtimes);
    }

    /**
     * One runtime's part.
     *
     * @param runtime e.g. {@code container}
     * @param pairs the server / client pairs that ran in it
     * @param productPairs the server / client pairs of the whole product in it
     * @param leftOut the entries of the whole product it left out
     */
    public record InRuntime(String runtime, int pairs, int productPairs, int leftOut) {
    }

    /** Returns the entries left out in all runtimes. */
    public int leftOut() {
        return productEntries - entries;
    }

    /** Returns one line for a console or a page: the selection, the rule and what it left out. */
    public String sentence() {
        StringBuilder s = new StringBuilder("selection " + selection + ": " + entries + " of the whole product's "
                + productEntries + " entries; " + rule);
        List<InRuntime> thinned = runtimes.stream().filter(r -> r.leftOut() > 0).toList();
        if (!thinned.isEmpty()) {
            s.append(". Left out: ");
            for (int i = 0; i < thinned.size(); i++) {
                InRuntime r = thinned.get(i);
                s.append(i == 0 ? "" : "; ").append(r.runtime()).append(' ').append(r.productPairs() - r.pairs())
                        .append(" of ").append(r.productPairs()).append(" server / client pairs (")
                        .append(r.leftOut()).append(" entries)");
            }
            s.append(". ./uds-interop run --full runs them");
        }
        return s.toString();
    }
}
