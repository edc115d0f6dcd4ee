// SPDX-License-Identifier: Apache-2.0
// BenchCommand: `uds-interop bench`, the timing report users publish: servers side by side, bench.json and bench.html.
package dev.udsinterop.harness.bench;

import dev.udsinterop.harness.ProjectLayout;
import dev.udsinterop.harness.bench.BenchReport.Machine;
import dev.udsinterop.harness.bench.BenchReport.Method;
import dev.udsinterop.harness.cli.OutputDirectory;
import dev.udsinterop.harness.container.Docker;
import dev.udsinterop.harness.report.EnvironmentProbe;
import dev.udsinterop.harness.server.BundledServers;
import dev.udsinterop.harness.server.ServerSpec;
import dev.udsinterop.harness.transport.Transport;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Measures every server x workload x transport with the one load generator, and writes bench.json and bench.html. */
@Command(name = "bench", sortOptions = false, usageHelpAutoWidth = true, abbreviateSynopsis = true,
        description = {
            "Measures the echo servers side by side with one load generator (go-reference/cmd/loadgen): servers "
                + "java, go-echo, c-epoll, python, node, rust, socat (and any --server-cmd); workloads seed, pingpong, stream, fanin, "
                + "idle; over unix and tcp; on this machine and, when Docker answers, between two containers (seed "
                + "and pingpong only: a unix socket in a shared volume vs tcp over a docker network). Servers are "
                + "interleaved round by round, the order rotated each round; warm-up rounds are discarded; every "
                + "figure is the median over the measured rounds with min and max, and ratios are taken within each "
                + "round. Progress per round, a table at the end, bench.json and bench.html in --out.",
            ""},
        footerHeading = "%n",
        footer = "A benchmark never fails on a time. Exit status: 0 every measurement was made, 1 one failed "
                + "(a wrong echo, a server that died), 2 bad usage, a missing build, an unreadable --baseline or "
                + "--runtime container without Docker, 130 interrupted (Ctrl-C: every server and container is "
                + "removed, no report is written).")
public final class BenchCommand implements Callable<Integer> {
    private static final List<String> BUNDLED = List.of("java", "go-echo", "c-epoll", "python", "node", "rust", "socat");
    private static final List<String> RUNTIMES = List.of(BenchReport.LOCAL, BenchReport.CONTAINER);
    /** 128 + SIGINT, as a shell reports a command that Ctrl-C ended. */
    private static final int INTERRUPTED = 130;

    @Option(names = "--out", paramLabel = "DIR", description = "Where to write bench.json and bench.html (default: reports/bench in the checkout).")
    private Path out;

    @Option(names = "--quick", description = "Smaller and fewer: 1 warm-up + 2 rounds, 0.25 s per measurement (under a minute).")
    private boolean quick;

    @Option(names = {"--server", "--servers"}, paramLabel = "ID", split = ",", description = "Only these of java, go-echo, c-epoll, python, node, rust, socat (default: all).")
    private List<String> servers = new ArrayList<>(BUNDLED);

    @Option(names = "--server-cmd", paramLabel = "CMD", description = "Also measure this server: a command with {unix} and/or {port}, "
            + "split on spaces without a shell (repeatable), e.g. 'socat UNIX-LISTEN:{unix},fork EXEC:cat'.")
    private List<String> serverCommands = new ArrayList<>();

    @Option(names = {"--workload", "--workloads"}, paramLabel = "NAME", split = ",", description = "Only these of seed, pingpong, stream, fanin, idle.")
    private List<String> workloads = new ArrayList<>();

    @Option(names = {"--transport", "--transports"}, paramLabel = "NAME", split = ",", description = "These of unix, tcp "
            + "(the default), seqpacket, datagram. Seqpacket (seed, pingpong, fanin) and datagram (pingpong, fanin) "
            + "round trips: java, go-echo and c-epoll, on this machine only.")
    private List<String> transports = new ArrayList<>(List.of("unix", "tcp"));

    @Option(names = "--runtime", paramLabel = "NAME", split = ",",
            description = "Where the servers run: local (processes here), container (each server in a container, "
                    + "loadgen in another; seed and pingpong only). Default: both when Docker answers, else local "
                    + "with the container rows shown as skipped.")
    private List<String> runtime;

