// SPDX-License-Identifier: Apache-2.0
// CheckCommand: `uds-interop check`: the conformance cases against any echo server, given as a command template.
package dev.udsinterop.harness.run;

import dev.udsinterop.harness.ProjectLayout;
import dev.udsinterop.harness.cli.DurationOption;
import dev.udsinterop.harness.cli.OutputDirectory;
import dev.udsinterop.harness.cli.UsageException;
import dev.udsinterop.harness.container.ContainerRuntimes;
import dev.udsinterop.harness.fixture.InteropCase;
import dev.udsinterop.harness.fixture.Manifest;
import dev.udsinterop.harness.matrix.ExpectedFailures;
import dev.udsinterop.harness.matrix.Matrix;
import dev.udsinterop.harness.matrix.MatrixEntry;
import dev.udsinterop.harness.matrix.Selection;
import dev.udsinterop.harness.matrix.Shard;
import dev.udsinterop.harness.peer.Peers;
import dev.udsinterop.harness.report.MarkdownSummary;
import dev.udsinterop.harness.report.Report;
import dev.udsinterop.harness.report.ReportFiles;
import dev.udsinterop.harness.runtime.RuntimeKind;
import dev.udsinterop.harness.server.LocalRuntime;
import dev.udsinterop.harness.server.ServerException;
import dev.udsinterop.harness.server.ServerSpec;
import dev.udsinterop.harness.server.WrongPathException;
import dev.udsinterop.harness.transport.Transport;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Runs every applicable case with every client against the server of {@code --server-cmd}. */
@Command(name = "check", sortOptions = false, usageHelpAutoWidth = true,
        customSynopsis = "uds-interop check (--server-cmd 'CMD' | --server-image IMAGE) [OPTIONS]",
        description = {
            "Checks any echo server against the conformance cases of fixtures/manifest.json, with every client "
                + "(go-interop, python-interop, node-interop, rust-interop, nc, socat, java), and writes report.json, "
                + "report.html and junit.xml.",
            "The command is split into words without a shell. {unix} becomes a fresh socket path in a private "
                + "temporary directory, {port} a free TCP port on 127.0.0.1; {seqpacket} and {datagram} paths for a "
                + "SOCK_SEQPACKET and a SOCK_DGRAM socket, {abstract} a fresh abstract name (@name; another at each "
                + "place it appears); only the transports whose placeholder appears are tested. The server is ready "
                + "when it prints 'listening unix:PATH' / 'listening tcp:HOST:PORT' (seqpacket:ADDR, datagram:ADDR, "
                + "unix:@name), or else when its socket file or port accepts. It is stopped with SIGTERM.",
            "Example: ./uds-interop check --server-cmd 'socat UNIX-LISTEN:{unix},fork,unlink-early,unlink-close EXEC:cat'",
            ""},
        footerHeading = "%n",
        footer = {"Cases with level 'should' in the manifest (a regular file or a live server at the path must be "
                + "refused) are warnings when they fail, unless --strict.",
            "Exit status: 0 every required case passed, 1 a case failed (or a known failure passed), 2 bad usage, "
                + "or the server never started (its stderr is shown); 143 or 130 when stopped by SIGTERM or SIGINT "
                + "(every server, container and client it started is stopped first; no report)."})
final class CheckCommand implements Callable<Integer> {
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(30);

    @Option(names = "--server-cmd", paramLabel = "CMD", description = "The command that starts the server, with {unix} and/or {port} (and {seqpacket}, {datagram}, "
            + "{abstract}).")
    private String serverCommand;

    @Option(names = "--server-image", paramLabel = "IMAGE",
            description = "Check a server shipped as a container image, in the container runtime (needs Docker): its "
                    + "ENTRYPOINT gets the arguments of --server-cmd (default: --unix {unix} --tcp 0.0.0.0:{port}); "
                    + "{unix} is a path under /sock, a named volume the client containers (uid 10001) mount too, "
                    + "{port} is 7000 on a network where clients dial the server's alias. Stopped with docker stop "
                    + "(SIGTERM).")
    private String serverImage;

