// SPDX-License-Identifier: Apache-2.0
// SelectionCoverageTest: run's default selection keeps every pair in local and every server and client in each other runtime; --full is the product.
package dev.udsinterop.harness.run;

import static dev.udsinterop.harness.run.CheckCommandTest.captureOut;
import static org.assertj.core.api.Assertions.assertThat;

import dev.udsinterop.harness.ProjectLayout;
import dev.udsinterop.harness.matrix.Breadth;
import dev.udsinterop.harness.matrix.Matrix;
import dev.udsinterop.harness.matrix.MatrixEntry;
import dev.udsinterop.harness.matrix.Selection;
import dev.udsinterop.harness.report.Coverage;
import dev.udsinterop.harness.runtime.RuntimeKind;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;

/**
 * The coverage property of issue 19, checked on the bundled matrix itself (the manifest, the servers, the clients
 * and the runtimes of this checkout), and on parts of it with fewer servers than clients and the other way round,
 * since the rotation must not depend on the two counts being equal.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SelectionCoverageTest {
    private Matrix product;

    @BeforeAll
    void loadTheBundledMatrix() {
        product = Conformance.bundled(ProjectLayout.fromSystemProperty()).matrix();
    }

    @TestFactory
    Stream<DynamicTest> theDefaultKeepsEveryPairLocallyAndEveryServerAndClientInEachOtherRuntime() {
        List<String> servers = ids(product, e -> e.server().id());
        List<String> clients = ids(product, e -> e.client().id());
        return Stream.of(
                DynamicTest.dynamicTest("the whole bundled matrix", () -> assertCoverage(product)),
                DynamicTest.dynamicTest("fewer servers than clients", () -> assertCoverage(product.select(
                        new Selection(servers.subList(0, 2), List.of(), List.of(), List.of())))),
                DynamicTest.dynamicTest("fewer clients than servers", () -> assertCoverage(product.select(
                        new Selection(List.of(), clients.subList(0, 2), List.of(), List.of())))),
                DynamicTest.dynamicTest("one server", () -> assertCoverage(product.select(
                        new Selection(servers.subList(servers.size() - 1, servers.size()), List.of(), List.of(), List.of())))));
    }

    private static void assertCoverage(Matrix whole) {
        SelectedMatrix selected = SelectedMatrix.of(whole, Breadth.DEFAULT);
        List<MatrixEntry> kept = selected.matrix().entries();
        assertThat(whole.entries()).as("kept in the product's order").containsSubsequence(kept);
        // local: the whole product, every server x client x transport x case
        assertThat(kept.stream().filter(SelectionCoverageTest::local).toList())
                .containsExactlyElementsOf(whole.entries().stream().filter(SelectionCoverageTest::local).toList());
        Set<String> runtimes = whole.entries().stream().map(MatrixEntry::runtime).filter(r -> !r.equals("local"))
                .collect(Collectors.toSet());
        assertThat(runtimes).as("the bundled matrix has the container runtimes (they skip without Docker)").isNotEmpty();
        for (String runtime : runtimes) {
            List<MatrixEntry> all = in(whole.entries(), runtime);
            List<MatrixEntry> in = in(kept, runtime);
            assertThat(ids(in, e -> e.server().id())).as("servers in %s", runtime)
                    .containsExactlyInAnyOrderElementsOf(ids(all, e -> e.server().id()));
            assertThat(ids(in, e -> e.client().id())).as("clients in %s", runtime)
                    .containsExactlyInAnyOrderElementsOf(ids(all, e -> e.client().id()));
            // a pair that runs, runs whole: every transport and every case of the runtime (a scenario is a server's
            // pair with java)
            Set<String> pairs = in.stream().map(SelectionCoverageTest::pair).collect(Collectors.toSet());
            assertThat(in).containsExactlyElementsOf(all.stream().filter(e -> pairs.contains(pair(e))).toList());
            int servers = ids(all, e -> e.server().id()).size();
            int clients = ids(all, e -> e.client().id()).size();
            assertThat(pairs).as("pairs in %s: the larger of %d servers and %d clients", runtime, servers, clients)
                    .hasSize(Math.max(servers, clients));
            Coverage.InRuntime stated = selected.coverage().runtimes().stream().filter(r -> r.runtime().equals(runtime))
                    .findFirst().orElseThrow();
            assertThat(stated.pairs()).isEqualTo(pairs.size());
            assertThat(stated.productPairs()).isEqualTo(servers * clients);
            assertThat(stated.leftOut()).isEqualTo(all.size() - in.size());
        }
        Coverage coverage = selected.coverage();
        assertThat(coverage.selection()).isEqualTo("default");
        assertThat(coverage.entries()).isEqualTo(kept.size());
        assertThat(coverage.productEntries()).isEqualTo(whole.size());
        assertThat(coverage.runtimes().stream().mapToInt(Coverage.InRuntime::leftOut).sum()).isEqualTo(coverage.leftOut());
    }

    @Test
    void theRotationMeetsOtherPairsInEachRuntime() {
        Set<String> containerPairs = pairs(SelectedMatrix.of(product, Breadth.DEFAULT).matrix(), RuntimeKind.CONTAINER.id());
        Set<String> crossServerPairs = pairs(SelectedMatrix.of(product, Breadth.DEFAULT).matrix(), RuntimeKind.CROSS_SERVER.id());
        assertThat(containerPairs).isNotEmpty().doesNotContainAnyElementsOf(crossServerPairs);
        assertThat(SelectedMatrix.of(product, Breadth.DEFAULT).matrix().size()).as("the default leaves pairs out").isLessThan(product.size());
    }

    @Test
    void fullIsTheWholeProduct() {
        SelectedMatrix full = SelectedMatrix.of(product, Breadth.FULL);
        assertThat(full.matrix().entries()).containsExactlyElementsOf(product.entries());
        assertThat(full.coverage().leftOut()).isZero();
        assertThat(full.coverage().runtimes()).allSatisfy(r -> {
            assertThat(r.leftOut()).isZero();
            assertThat(r.pairs()).isEqualTo(r.productPairs());
        });
    }

    @Test
    void runListsTheDefaultAndFullTheProductWithTheSelectionStated() {
        List<String> listed = entries(captureOut(() -> HarnessCommand.execute("run", "--list")));
        List<String> listedFull = entries(captureOut(() -> HarnessCommand.execute("run", "--list", "--full")));
        assertThat(listedFull).containsExactlyElementsOf(product.entries().stream().map(MatrixEntry::displayName).toList());
        assertThat(listed).containsExactlyElementsOf(SelectedMatrix.of(product, Breadth.DEFAULT).matrix().entries().stream()
                .map(MatrixEntry::displayName).toList());
        assertThat(captureOut(() -> HarnessCommand.execute("run", "--list")))
                .contains("# selection default: " + listed.size() + " of the whole product's " + product.size() + " entries");
    }

    private static List<String> entries(String list) {
        return list.lines().filter(l -> !l.startsWith("#")).toList();
    }

    private static boolean local(MatrixEntry e) {
        return e.runtime().equals(RuntimeKind.LOCAL.id());
    }

    private static List<MatrixEntry> in(List<MatrixEntry> entries, String runtime) {
        return entries.stream().filter(e -> e.runtime().equals(runtime)).toList();
    }

    private static Set<String> pairs(Matrix m, String runtime) {
        return in(m.entries(), runtime).stream().map(SelectionCoverageTest::pair).collect(Collectors.toSet());
    }

    private static String pair(MatrixEntry e) {
        return e.server().id() + " / " + e.client().id();
    }

    private static List<String> ids(Matrix m, Function<MatrixEntry, String> id) {
        return ids(m.entries(), id);
    }

    private static List<String> ids(List<MatrixEntry> entries, Function<MatrixEntry, String> id) {
        return entries.stream().map(id).distinct().toList();
    }
}