    @Option(names = "--rounds", paramLabel = "N", description = "Measured rounds (default 5; quick 2).")
    private Integer rounds;

    @Option(names = "--warmup", paramLabel = "N", description = "Warm-up rounds, run first and discarded (default 1).")
    private Integer warmup;

    @Option(names = "--baseline", paramLabel = "OLD.json", description = "An earlier bench.json: mark each figure that moved by more than the spread the two runs measured.")
    private Path baseline;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    private boolean help;

    /** Says why Docker cannot be used here (null: it answers); asked at most once per run. */
    private final Supplier<String> docker;

    public BenchCommand() {
        this(Docker::unavailable);
    }

    /** With {@code docker} in place of asking the engine (for tests of a machine without Docker). */
    BenchCommand(Supplier<String> docker) {
        this.docker = docker;
    }

    @Override
    public Integer call() throws IOException {
        int measuredRounds = rounds != null ? rounds : quick ? 2 : 5;
        int warmupRounds = warmup != null ? warmup : 1;
        if (measuredRounds < 1 || warmupRounds < 0) {
            throw new IllegalArgumentException("--rounds " + measuredRounds + " --warmup " + warmupRounds
                    + ": want at least 1 measured round and no negative warm-up");
        }
        ProjectLayout layout = ProjectLayout.fromSystemProperty();
        List<String> selectedRuntimes = runtime == null ? RUNTIMES : runtime.stream().distinct().toList();
        selectedRuntimes.forEach(r -> {
            if (!RUNTIMES.contains(r)) {
                throw new IllegalArgumentException("--runtime " + r + ": unknown runtime (want local, container)");
            }
        });
        boolean onlyContainers = !selectedRuntimes.contains(BenchReport.LOCAL);
        List<Workload> selectedWorkloads = workloads.isEmpty()
                ? Stream.of(Workload.values()).filter(w -> !onlyContainers || w.inContainers()).toList()
                : workloads.stream().map(Workload::of).distinct().toList();
        if (runtime != null && selectedRuntimes.contains(BenchReport.CONTAINER)) {
            List<String> notThere = selectedWorkloads.stream().filter(w -> !w.inContainers()).map(Workload::id).toList();
            if (onlyContainers ? !notThere.isEmpty() : notThere.size() == selectedWorkloads.size()) {
                throw new IllegalArgumentException("--workloads " + String.join(",", notThere) + ": not measured "
                        + "in containers (the container rows are seed and pingpong; stream, fanin and idle run with "
                        + "--runtime local)");
            }
        }
        List<Transport> selectedTransports = transports.stream().map(Transport::of).distinct().toList();
        if (selectedTransports.contains(Transport.ABSTRACT)) {
            throw new IllegalArgumentException("--transports abstract: not measured (want unix, tcp, seqpacket, datagram)");
        }
        List<ServerSpec> selectedServers = servers(layout);
        if (selectedTransports.stream().anyMatch(t -> !t.isStream())) {
            selectedServers = withMessageSockets(selectedServers);
        }
        BenchReport old = null;
        if (baseline != null) {
            try {
                old = BenchJson.read(baseline);
            } catch (IOException e) {
                throw new IllegalArgumentException("--baseline: " + e.getMessage());
            }
        }
        boolean containerRows = selectedRuntimes.contains(BenchReport.CONTAINER)
                && selectedWorkloads.stream().anyMatch(Workload::inContainers);
        String noDocker = containerRows ? docker.get() : null;
        if (noDocker != null && runtime != null) {
            throw new IllegalArgumentException("--runtime container: Docker is not available: " + noDocker);
        }
        Loadgen loadgen = new Loadgen(ProjectLayout.require(layout.goBinary("loadgen")), quick);
        OutputDirectory dir = OutputDirectory.prepare("--out", out != null ? out : layout.home().resolve("reports/bench"),
                BenchJson.FILE_NAME, BenchHtml.FILE_NAME);
        PrintStream console = System.out;
        console.printf("uds-interop bench: %d servers x %d workloads x %d transports in %s, %d warm-up + %d measured "
                + "rounds%s; reports to %s%n", BenchRun.ids(selectedServers).size(), selectedWorkloads.size(), selectedTransports.size(),
                String.join(" and ", selectedRuntimes), warmupRounds, measuredRounds, quick ? " (quick)" : "", dir);

        Instant started = Instant.now();
        String loadAtStart = loadAverage();
        List<String> measuredRuntimes = selectedRuntimes.stream()
                .filter(r -> r.equals(BenchReport.LOCAL) || (containerRows && noDocker == null)).toList();
        BenchRun run = new BenchRun(selectedServers, selectedWorkloads, selectedTransports, measuredRuntimes,
                () -> BenchContainers.open(layout, quick, console), warmupRounds, measuredRounds, loadgen, console);
        if (noDocker != null) {
            run.skipContainers("Docker is not available: " + noDocker);
        }
        Thread cleanup = new Thread(run::close, "uds-interop-bench-cleanup"); // Ctrl-C: leave no server behind
        Runtime.getRuntime().addShutdownHook(cleanup);
        boolean completed;
        try {
            completed = run.run();
        } finally {
            run.close();
            try {
                Runtime.getRuntime().removeShutdownHook(cleanup);
            } catch (IllegalStateException e) {
                // the JVM is shutting down (Ctrl-C): the hook is running
            }
        }
        if (!completed) {
            console.println("interrupted: servers and containers stopped, no report written");
            return INTERRUPTED;
        }
        Machine machine = new Machine(EnvironmentProbe.probe(layout.home()),
                EnvironmentProbe.firstLine(List.of("cc", "--version")), loadAtStart, loadAverage());
        BenchReport report = report(run, started, machine, measuredRuntimes, selectedServers, selectedWorkloads,
                selectedTransports, warmupRounds, measuredRounds);
        if (old != null) {
            report = Baseline.compare(report, old, baseline);
        }
        Path json = dir.resolve(BenchJson.FILE_NAME);
        Path html = dir.resolve(BenchHtml.FILE_NAME);
        BenchJson.write(report, json);
        BenchHtml.write(report, html);
        console.println();
        BenchTable.print(console, report);
        long failed = report.measurements().stream().filter(m -> m.error() != null).count();
        console.printf("%n%d measurements (%d failed) in %.1f s; machine load %s -> %s%n", report.measurements().size(),
                failed, (report.finishedAt().toEpochMilli() - started.toEpochMilli()) / 1000.0, loadAtStart,
                machine.loadAverageAtEnd());
        var env = machine.environment();
        console.printf("machine: %s x %d, %s %s, JDK %s, %s, %s%n", env.cpuModel(), env.cpuCount(), env.os(),
                env.kernel(), env.jdk(), env.go(), machine.gcc());
        if (report.baseline() != null) {
            console.printf("baseline %s: %d figures moved by more than the spread%n", baseline, report.baseline().moved());
        }
        console.println("  " + json);
        console.println("  " + html);
        return failed == 0 ? 0 : 1;
    }

