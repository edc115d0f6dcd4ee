// SPDX-License-Identifier: Apache-2.0
// SoakCommand: uds-interop soak: the reliability scenarios against the Java server, with their figures in a report.
package dev.udsinterop.harness.run;

import dev.udsinterop.harness.ProjectLayout;
import dev.udsinterop.harness.cli.OutputDirectory;
import dev.udsinterop.harness.cli.UsageException;
import dev.udsinterop.harness.reliability.ReliabilitySuite;
import dev.udsinterop.harness.report.ReliabilityResult;
import dev.udsinterop.harness.report.Report;
import dev.udsinterop.harness.report.ReportFiles;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "soak", sortOptions = false, usageHelpAutoWidth = true,
        description = {
            "Runs the reliability scenarios against the Java server and writes report.json and report.html with "
                + "their figures (the report's reliability section): soak (200 clients for 60 s, payloads 0 to 300 KiB "
                + "in random chunks, every byte checked, peak RSS, fds and threads), 1000 idle connections, slow "
                + "readers, SIGTERM under load, kill -9 and restart 20 times, clients killed mid-stream.",
            "--quick runs each in seconds (the test suite runs that). Takes about 2 minutes in full.",
            ""},
        footer = {"", "Exit status: 0 every scenario passed, 1 one failed, 2 bad usage or a missing build."})
final class SoakCommand implements Callable<Integer> {
    @Option(names = "--quick", description = "Short variants (seconds each), as the test suite runs them.")
    private boolean quick;

    @Option(names = "--scenario", paramLabel = "NAME", split = ",",
            description = "Only these scenarios: soak, idle-connections, slow-readers, sigterm-under-load, kill-restart, killed-clients.")
    private List<String> scenarios;

    @Option(names = "--out", paramLabel = "DIR", description = "Where to write the reports (default: reports/soak in the checkout).")
    private Path out;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    private boolean help;

    @Override
    public Integer call() throws Exception {
        Set<String> selected = scenarios == null ? Set.copyOf(ReliabilitySuite.names()) : new HashSet<>(scenarios);
        selected.stream().filter(s -> !ReliabilitySuite.names().contains(s)).findFirst().ifPresent(s -> {
            throw new UsageException("--scenario " + s + ": want one of " + String.join(", ", ReliabilitySuite.names()));
        });
        ProjectLayout layout = ProjectLayout.fromSystemProperty();
        OutputDirectory dir = OutputDirectory.prepare("--out", out != null ? out : layout.home().resolve("reports/soak"),
                ReportFiles.FILE_NAMES.toArray(String[]::new));
        PrintStream console = System.out;
        RunRecord record = new RunRecord();
        List<ReliabilityResult> results = ReliabilitySuite.run(layout, quick, selected::contains, console::println);
        Report base = record.report(layout.home());
        Report report = new Report(base.schemaVersion(), base.runId(), base.startedAt(), Instant.now(), base.environment(),
                base.results(), base.timings(), base.summary(), base.manifestSha256(), results);
        List<Path> files = ReportFiles.writeAll(report, dir.path());
        long failed = results.stream().filter(r -> !r.passed()).count();
        console.printf("uds-interop soak: %d of %d scenarios passed; reports: %s%n", results.size() - failed, results.size(),
                files.stream().map(Path::toString).reduce((a, b) -> a + ", " + b).orElse(""));
        return failed == 0 ? HarnessCommand.OK : HarnessCommand.FAILED;
    }
}
