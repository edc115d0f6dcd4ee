// SPDX-License-Identifier: Apache-2.0
// InteropMatrixTest: the conformance matrix as JUnit dynamic tests, one per server / client / transport / runtime / case.
package dev.udsinterop.harness;

import static org.assertj.core.api.Assertions.assertThat;

import dev.udsinterop.harness.container.ContainerRuntimes;
import dev.udsinterop.harness.contract.Evidence;
import dev.udsinterop.harness.matrix.Breadth;
import dev.udsinterop.harness.matrix.MatrixEntry;
import dev.udsinterop.harness.report.CaseResult;
import dev.udsinterop.harness.report.JsonReport;
import dev.udsinterop.harness.report.Report;
import dev.udsinterop.harness.report.ReportFiles;
import dev.udsinterop.harness.run.Conformance;
import dev.udsinterop.harness.run.RunRecord;
import dev.udsinterop.harness.run.RunSummary;
import dev.udsinterop.harness.run.Runner;
import dev.udsinterop.harness.run.SelectedMatrix;
import dev.udsinterop.harness.run.SkipPolicy;
import dev.udsinterop.harness.verdict.Status;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;

/**
 * The same matrix as {@code ./uds-interop run} (its default selection; {@code -Duds.full=true} for {@code run
 * --full}), through the same {@link Runner}: a thin layer
 * that turns each entry into a dynamic test, so Surefire's output and XML read as the matrix.
 * An expected failure is aborted with its reason (Surefire reports it as skipped, as junit.xml
 * does; the report records it); an expected failure that passes, or any other failure, fails
 * its test with the evidence. The run's report is written to
 * {@code target/uds-interop-report/} and checked against its schema, with the console summary that
 * {@code ./uds-interop test} prints at its end ({@link RunSummary}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class InteropMatrixTest {
    private final ProjectLayout layout = ProjectLayout.fromSystemProperty();
    private final RunRecord record = new RunRecord();
    private final SkipPolicy skips = SkipPolicy.of(Boolean.getBoolean("uds.requireAll"));
    private Conformance conformance;
    private SelectedMatrix selected;
    private Runner runner;

    @BeforeAll
    void loadTheMatrix() {
        conformance = Conformance.bundled(layout);
        // run's default selection, as ./uds-interop run; -Duds.full=true for run --full's whole product
        selected = SelectedMatrix.of(conformance.matrix(), Boolean.getBoolean("uds.full") ? Breadth.FULL : Breadth.DEFAULT);
        System.out.println("uds-interop: " + selected.coverage().sentence());
        runner = new Runner(conformance.expectedFailures(), record.timings(), 1.0, true,
                new ContainerRuntimes(layout, System.out, ContainerRuntimes.requiredByEnvironment()));
    }

    /**
     * One flat stream of tests named {@code server / client / transport / runtime / case}: Surefire's XML (with
     * phrased names, see the pom) then names each {@code matrix: java / nc / unix / local / echo.empty}; nested
     * containers would prefix it with their names in an order that reads as noise.
     */
    @TestFactory
    @DisplayName("matrix:")
    Stream<DynamicTest> matrix() {
        return selected.matrix().entries().stream().map(this::test);
    }

    private DynamicTest test(MatrixEntry entry) {
        return DynamicTest.dynamicTest(entry.displayName(), () -> {
            CaseResult result = skips.apply(runner.run(entry)); // under CI a skip fails, it is no assumption
            record.add(result);
            Assumptions.assumeFalse(result.status() == Status.SKIPPED,
                    () -> "skipped: " + result.failure().message());
            // Aborted, so that Surefire's XML shows it as junit.xml does: skipped, with the recorded reason.
            Assumptions.assumeFalse(result.status() == Status.EXPECTED_FAILURE,
                    () -> "expected failure: " + result.expectedFailure());
            // Aborted too, with whose declaration it is: neither a pass nor a failure, also under CI.
            Assumptions.assumeFalse(result.status() == Status.UNSUPPORTED,
                    () -> "unsupported: " + result.failure().message());
            assertThat(result.status())
                    .as(() -> entry.testCase().requirement() + "\n" + Evidence.of(result))
                    .isIn(Status.PASSED, Status.EXPECTED_FAILURE);
        });
    }

    @AfterAll
    void writeTheReport() throws Exception {
        runner.close();
        Report report = record.report(layout.home()).withCoverage(selected.coverage());
        Path dir = Path.of(System.getProperty("uds.report.dir", "target/uds-interop-report"));
        List<Path> files = ReportFiles.writeAll(report, dir); // checks the JSON against the schema before writing it
        // The entry script's 'test' prints this after Maven, as 'run' ends: the table, the counts, the files.
        try (PrintStream summary = new PrintStream(dir.resolve(RunSummary.FILE_NAME).toFile(), StandardCharsets.UTF_8)) {
            RunSummary.print(summary, report, files);
        }
        Report onDisk = JsonReport.read(dir.resolve(JsonReport.FILE_NAME)); // and reading checks the file again
        assertThat(onDisk.results()).as("results in %s", dir).hasSize(selected.matrix().size());
    }
}
