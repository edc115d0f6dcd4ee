// SPDX-License-Identifier: Apache-2.0
// MergeCommand: `uds-interop merge`: the reports of shards (check --shard I/N) combined into one report.
package dev.udsinterop.harness.run;

import com.fasterxml.jackson.databind.JsonNode;
import dev.udsinterop.harness.cli.OutputDirectory;
import dev.udsinterop.harness.cli.UsageException;
import dev.udsinterop.harness.json.Json;
import dev.udsinterop.harness.report.CaseResult;
import dev.udsinterop.harness.report.JsonReport;
import dev.udsinterop.harness.report.Report;
import dev.udsinterop.harness.report.ReportFiles;
import dev.udsinterop.harness.report.Summary;
import dev.udsinterop.harness.report.Timing;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.function.Function;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Combines shard reports into one report.json, report.html and junit.xml. It refuses
 * reports of different schema versions or manifests, and a result that two reports both
 * hold (overlapping shards, or the same file twice).
 */
@Command(name = "merge", sortOptions = false, usageHelpAutoWidth = true,
        customSynopsis = "uds-interop merge REPORT.json... --out DIR",
        description = {"Combines the report.json files of shards (./uds-interop check --shard I/N) into one "
                + "report.json, report.html and junit.xml, and prints the matrix.", ""},
        footerHeading = "%n",
        footer = "Exit status: 0 the merged report has no failure, 1 it has one, 2 bad usage, an unreadable report, "
                + "or reports of different schema versions or manifests.")
final class MergeCommand implements Callable<Integer> {
    @Parameters(paramLabel = "REPORT.json", arity = "1..*", description = "The shards' report.json files.")
    private List<Path> reports;

    @Option(names = "--out", paramLabel = "DIR", required = true, description = "Where to write the merged reports.")
    private Path out;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    private boolean help;

    @Override
    public Integer call() throws Exception {
        OutputDirectory dir = OutputDirectory.prepare("--out", out, ReportFiles.FILE_NAMES.toArray(String[]::new));
        List<Report> read = new ArrayList<>();
        for (Path file : reports) {
            read.add(read(file));
        }
        PrintStream console = System.out;
        Report merged = merge(reports, read, console);
        console.printf("uds-interop merge: %d reports, %d results%n", read.size(), merged.results().size());
        return MatrixRun.conclude(console, merged, dir);
    }

    private static Report read(Path file) {
        try {
            JsonNode version = Json.LENIENT.readTree(file.toFile()).path("schemaVersion");
            if (!version.isInt() || version.intValue() != Report.SCHEMA_VERSION) {
                throw new UsageException("merge " + file + ": schemaVersion " + version
                        + ", this uds-interop reads " + Report.SCHEMA_VERSION);
            }
            return JsonReport.read(file);
        } catch (IOException e) {
            throw new UsageException("merge " + file + ": " + e.getMessage());
        }
    }

    /**
     * Returns the reports as one. Timings are summaries (percentiles), which do not add up:
     * a series measured in one report only is kept, one measured in several is left out, and
     * {@code console} says so.
     */
    static Report merge(List<Path> files, List<Report> reports, PrintStream console) {
        Report first = reports.get(0);
        Map<String, Path> owner = new HashMap<>();
        List<CaseResult> results = new ArrayList<>();
        for (int i = 0; i < reports.size(); i++) {
            Report r = reports.get(i);
            if (r.manifestSha256() == null || !r.manifestSha256().equals(first.manifestSha256())) {
                throw new UsageException("merge " + files.get(i) + ": manifest " + r.manifestSha256()
                        + " differs from " + files.get(0) + "'s " + first.manifestSha256()
                        + ": reports of different manifests do not merge");
            }
            for (CaseResult result : r.results()) {
                Path other = owner.putIfAbsent(result.displayName(), files.get(i));
                if (other != null) {
                    throw new UsageException("merge " + files.get(i) + ": " + result.displayName()
                            + " is also in " + other + " (overlapping shards?)");
                }
                results.add(result);
            }
        }
        Function<Timing, String> series = t -> String.join(" / ", t.workload(), t.server(), t.client(), t.transport(), t.runtime());
        Map<String, List<Timing>> timings = reports.stream().flatMap(r -> r.timings().stream())
                .collect(Collectors.groupingBy(series));
        List<Timing> kept = timings.values().stream().filter(list -> list.size() == 1).map(list -> list.get(0))
                .sorted(Comparator.comparing(t -> t.server() + "\0" + t.client() + "\0" + t.transport() + "\0"
                        + t.runtime() + "\0" + t.workload()))
                .toList();
        if (kept.size() < timings.size()) {
            console.printf("uds-interop merge: %d timing series were measured in several reports and are left out "
                    + "(percentiles do not add up)%n", timings.size() - kept.size());
        }
        Instant started = reports.stream().map(Report::startedAt).min(Comparator.naturalOrder()).orElseThrow();
        Instant finished = reports.stream().map(Report::finishedAt).max(Comparator.naturalOrder()).orElseThrow();
        String runId = "merged-" + reports.stream().map(Report::runId).filter(Objects::nonNull).sorted().findFirst().orElseThrow();
        return new Report(Report.SCHEMA_VERSION, runId, started, finished, first.environment(), results, kept,
                Summary.of(results), first.manifestSha256());
    }
}
