// SPDX-License-Identifier: Apache-2.0
// RunSummaryTest: run and test end with the same text: the matrix table, the counts and the report files.
package dev.udsinterop.harness.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.udsinterop.harness.report.CaseResult;
import dev.udsinterop.harness.report.Environment;
import dev.udsinterop.harness.report.Report;
import dev.udsinterop.harness.report.Summary;
import dev.udsinterop.harness.verdict.Failure;
import dev.udsinterop.harness.verdict.Status;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class RunSummaryTest {

    private static CaseResult result(String server, String caseId, Status status) {
        Failure failure = status == Status.PASSED ? null : Failure.of("read nc: timed out");
        return new CaseResult(server, "nc", "unix", "local", caseId, status, 5, null, null, failure,
                status == Status.EXPECTED_FAILURE ? "a known bug" : null);
    }

    @Test
    void printsTheTableTheCountsAndTheFiles() {
        List<CaseResult> results = List.of(result("java", "echo.a", Status.PASSED), result("java", "echo.b", Status.PASSED),
                result("seed", "echo.a", Status.PASSED), result("seed", "echo.b", Status.EXPECTED_FAILURE),
                result("seed", "echo.c", Status.FAILED));
        Instant start = Instant.parse("2026-01-01T00:00:00Z");
        Environment env = new Environment("Linux", "6.1", "amd64", "cpu", 2, "25", "go1.19", "nc", "socat", "abc");
        Report report = new Report(Report.SCHEMA_VERSION, "run", start, start.plusMillis(12_345), env, results,
                List.of(), Summary.of(results));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        RunSummary.print(new PrintStream(bytes, true, StandardCharsets.UTF_8), report,
                List.of(Path.of("/r/report.json"), Path.of("/r/junit.xml")));
        assertThat(bytes.toString(StandardCharsets.UTF_8)).isEqualTo("""

                server / transport / runtime  nc
                java / unix / local           2/2
                seed / unix / local           1/3 1xf 1FAIL

                3 passed, 1 failed, 1 expected failures, 0 skipped in 12.3 s
                  /r/report.json
                  /r/junit.xml
                """);
    }
}
