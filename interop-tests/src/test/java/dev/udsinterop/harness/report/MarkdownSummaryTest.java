// SPDX-License-Identifier: Apache-2.0
// MarkdownSummaryTest: check --summary-md's text: the verdict and counts, one matrix row per combination, the results to look at.
package dev.udsinterop.harness.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.udsinterop.harness.verdict.Failure;
import dev.udsinterop.harness.verdict.Status;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class MarkdownSummaryTest {

    @Test
    void aFailingReportSaysSoCountsEveryStatusAndListsTheFailuresFirst() {
        Report report = SampleReport.build();
        String md = MarkdownSummary.of(report);
        Summary s = report.summary();
        assertThat(md).startsWith("## uds-interop: FAILED (" + s.failed() + " failed of " + s.total() + ")\n");
        assertThat(md).contains("| " + s.total() + " | " + s.passed() + " | " + s.failed() + " | "
                + s.expectedFailure() + " | " + s.flaky() + " | " + s.warning() + " | " + s.skipped() + " | " + s.notRun() + " | "
                + s.unsupported() + " |");
        long rows = report.results().stream().map(r -> r.server() + r.client() + r.transport() + r.runtime()).distinct().count();
        assertThat(md.lines().filter(l -> l.matches("\\| \\S+ \\| \\S+ \\| (unix|tcp) \\| local \\|.*"))).hasSize((int) rows);
        String needs = md.substring(md.indexOf("### Needs a look"));
        assertThat(needs.lines().skip(4).findFirst().orElseThrow()).startsWith("| failed | `");
        // A message with markup stays in its cell, on its row.
        assertThat(needs.lines().filter(l -> l.contains("<script>"))).isNotEmpty()
                .allSatisfy(l -> assertThat(l).startsWith("| failed | `").endsWith(" |"));
    }

    @Test
    void aPassingReportHasNoListAndManyResultsAreCappedWithACount() {
        assertThat(MarkdownSummary.of(SampleReport.of(List.of(result(Status.PASSED, "echo.empty")))))
                .startsWith("## uds-interop: passed (0 failed of 1)").doesNotContain("Needs a look");

        List<CaseResult> failures = new ArrayList<>();
        for (int i = 0; i < MarkdownSummary.LISTED + 7; i++) {
            failures.add(result(Status.FAILED, "echo.case" + i));
        }
        String md = MarkdownSummary.of(SampleReport.of(failures));
        assertThat(md.lines().filter(l -> l.startsWith("| failed | `"))).hasSize(MarkdownSummary.LISTED);
        assertThat(md).contains("... and 7 more: see report.html");
    }

    @Test
    void theCountsHaveAnUnsupportedColumnSoTheyAddUpToTheTotal() {
        String md = MarkdownSummary.of(SampleReport.of(List.of(result(Status.PASSED, "echo.empty"),
                result(Status.UNSUPPORTED, "seqpacket.size.1"), result(Status.UNSUPPORTED, "fdpass.stream.one"))));
        assertThat(md).startsWith("## uds-interop: passed (0 failed of 3)")
                .contains("| total | passed | failed | expected failure | flaky | warning | skipped | not run | unsupported |\n"
                        + "|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n"
                        + "| 3 | 1 | 0 | 0 | 0 | 0 | 0 | 0 | 2 |\n")
                .doesNotContain("Needs a look"); // a declared capability is neither a failure nor a skip to chase
    }

    @Test
    void aCellIsOneLineWithItsPipesEscaped() {
        assertThat(MarkdownSummary.cell("a | b\nsecond line")).isEqualTo("a \\| b");
        assertThat(MarkdownSummary.cell("x".repeat(400))).hasSize(300).endsWith("...");
    }

    private static CaseResult result(Status status, String caseId) {
        return new CaseResult("java", "nc", "unix", "local", caseId, status, 1, null, null,
                status == Status.PASSED ? null : Failure.of("read nc unix:/x: connection reset"), null);
    }
}
