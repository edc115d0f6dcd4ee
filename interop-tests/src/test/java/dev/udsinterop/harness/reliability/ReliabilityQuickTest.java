// SPDX-License-Identifier: Apache-2.0
// ReliabilityQuickTest: the quick reliability scenarios (what ./uds-interop soak --quick runs) pass, and their report is written.
package dev.udsinterop.harness.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.udsinterop.harness.ProjectLayout;
import dev.udsinterop.harness.report.JsonReport;
import dev.udsinterop.harness.report.ReliabilityResult;
import dev.udsinterop.harness.report.Report;
import dev.udsinterop.harness.report.ReportFiles;
import dev.udsinterop.harness.report.Summary;
import dev.udsinterop.harness.report.EnvironmentProbe;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.DynamicTest;
import java.util.stream.Stream;

/**
 * Runs every reliability scenario in its quick form against the packaged Java server and
 * writes their figures to {@code target/uds-interop-reliability/report.{json,html}}; each
 * scenario is a test that passes only with its verdict {@code pass} (0 bytes lost).
 */
class ReliabilityQuickTest {
    private static List<ReliabilityResult> results;

    @BeforeAll
    static void runQuickScenarios() throws Exception {
        ProjectLayout layout = ProjectLayout.fromSystemProperty();
        Instant start = Instant.now();
        results = ReliabilitySuite.run(layout, true, name -> true, System.out::println);
        Path dir = Files.createDirectories(layout.home().resolve("interop-tests/target/uds-interop-reliability"));
        Report report = new Report(Report.SCHEMA_VERSION, "reliability-quick", start, Instant.now(),
                EnvironmentProbe.probe(layout.home()), List.of(), List.of(), Summary.of(List.of()), null, results);
        ReportFiles.writeAll(report, dir); // checked against the schema first
        assertThat(JsonReport.read(dir.resolve(JsonReport.FILE_NAME)).reliability()).as("read back").isEqualTo(results);
    }

    @TestFactory
    Stream<DynamicTest> everyScenarioPassesWithNoByteLost() {
        assertThat(results).extracting(ReliabilityResult::scenario).as("scenarios run")
                .containsExactlyElementsOf(ReliabilitySuite.names());
        return results.stream().map(r -> DynamicTest.dynamicTest(r.scenario(), () -> {
            assertThat(r.lostBytes()).as(r.scenario() + " lost bytes; " + r.detail()).isZero();
            assertThat(r.verdict()).as(r.scenario() + ": " + r.detail()).isEqualTo(ReliabilityResult.PASS);
        }));
    }
}