    private List<ServerSpec> servers(ProjectLayout layout) {
        for (String id : servers) {
            if (!BUNDLED.contains(id)) {
                throw new IllegalArgumentException("--servers " + id + ": unknown server (want java, go-echo, c-epoll, python, node, rust, socat; "
                        + "others with --server-cmd)");
            }
        }
        List<ServerSpec> selected = new ArrayList<>(BundledServers.benchmarked(layout).stream()
                .filter(s -> servers.contains(s.id())).toList());
        for (String command : serverCommands) {
            String program = ServerSpec.command(command).id();
            String id = program;
            for (int n = 2; taken(selected, id); n++) {
                id = program + "-" + n;
            }
            selected.add(ofCommand(id, command));
        }
        if (selected.isEmpty()) {
            throw new IllegalArgumentException("no server selected");
        }
        return selected;
    }

    /**
     * Returns {@code servers} with, after each bundled server that serves seqpacket and datagram sockets (go-echo,
     * c-epoll, and java on Java 22+, which it runs on this JVM), a spec of its own for them under the same id: the participant
     * is started once per transport, and its first spec that names the transport's placeholder is used.
     */
    private static List<ServerSpec> withMessageSockets(List<ServerSpec> servers) {
        List<ServerSpec> all = new ArrayList<>();
        for (ServerSpec spec : servers) {
            all.add(spec);
            boolean serves = spec.id().equals("go-echo") || spec.id().equals("c-epoll")
                    || (spec.id().equals("java") && Runtime.version().feature() >= 22);
            if (serves && !spec.transports().contains(Transport.SEQPACKET)) {
                all.add(spec.withArguments(List.of("--seqpacket", ServerSpec.SEQPACKET, "--datagram", ServerSpec.DATAGRAM)));
            }
        }
        return all;
    }

