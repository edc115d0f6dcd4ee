// SPDX-License-Identifier: Apache-2.0
// MatrixRun: one pass over a matrix for the commands: each entry through the runner (with retries), progress, a time ceiling.
package dev.udsinterop.harness.run;

import dev.udsinterop.harness.cli.DurationOption;
import dev.udsinterop.harness.cli.OutputDirectory;
import dev.udsinterop.harness.matrix.Matrix;
import dev.udsinterop.harness.matrix.MatrixEntry;
import dev.udsinterop.harness.report.CaseResult;
import dev.udsinterop.harness.report.Report;
import dev.udsinterop.harness.report.ReportFiles;
import dev.udsinterop.harness.verdict.FailureKind;
import dev.udsinterop.harness.verdict.Status;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs the entries of a matrix in order into a {@link RunRecord}. A case that fails
 * unexpectedly runs again up to {@code retries} times; one that then passes is
 * {@link Status#FLAKY}, never a plain pass, and a retry that is skipped ends the retries
 * with the failure standing: a failure never turns into a skip. After {@code maxFailures}
 * unexpected failures (if not 0) the entries left are {@link Status#NOT_RUN}, with the
 * reason. The whole pass ends at {@code ceiling} however the cases' own deadlines are
 * scaled: the run is stopped ({@link Runner#stop}: its servers and containers go, none
 * starts any more), which cuts the case under way off, and every entry not run is a
 * failure saying so. A signal's stop is {@link RunShutdown}'s.
 */
final class MatrixRun {
    /** How long the case under way may take to end once the run was stopped at its time limit. */
    private static final Duration CUT_SHORT = Duration.ofSeconds(30);

    private final PrintStream console;
    private final int retries;
    private final int maxFailures;
    private final Duration ceiling;
    private final SkipPolicy skips;

    /** A pass with {@code retries} per failed case, stopping after {@code maxFailures} unexpected failures (0: never). */
    MatrixRun(PrintStream console, int retries, int maxFailures, Duration ceiling, SkipPolicy skips) {
        this.console = console;
        this.retries = retries;
        this.maxFailures = maxFailures;
        this.ceiling = ceiling;
        this.skips = skips;
    }

    /** Runs {@code matrix} through {@code runner}, adding every result to {@code record}. */
    void run(Matrix matrix, Runner runner, RunRecord record) throws InterruptedException {
        Progress progress = new Progress(console, matrix);
        List<MatrixEntry> entries = matrix.entries();
        int[] done = {0};
        boolean[] over = {false}; // the time limit was reached: the worker's late results are not recorded
        AtomicReference<RuntimeException> crash = new AtomicReference<>();
        Thread worker = Thread.ofPlatform().name("uds-interop-matrix").start(() -> {
            try {
                int failures = 0;
                for (MatrixEntry entry : entries) {
                    if (Thread.currentThread().isInterrupted() || runner.stopped()) {
                        return;
                    }
                    if (maxFailures > 0 && failures >= maxFailures) {
                        notRun(entries, done, record, failures);
                        return;
                    }
                    progress.starting(entry);
                    CaseResult result = skips.apply(withRetries(runner, entry));
                    synchronized (done) {
                        if (over[0] || runner.stopped()) {
                            return; // cut short by the stop: not a verdict on the server
                        }
                        record.add(result);
                        done[0]++;
                    }
                    progress.finished(entry, result);
                    failures += result.status() == Status.FAILED ? 1 : 0;
                }
            } catch (InterruptedException e) {
                // the ceiling was reached
            } catch (RuntimeException e) {
                crash.set(e); // a bug, not a verdict: thrown below, not hidden among "not run" results
            }
        });
        try {
            if (!worker.join(ceiling)) {
                console.printf("uds-interop: the run's time limit of %s is reached: stopping%n", DurationOption.format(ceiling));
                worker.interrupt();
                runner.stop(); // cuts the case under way short: its servers go, and no other starts
                if (!worker.join(CUT_SHORT)) {
                    console.printf("uds-interop: the case under way did not end within %s of the stop%n",
                            DurationOption.format(CUT_SHORT));
                }
            }
        } finally {
            worker.interrupt();
        }
        if (crash.get() != null) {
            throw crash.get();
        }
        synchronized (done) {
            over[0] = true;
            for (MatrixEntry entry : entries.subList(done[0], entries.size())) {
                record.add(new CaseResult(entry.server().id(), entry.client().id(), entry.transport().id(),
                        entry.runtime(), entry.testCase().id(), Status.FAILED, 0, null, null,
                        Runner.failure(FailureKind.ERROR, entry, "not run: the run's time limit of "
                                + DurationOption.format(ceiling) + " was reached first"), null));
            }
        }
    }

    /** Records every entry from {@code done[0]} on as not-run: {@code failures} reached the limit. */
    private void notRun(List<MatrixEntry> entries, int[] done, RunRecord record, int failures) {
        synchronized (done) {
            List<MatrixEntry> rest = entries.subList(done[0], entries.size());
            console.printf("uds-interop: %d unexpected failures (--max-failures %d): the other %d case%s not run%n",
                    failures, maxFailures, rest.size(), rest.size() == 1 ? " is" : "s are");
            String why = "not run: the run stopped after " + failures + " unexpected failures (--max-failures "
                    + maxFailures + ")";
            for (MatrixEntry entry : rest) {
                record.add(new CaseResult(entry.server().id(), entry.client().id(), entry.transport().id(), entry.runtime(),
                        entry.testCase().id(), Status.NOT_RUN, 0, null, null,
                        Runner.failure(FailureKind.NOT_RUN, entry, why), null));
            }
            done[0] = entries.size();
        }
    }

    /**
     * Writes report.json, report.html and junit.xml into {@code dir}, prints the matrix table,
     * the counts and the files ({@link RunSummary}), and returns the exit status: 0 when
     * nothing failed, 1 otherwise.
     */
    static int conclude(PrintStream console, Report report, OutputDirectory dir) throws IOException {
        List<Path> files = ReportFiles.writeAll(report, dir.path());
        RunSummary.print(console, report, files);
        return report.summary().isOk() ? HarnessCommand.OK : HarnessCommand.FAILED;
    }

    private CaseResult withRetries(Runner runner, MatrixEntry entry) throws InterruptedException {
        CaseResult result = runner.run(entry);
        long durationMs = result.durationMs();
        int attempts = 1;
        while (result.status() == Status.FAILED && result.expectedFailure() == null && attempts <= retries) {
            CaseResult again = runner.run(entry);
            attempts++;
            durationMs += again.durationMs();
            if (again.status() == Status.PASSED) {
                return result.afterAttempts(Status.FLAKY, attempts, durationMs);
            }
            if (again.status() != Status.FAILED) {
                break; // skipped: a run that says nothing about the server leaves its failure standing
            }
            result = again;
        }
        return attempts == 1 ? result : result.afterAttempts(result.status(), attempts, durationMs);
    }
}
