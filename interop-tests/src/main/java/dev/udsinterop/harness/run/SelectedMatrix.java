// SPDX-License-Identifier: Apache-2.0
// SelectedMatrix: the entries a run takes of its whole product at a breadth, with the report's statement of what it left out.
package dev.udsinterop.harness.run;

import dev.udsinterop.harness.matrix.Breadth;
import dev.udsinterop.harness.matrix.Matrix;
import dev.udsinterop.harness.matrix.MatrixEntry;
import dev.udsinterop.harness.report.Coverage;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What {@code run} and the test suite run: {@code breadth} applied to the product (the bundled matrix after the
 * command's --server, --client, --transport, --case and --runtime), and the {@link Coverage} that report.json and
 * report.html state, counted from the two matrices themselves.
 *
 * @param matrix the entries to run
 * @param coverage the statement of the selection
 */
public record SelectedMatrix(Matrix matrix, Coverage coverage) {

    /** Returns {@code breadth} of {@code product}, with its statement. */
    public static SelectedMatrix of(Matrix product, Breadth breadth) {
        Matrix kept = breadth.apply(product);
        Map<String, Set<String>> productPairs = pairsByRuntime(product);
        Map<String, Set<String>> keptPairs = pairsByRuntime(kept);
        Map<String, Integer> productCounts = countByRuntime(product);
        Map<String, Integer> keptCounts = countByRuntime(kept);
        List<Coverage.InRuntime> runtimes = new ArrayList<>();
        for (String runtime : productCounts.keySet()) {
            runtimes.add(new Coverage.InRuntime(runtime, keptPairs.getOrDefault(runtime, Set.of()).size(),
                    productPairs.getOrDefault(runtime, Set.of()).size(),
                    productCounts.get(runtime) - keptCounts.getOrDefault(runtime, 0)));
        }
        return new SelectedMatrix(kept, new Coverage(breadth.id(), breadth.rule(), kept.size(), product.size(), runtimes));
    }

    private static Map<String, Set<String>> pairsByRuntime(Matrix matrix) {
        Map<String, Set<String>> pairs = new LinkedHashMap<>();
        for (MatrixEntry e : matrix.entries()) {
            pairs.computeIfAbsent(e.runtime(), r -> new LinkedHashSet<>()).add(e.server().id() + " / " + e.client().id());
        }
        return pairs;
    }

    private static Map<String, Integer> countByRuntime(Matrix matrix) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        matrix.entries().forEach(e -> counts.merge(e.runtime(), 1, Integer::sum));
        return counts;
    }
}