    /**
     * Returns a server given as {@code --server-cmd}, split as {@code check} splits it ({@link ServerSpec#command}),
     * named {@code id}; it runs on this machine only, on the transports its placeholders name.
     *
     * @throws IllegalArgumentException if the command cannot be split or has no placeholder
     */
    static ServerSpec ofCommand(String id, String command) {
        ServerSpec spec = ServerSpec.command(command);
        if (spec.transports().isEmpty()) {
            throw new IllegalArgumentException("--server-cmd '" + command + "': want a command with "
                    + ServerSpec.UNIX + " and/or " + ServerSpec.PORT);
        }
        return spec.named(id);
    }

    private static boolean taken(List<ServerSpec> servers, String id) {
        return servers.stream().anyMatch(x -> x.id().equals(id));
    }

    private static BenchReport report(BenchRun run, Instant started, Machine machine, List<String> runtimes,
            List<ServerSpec> servers, List<Workload> workloads, List<Transport> transports, int warmupRounds,
            int measuredRounds) {
        Summaries summaries = new Summaries(run.measurements, runtimes, BenchRun.ids(servers),
                workloads, transports.stream().map(Transport::id).toList());
        var cells = summaries.cells();
        var serverRatios = summaries.serverRatios();
        var transportRatios = summaries.transportRatios();
        Map<String, Map<String, List<String>>> arguments = new LinkedHashMap<>();
        for (String rt : runtimes) {
            Map<String, List<String>> perWorkload = new LinkedHashMap<>();
            workloads.stream().filter(w -> rt.equals(BenchReport.LOCAL) || w.inContainers())
                    .forEach(w -> perWorkload.put(w.id(), w.loadgenArguments(run.quick(), rt)));
            arguments.put(rt, perWorkload);
        }
        String note = "Servers run side by side, interleaved round by round with the order rotated each round; the first "
                + warmupRounds + " round(s) are warm-up and left out of every summary; figures are medians over "
                + "the measured rounds with min and max; ratios are taken within each round, then summarised."
                + (measuredRounds > BenchRun.TIME_BOUND_ROUNDS && warmupRounds > 0 ? " A figure whose warm-up "
                + "measurement ran into loadgen's time bound (a server slower than the workload's count in that time) "
                + "is measured in the first " + BenchRun.TIME_BOUND_ROUNDS + " rounds only, so that the run stays "
                + "under 10 minutes; each cell says its rounds." : "");
        if (runtimes.contains(BenchReport.CONTAINER)) {
            note += " Container rows (seed and pingpong only): each server in its own container, loadgen in another "
                    + "(docker exec per measurement, outside the figures), over a unix socket in a shared named volume "
                    + "and over tcp on a user-defined docker network (the server's address, no DNS per dial); in the "
                    + "same rounds, right after the same workload on this machine"
                    + (run.quick() ? "" : ", with a time bound of " + Workload.CONTAINER_MAX_TIME + " instead of "
                    + Workload.MAX_TIME + " to keep the run under 10 minutes") + ". Server CPU is the container's "
                    + "main process (its threads and reaped children), not the engine's shim.";
        }
        Method method = new Method(run.quick(), warmupRounds, measuredRounds, runtimes, run.order, arguments, note);
        String runId = "bench-" + DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC).format(started);
        return new BenchReport(BenchReport.SCHEMA_VERSION, runId, started, Instant.now(), machine, method,
                run.participants, Summaries.headline(cells, serverRatios, transportRatios), cells, serverRatios,
                transportRatios, run.measurements, run.skipped(), null);
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).strip();
        } catch (IOException e) {
            return EnvironmentProbe.UNKNOWN;
        }
    }
}
