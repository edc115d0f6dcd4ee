// SPDX-License-Identifier: Apache-2.0
// ReferenceRunTest: the run published in docs/bench stays a complete, readable baseline as the schema evolves.
package dev.udsinterop.harness.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.udsinterop.harness.ProjectLayout;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The figures of {@code docs/benchmark.md} come from {@code docs/bench/bench.json}, and users pass it to
 * {@code --baseline}: it must read with today's schema and hold every figure that page quotes.
 */
class ReferenceRunTest {
    private final Path reference = ProjectLayout.fromSystemProperty().home().resolve("docs/bench/bench.json");

    @Test
    void theReferenceRunReadsAndHasEveryServerWorkloadAndTransport() throws Exception {
        BenchReport report = BenchJson.read(reference);
        assertThat(report.measurements()).as("failed measurements").noneMatch(m -> m.error() != null);
        assertThat(report.skipped()).as("skipped").isEmpty();
        for (String server : List.of("java", "go-echo", "c-epoll", "socat")) {
            for (String transport : List.of("unix", "tcp")) {
                for (Workload workload : Workload.values()) {
                    assertThat(report.cells()).as("%s %s %s here", server, transport, workload.id())
                            .anyMatch(c -> c.runtime().equals(BenchReport.LOCAL) && c.server().equals(server)
                                    && c.transport().equals(transport) && c.workload().equals(workload.id()));
                }
                for (String workload : List.of("seed", "pingpong")) {
                    assertThat(report.cells()).as("%s %s %s between containers", server, transport, workload)
                            .anyMatch(c -> c.runtime().equals(BenchReport.CONTAINER) && c.server().equals(server)
                                    && c.transport().equals(transport) && c.workload().equals(workload));
                }
            }
        }
    }

    @Test
    void theReferenceRunServesAsABaselineForItself() throws Exception {
        BenchReport report = BenchJson.read(reference);
        BenchReport compared = Baseline.compare(report, report, reference);
        assertThat(compared.baseline().moved()).as("figures moved against themselves").isZero();
        assertThat(compared.cells()).allSatisfy(c -> assertThat(c.baseline()).isNotNull());
        assertThat(BenchJson.validate(BenchJson.toJson(compared))).as("schema errors").isEmpty();
    }
}