    @Option(names = "--name", paramLabel = "NAME", description = "The server's name in the reports (default: the program's file name).")
    private String name;

    @Option(names = "--server-unsupported", paramLabel = "FEATURE", split = ",",
            description = "What the server declares it cannot do: seqpacket, datagram, abstract or fdpass, on every "
                    + "transport, or on one as FEATURE@TRANSPORT (fdpass@seqpacket). The cases that need it are "
                    + "unsupported: never a pass, never a failure, counted apart (not a failure under CI=true), and the "
                    + "capability table says so.")
    private List<String> serverUnsupported = new ArrayList<>();

    @Option(names = "--out", paramLabel = "DIR", description = "Where to write the reports (default: reports/check in the checkout).")
    private Path out;

    @Mixin
    private CaseOptions options = new CaseOptions();

    @Option(names = "--known-failures", paramLabel = "FILE",
            description = "Known failures (the format of fixtures/expected-failures.json; server is optional): a matching "
                    + "failure is expected-failure, a matching pass fails the run.")
    private Path knownFailures;

    @Option(names = "--retries", paramLabel = "N", defaultValue = "0",
            description = "Run a failed case up to N more times; one that then passes is reported as flaky (default: ${DEFAULT-VALUE}).")
    private int retries;

    @Option(names = "--max-time", paramLabel = "DURATION", defaultValue = "60m", converter = DurationOption.class,
            description = "Hard ceiling on the whole run, whatever --timeout-scale says: cases not run by then fail "
                    + "(default: ${DEFAULT-VALUE}).")
    private Duration maxTime;

    @Option(names = "--shard", paramLabel = "I/N", description = "Run only slice I of N (deterministic, balanced); "
            + "combine the reports with ./uds-interop merge.")
    private String shard;

    @Option(names = "--strict", description = "Fail the run on a failed 'should' case too.")
    private boolean strict;

    @Option(names = "--summary-md", paramLabel = "FILE",
            description = "Also write a short Markdown summary to FILE: the verdict, the counts, the matrix per server, "
                    + "client and transport, and the results that need a look (for a CI page, e.g. $GITHUB_STEP_SUMMARY).")
    private Path summaryMd;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    private boolean help;

