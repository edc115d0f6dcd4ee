// SPDX-License-Identifier: Apache-2.0
// ContractRun: the dynamic tests of an EchoServerContract, through the same matrix and runner as check and run.
package dev.udsinterop.harness.contract;

import dev.udsinterop.harness.ProjectLayout;
import dev.udsinterop.harness.fixture.Manifest;
import dev.udsinterop.harness.fixture.PackagedFixtures;
import dev.udsinterop.harness.matrix.ExpectedFailures;
import dev.udsinterop.harness.matrix.Matrix;
import dev.udsinterop.harness.matrix.MatrixEntry;
import dev.udsinterop.harness.matrix.Selection;
import dev.udsinterop.harness.peer.Peer;
import dev.udsinterop.harness.peer.Peers;
import dev.udsinterop.harness.report.CaseResult;
import dev.udsinterop.harness.report.ReportFiles;
import dev.udsinterop.harness.run.Conformance;
import dev.udsinterop.harness.run.RunRecord;
import dev.udsinterop.harness.run.Runner;
import dev.udsinterop.harness.run.SkipPolicy;
import dev.udsinterop.harness.server.ServerSpec;
import dev.udsinterop.harness.transport.Transport;
import dev.udsinterop.harness.verdict.Status;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;

/** Builds the matrix of one server and turns each entry into a dynamic test; closing the stream ends the run. */
final class ContractRun {
    private ContractRun() {
    }

    static Stream<DynamicTest> tests(ServerSpec server, ContractOptions options) {
        // A checkout (uds.home) gives its manifest and adds its built clients; without one, the jar is enough.
        String home = System.getProperty("uds.home");
        boolean checkout = home != null && !home.isBlank();
        ProjectLayout layout = ProjectLayout.fromSystemProperty();
        Manifest manifest = Manifest.load(checkout ? layout.manifest() : PackagedFixtures.manifest());
        List<Peer> clients = checkout ? Peers.bundled(layout, manifest) : Peers.unbuilt(manifest);
        Selection selection = new Selection(List.of(), options.clients(), options.transports(),
                Selection.idsOrPrefixes(options.cases()));
        Matrix matrix = Matrix.product(List.of(server), List.of(Conformance.LOCAL), List.of(Transport.values()),
                clients, manifest.cases()).select(selection);
        if (matrix.size() == 0) {
            throw new IllegalArgumentException("no case matches " + selection + " for " + server.id() + " on "
                    + server.transports() + (checkout ? "" : " with the clients " + clients.stream().map(Peer::id)
                    .toList() + " (the Go client needs a built checkout: -Duds.home=DIR)"));
        }
        ExpectedFailures known = options.knownFailures() == null ? ExpectedFailures.NONE
                : ExpectedFailures.load(options.knownFailures());
        RunRecord record = new RunRecord();
        Runner runner = new Runner(known, record.timings(), options.timeoutScale(), options.strict());
        return matrix.entries().stream().map(entry -> test(entry, runner, record)).onClose(() -> {
            runner.close();
            if (options.reports() != null) {
                try {
                    ReportFiles.writeAll(record.report(layout.home()), options.reports());
                } catch (IOException e) {
                    throw new UncheckedIOException("write the contract's reports to " + options.reports(), e);
                }
            }
        });
    }

    private static DynamicTest test(MatrixEntry entry, Runner runner, RunRecord record) {
        String name = String.join(" / ", entry.client().id(), entry.transport().id(), entry.testCase().id());
        return DynamicTest.dynamicTest(name, () -> {
            // Under CI=true (or -Duds.requireAll=true) a skip fails: a missing client is no assumption.
            CaseResult result = SkipPolicy.of(Boolean.getBoolean("uds.requireAll")).apply(runner.run(entry));
            record.add(result);
            Assumptions.assumeFalse(result.status() == Status.SKIPPED, () -> "skipped: " + result.failure().message());
            Assumptions.assumeFalse(result.status() == Status.WARNING,
                    () -> "warning (a SHOULD requirement): " + entry.testCase().requirement() + "\n" + Evidence.of(result));
            if (result.status() == Status.FAILED) {
                Assertions.fail(entry.testCase().requirement() + "\n" + Evidence.of(result));
            }
        });
    }
}
