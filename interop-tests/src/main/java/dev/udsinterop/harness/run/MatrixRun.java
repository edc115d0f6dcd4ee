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
import dev.udsinterop.harness.runtime.RuntimeKind;
import dev.udsinterop.harness.verdict.FailureKind;
import dev.udsinterop.harness.verdict.Status;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;

/**
 * Runs the entries of a matrix into a {@link RunRecord}, in the matrix's order; the local entries in a lane of their own
 * beside the container runtimes' when both are there. A case that fails
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

    /**
     * Runs {@code matrix} through {@code runner}, adding every result to {@code record} in the matrix's order. When
     * the runner runs the container runtimes and the matrix has entries of both kinds, the local entries run in a lane
     * of their own ({@link Runner#localLane}) beside the entries that need Docker: those wait on Docker most of their
     * time (a container's start, the docker CLI), which the local cases use. Each lane runs its entries in order,
     * one at a time.
     */
    void run(Matrix matrix, Runner runner, RunRecord record) throws InterruptedException {
        Progress progress = new Progress(console, matrix);
        List<MatrixEntry> entries = matrix.entries();
        List<Integer> docker = new ArrayList<>();
        List<Integer> local = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            RuntimeKind kind = RuntimeKind.of(entries.get(i).runtime());
            (kind != null && kind.needsDocker() ? docker : local).add(i);
        }
        List<Lane> lanes = runner.runsContainers() && !docker.isEmpty() && !local.isEmpty()
                ? List.of(new Lane(runner.localLane(), local), new Lane(runner, docker))
                : List.of(new Lane(runner, IntStream.range(0, entries.size()).boxed().toList()));
        CaseResult[] results = new CaseResult[entries.size()];
        boolean[] over = {false}; // the time limit was reached: the lanes' late results are not recorded
        AtomicInteger failures = new AtomicInteger();
        AtomicReference<RuntimeException> crash = new AtomicReference<>();
        List<Thread> workers = new ArrayList<>();
        for (Lane lane : lanes) {
            workers.add(Thread.ofPlatform().name("uds-interop-matrix-" + workers.size()).start(() -> {
                try {
                    for (int i : lane.entries()) {
                        if (Thread.currentThread().isInterrupted() || runner.stopped()
                                || (maxFailures > 0 && failures.get() >= maxFailures)) {
                            return;
                        }
                        MatrixEntry entry = entries.get(i);
                        progress.starting(entry);
                        CaseResult result = skips.apply(withRetries(lane.runner(), entry));
                        synchronized (results) {
                            if (over[0] || runner.stopped()) {
                                return; // cut short by the stop: not a verdict on the server
                            }
                            results[i] = result;
                        }
                        progress.finished(entry, result);
                        failures.addAndGet(result.status() == Status.FAILED ? 1 : 0);
                    }
                } catch (InterruptedException e) {
                    // the ceiling was reached
                } catch (RuntimeException e) {
                    crash.set(e); // a bug, not a verdict: thrown below, not hidden among "not run" results
                }
            }));
        }
        try {
            long deadline = System.nanoTime() + ceiling.toNanos();
            boolean ended = true;
            for (Thread worker : workers) {
                ended &= worker.join(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
            }
            if (!ended) {
                console.printf("uds-interop: the run's time limit of %s is reached: stopping%n", DurationOption.format(ceiling));
                workers.forEach(Thread::interrupt);
                runner.stop(); // cuts the cases under way short: their servers go, and no other starts
                long cut = System.nanoTime() + CUT_SHORT.toNanos();
                for (Thread worker : workers) {
                    if (!worker.join(Duration.ofNanos(Math.max(1, cut - System.nanoTime())))) {
                        console.printf("uds-interop: the case under way did not end within %s of the stop%n",
                                DurationOption.format(CUT_SHORT));
                        break;
                    }
                }
            }
        } finally {
            workers.forEach(Thread::interrupt);
        }
        if (crash.get() != null) {
            throw crash.get();
        }
        synchronized (results) {
            over[0] = true;
            record(entries, results, record, failures.get());
        }
    }

    /** The entries (their indexes in the matrix) that one runner runs in order. */
    private record Lane(Runner runner, List<Integer> entries) {
    }

    /**
     * Adds the results to {@code record} in the matrix's order; an entry without one was not run: after
     * {@code failures} reached the limit of unexpected failures, or because the time limit came first.
     */
    private void record(List<MatrixEntry> entries, CaseResult[] results, RunRecord record, int failures) {
        int missing = 0;
        for (CaseResult r : results) {
            missing += r == null ? 1 : 0;
        }
        boolean limited = maxFailures > 0 && failures >= maxFailures;
        if (limited && missing > 0) {
            console.printf("uds-interop: %d unexpected failures (--max-failures %d): the other %d case%s not run%n",
                    failures, maxFailures, missing, missing == 1 ? " is" : "s are");
        }
        String why = "not run: the run stopped after " + failures + " unexpected failures (--max-failures "
                + maxFailures + ")";
        for (int i = 0; i < results.length; i++) {
            MatrixEntry entry = entries.get(i);
            if (results[i] != null) {
                record.add(results[i]);
            } else if (limited) {
                record.add(new CaseResult(entry.server().id(), entry.client().id(), entry.transport().id(), entry.runtime(),
                        entry.testCase().id(), Status.NOT_RUN, 0, null, null,
                        Runner.failure(FailureKind.NOT_RUN, entry, why), null));
            } else {
                record.add(new CaseResult(entry.server().id(), entry.client().id(), entry.transport().id(),
                        entry.runtime(), entry.testCase().id(), Status.FAILED, 0, null, null,
                        Runner.failure(FailureKind.ERROR, entry, "not run: the run's time limit of "
                                + DurationOption.format(ceiling) + " was reached first"), null));
            }
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
