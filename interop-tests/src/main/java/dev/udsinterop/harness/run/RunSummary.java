// SPDX-License-Identifier: Apache-2.0
// RunSummary: how a run ends on the console: the matrix table, the summary line and the report files.
package dev.udsinterop.harness.run;

import dev.udsinterop.harness.report.Report;
import dev.udsinterop.harness.report.Summary;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * The end of {@code ./uds-interop run}, and of {@code ./uds-interop test}: the JUnit suite writes the same text
 * beside its reports ({@value #FILE_NAME}) and the entry script prints it after Maven is done.
 */
public final class RunSummary {

    /** The file the JUnit suite writes this text into, beside its reports. */
    public static final String FILE_NAME = "summary.txt";

    private RunSummary() {
    }

    /**
     * Prints the matrix table of {@code report}, one summary line and the paths of {@code files}, one a line.
     *
     * @param out where to print
     * @param report the run's report
     * @param files the report files written
     */
    public static void print(PrintStream out, Report report, List<Path> files) {
        out.println();
        MatrixTable.print(out, report.results());
        MatrixTable.printSkips(out, report.results());
        out.println();
        out.println(line(report));
        files.forEach(f -> out.println("  " + f));
        out.flush();
    }

    /** Returns e.g. {@code 441 passed, 0 failed, 87 expected failures, 0 skipped in 38.6 s}. */
    static String line(Report report) {
        Summary s = report.summary();
        return String.format(Locale.ROOT, "%d passed, %d failed, %d expected failures, %d skipped%s%s%s%s in %.1f s",
                s.passed(), s.failed(), s.expectedFailure(), s.skipped(),
                s.flaky() == 0 ? "" : ", " + s.flaky() + " flaky", s.warning() == 0 ? "" : ", " + s.warning() + " warnings",
                s.notRun() == 0 ? "" : ", " + s.notRun() + " not run",
                s.unsupported() == 0 ? "" : ", " + s.unsupported() + " unsupported",
                Duration.between(report.startedAt(), report.finishedAt()).toMillis() / 1000.0);
    }
}
