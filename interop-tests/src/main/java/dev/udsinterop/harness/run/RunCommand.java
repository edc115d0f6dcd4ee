// SPDX-License-Identifier: Apache-2.0
// RunCommand: `uds-interop run`, the main job: the conformance matrix with progress, a table, and the reports.
package dev.udsinterop.harness.run;

import dev.udsinterop.harness.ProjectLayout;
import dev.udsinterop.harness.cli.OutputDirectory;
import dev.udsinterop.harness.cli.UsageException;
import dev.udsinterop.harness.container.ContainerRuntimes;
import dev.udsinterop.harness.matrix.Breadth;
import dev.udsinterop.harness.matrix.Matrix;
import dev.udsinterop.harness.matrix.Selection;
import dev.udsinterop.harness.report.ReportFiles;
import dev.udsinterop.harness.runtime.RuntimeKind;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Runs the matrix of the bundled servers and clients and writes report.json, report.html and junit.xml. */
@Command(name = "run", sortOptions = false, usageHelpAutoWidth = true, abbreviateSynopsis = true,
        description = {
            "Runs the servers against the clients over every transport, for every case of fixtures/manifest.json "
                + "(which entries: see the selection below), and writes report.json, report.html and junit.xml.",
            "Servers: java, go-echo, go-seed, python, node, rust, c-epoll. Clients: go-interop, python-interop, "
                + "node-interop, rust-interop, nc, socat, java. Transports: unix, tcp, seqpacket, datagram, abstract (the "
                + "last three for java and go-echo; seqpacket and datagram for c-epoll too). "
                + "Runtimes: local, container, cross-server and cross-client (the last three need Docker; "
                + "the cross runtimes have no tcp). "
                + "Known failures (the seed server's bugs) are listed in fixtures/expected-failures.json.",
            "The Python and Node.js servers and clients need python3 and node on PATH: without them their cases "
                + "are skipped, named up front (an error under CI=true or --require-all; leave them out with --server or "
                + "--clients).",
            "Which entries (the selection): by default every server x client x transport pair in runtime local, and in "
                + "each other runtime a rotation of server / client pairs in which every server and every client runs "
                + "at least once (another rotation per runtime; the scenarios go with the pair of a server and java); "
                + "--full runs the whole product in every runtime. The console, report.json (coverage) and report.html say which selection "
                + "ran and what it left out.",
            ""},
        footerHeading = "%n",
        footer = "Exit status: 0 no unexpected result, 1 an unexpected failure (or an expected failure that passed), "
                + "2 bad usage, invalid fixtures, a missing build, or a selected server or client not installed "
                + "where every case must run (CI=true, --require-all); 143 or 130 when stopped by SIGTERM or SIGINT "
                + "(every server, container and client it started is stopped first; no report).")
final class RunCommand implements Callable<Integer> {
    /** A ceiling far above the run's few minutes, so that nothing can hang a CI job forever. */
    private static final java.time.Duration MAX_TIME = java.time.Duration.ofHours(2);

    @Option(names = "--out", paramLabel = "DIR", description = "Where to write the reports (default: reports/latest in the checkout).")
    private Path out;

    @Option(names = "--server", paramLabel = "GLOB", split = ",", description = "Only these servers (comma-separated globs).")
    private List<String> servers = new ArrayList<>();

    @Option(names = "--runtime", paramLabel = "NAME", split = ",",
            description = "Only these runtimes: local, container, cross (= cross-server and cross-client), "
                    + "cross-server, cross-client (default: all).")
    private List<String> runtimes = new ArrayList<>();

    @Option(names = "--full", description = "Run the whole product: every server x client x transport in every runtime "
            + "(default: every pair in local, a rotation of pairs with every server and every client in each other "
            + "runtime; see above).")
    private boolean full;

    @Option(names = "--require-docker", description = "Fail the container runtimes' entries when Docker is missing "
            + "instead of skipping them (the default when CI=true).")
    private boolean requireDocker;

    @Mixin
    private CaseOptions options = new CaseOptions();

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    private boolean help;

    @Override
    public Integer call() throws Exception {
        double timeoutScale = options.timeoutScale();
        int failureLimit = options.maxFailures();
        ProjectLayout layout = ProjectLayout.fromSystemProperty();
        List<RuntimeKind> where = RuntimeKind.select(Selection.split(runtimes));
        Conformance conformance = Conformance.bundled(layout, where);
        Selection selection = options.selection(servers);
        Matrix product = conformance.matrix().select(selection);
        PrintStream console = System.out;
        if (product.size() == 0) {
            throw new UsageException("no matrix entry matches " + selection + " (see --list)");
        }
        SelectedMatrix selected = SelectedMatrix.of(product, full ? Breadth.FULL : Breadth.DEFAULT);
        Matrix matrix = selected.matrix();
        if (options.list) {
            where.forEach(r -> console.println("# runtime " + r.id() + ": " + r.description()));
            console.println("# " + selected.coverage().sentence());
            matrix.entries().forEach(e -> console.println(e.displayName()));
            return HarnessCommand.OK;
        }
        SkipPolicy skips = SkipPolicy.of(options.requireAll);
        MissingPrograms.servers("run", matrix, skips, console);
        MissingPrograms.clients("run", matrix, skips, console);
        OutputDirectory dir = OutputDirectory.prepare("--out", out != null ? out : layout.home().resolve("reports/latest"),
                ReportFiles.FILE_NAMES.toArray(String[]::new));
        console.printf("uds-interop: %d cases (%d manifest cases; servers x clients x transports, scenarios once per "
                + "server and transport); reports to %s%n", matrix.size(), conformance.manifest().cases().size(), dir);
        console.println("uds-interop: " + selected.coverage().sentence());

        RunRecord record = new RunRecord();
        ContainerRuntimes containers = new ContainerRuntimes(layout, console,
                requireDocker || ContainerRuntimes.requiredByEnvironment());
        Runner runner = new Runner(conformance.expectedFailures(), record.timings(), timeoutScale, true, containers);
        RunShutdown shutdown = RunShutdown.install(runner, console); // until the runner has stopped everything
        try {
            new MatrixRun(console, 0, failureLimit, MAX_TIME, skips).run(matrix, runner, record);
        } finally {
            runner.close();
            shutdown.close();
        }
        int status = MatrixRun.conclude(console, record.report(layout.home()).withCoverage(selected.coverage()), dir);
        if (containers.skipReason() != null) {
            console.println("container runtimes skipped: Docker is not available: " + containers.skipReason());
        }
        return status;
    }
}