    @Override
    public Integer call() throws Exception {
        if (serverCommand == null && serverImage == null) {
            throw new UsageException("check: give --server-cmd 'CMD', the command that starts your server, "
                    + "with {unix} and/or {port}, or --server-image IMAGE (see --help)");
        }
        if (retries < 0) {
            throw new UsageException("check: --retries " + retries + ": want 0 or more");
        }
        double timeoutScale = options.timeoutScale();
        int failureLimit = options.maxFailures();
        String[] declared = declarations(serverUnsupported);
        ServerSpec spec = (serverImage != null ? imageSpec() : ServerSpec.command(serverCommand)).unsupporting(declared);
        if (name != null) {
            spec = spec.named(name);
        }
        if (spec.transports().isEmpty()) {
            throw new UsageException("check: --server-cmd '" + serverCommand + "' has none of {unix}, {port}, {seqpacket}, "
                    + "{datagram}, {abstract}, "
                    + "so the harness cannot tell where the server listens");
        }
        ProjectLayout layout = ProjectLayout.fromSystemProperty();
        Manifest manifest = Manifest.load(layout.manifest());
        manifest.verifyPayloads();
        Selection selection = options.selection(List.of());
        String runtime = serverImage != null ? RuntimeKind.CONTAINER.id() : Conformance.LOCAL;
        Matrix matrix = Matrix.product(List.of(spec), List.of(runtime), List.of(Transport.values()),
                Peers.bundled(layout, manifest), manifest.cases()).select(selection);
        if (matrix.size() == 0) {
            throw new UsageException("check: no case matches " + selection + " for a server on "
                    + spec.transports() + " (see --list)");
        }
        if (shard != null) {
            matrix = Shard.parse(shard).of(matrix);
        }
        PrintStream console = System.out;
        if (options.list) {
            matrix.entries().forEach(e -> console.println(e.displayName()));
            return HarnessCommand.OK;
        }
        SkipPolicy skips = SkipPolicy.of(options.requireAll);
        MissingPrograms.clients("check", matrix, skips, console);
        if (summaryMd != null && summaryMd.toAbsolutePath().getParent() != null) {
            Files.createDirectories(summaryMd.toAbsolutePath().getParent());
        }
        ExpectedFailures known = knownFailures == null ? ExpectedFailures.NONE : ExpectedFailures.load(knownFailures);
        OutputDirectory dir = OutputDirectory.prepare("--out", out != null ? out : layout.home().resolve("reports/check"),
                ReportFiles.FILE_NAMES.toArray(String[]::new));
        Duration ready = Duration.ofMillis(Math.round(READY_TIMEOUT.toMillis() * timeoutScale));
        RunRecord record = new RunRecord();
        ContainerRuntimes containers = serverImage == null ? null : new ContainerRuntimes(layout, console, true);
        Runner runner = new Runner(known, record.timings(), timeoutScale, strict, containers);
        RunShutdown shutdown = RunShutdown.install(runner, console); // until the runner has stopped everything
        try {
            if (serverImage == null) {
                preflight(runner.servers(), spec, matrix, ready);
            }
            console.printf("uds-interop check: %d cases against %s (%s)%s%s; reports to %s%n", matrix.size(), spec.id(),
                    String.join(" ", serverImage == null ? spec.command() : spec.image().arguments()),
                    declared.length == 0 ? "" : ", which declares " + String.join(",", spec.unsupported()) + " unsupported",
                    shard == null ? "" : ", shard " + shard, dir);
            new MatrixRun(console, retries, failureLimit, maxTime, skips).run(matrix, runner, record);
        } finally {
            runner.close();
            shutdown.close();
        }
        Report report = record.report(layout.home());
        int status = MatrixRun.conclude(console, report, dir);
        if (summaryMd != null) {
            Files.writeString(summaryMd, MarkdownSummary.of(report));
            console.println("  " + summaryMd);
        }
        return status;
    }

    /**
     * Returns the values of --server-unsupported, each a feature of the capability table, alone (every transport) or
     * as {@code feature@transport}.
     *
     * @throws UsageException naming the first value that is neither
     */
    private static String[] declarations(List<String> values) {
        for (String value : values) {
            if (!ServerSpec.isDeclaration(value)) {
                throw new UsageException("check: --server-unsupported '" + value + "': want a feature ("
                        + String.join(", ", InteropCase.FEATURES) + "), alone or as FEATURE@TRANSPORT ("
                        + Arrays.stream(Transport.values()).map(Transport::id).collect(Collectors.joining(", ")) + ")");
            }
        }
        return values.toArray(String[]::new);
    }

    /** The server of --server-image: the image, with --server-cmd's words (or the bundled servers' options) as arguments. */
    private ServerSpec imageSpec() {
        List<String> arguments = serverCommand != null ? ServerSpec.command(serverCommand).command()
                : ServerSpec.Image.LISTEN;
        String id = serverImage.replaceFirst("^.*/", "").replaceFirst("[:@].*$", "");
        return new ServerSpec(id, "image " + serverImage, List.of(), false,
                new ServerSpec.Image(serverImage, false, List.of(), arguments));
    }

    /**
     * Starts the server once on each transport the matrix uses, so that a server that never
     * comes up is one clear error (exit 2, its stderr) rather than a column of failed cases.
     */
    private static void preflight(LocalRuntime servers, ServerSpec spec, Matrix matrix, Duration timeout) {
        Set<Transport> used = EnumSet.noneOf(Transport.class);
        matrix.entries().stream().map(MatrixEntry::transport).forEach(used::add);
        for (Transport transport : used) {
            try {
                servers.remove(servers.start(spec, transport, timeout));
            } catch (WrongPathException e) {
                // it started, elsewhere: every case says so (wrong-path), which is clearer than no report at all
            } catch (ServerException e) {
                throw new ServerException("check: the server did not start on " + transport + ": " + e.getMessage());
            }
        }
    }
}
