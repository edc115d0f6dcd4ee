// SPDX-License-Identifier: Apache-2.0
// BenchRun: the method: every server started once per transport and runtime, then rounds, servers interleaved, order rotated.
package dev.udsinterop.harness.bench;

import dev.udsinterop.harness.bench.BenchReport.Measurement;
import dev.udsinterop.harness.bench.BenchReport.Participant;
import dev.udsinterop.harness.bench.BenchReport.Skip;
import dev.udsinterop.harness.host.Workspace;
import dev.udsinterop.harness.server.ServerException;
import dev.udsinterop.harness.server.ServerSpec;
import dev.udsinterop.harness.transport.Transport;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * Runs the benchmark. Each server is started once per transport and runtime and kept for the whole run (a JIT
 * compiler warms up across rounds). In each round every workload runs, per transport and runtime, against every
 * server in turn, so that the figures compared are measured seconds apart; the servers' order rotates by one
 * each round, so that none is always first after a pause. The first {@code warmup} rounds are run the same way
 * and marked as warm-up: the summaries leave them out. The container runtime measures only the workloads that
 * {@link Workload#inContainers()}.
 */
final class BenchRun implements AutoCloseable {
    /**
     * The measured rounds of a figure whose warm-up measurement ran into loadgen's time bound: a server that cannot
     * do the workload's count in that time (python, node and socat here) costs the whole bound in every round, so its
     * rounds after this many are left out. The seven servers' default run then stays under 10 minutes on this
     * machine; each cell says how many rounds it has, and a ratio is taken over the rounds both sides were measured in.
     */
    static final int TIME_BOUND_ROUNDS = 3;

    private final List<ServerSpec> servers;
    private final List<String> ids;
    private final List<Workload> workloads;
    private final List<Transport> transports;
    private final List<String> runtimes;
    private final int warmup;
    private final int rounds;
    private final Loadgen loadgen;
    private final PrintStream out;
    private final Map<String, Target> running = new LinkedHashMap<>();
    private final Workspace workspace = new Workspace();
    private final ContainerRows containers;
    /** Set by {@link #close}: on Ctrl-C the shutdown hook stops the servers while the rounds still run. */
    private volatile boolean closed;

    final List<Measurement> measurements = new ArrayList<>();
    private final List<Skip> skipped = new ArrayList<>();
    final List<List<String>> order = new ArrayList<>();
    final List<Participant> participants = new ArrayList<>();

    /** {@code containers} opens the container runtime's session; called only if {@code runtimes} has it. */
    /**
     * {@code servers} are the participants' specs, in report order; a participant with one command per transport
     * (socat) has a spec per transport under one id.
     */
    BenchRun(List<ServerSpec> servers, List<Workload> workloads, List<Transport> transports, List<String> runtimes,
            Supplier<BenchContainers> containers, int warmup, int rounds, Loadgen loadgen, PrintStream out) {
        this.servers = servers;
        this.ids = ids(servers);
        this.workloads = workloads;
        this.transports = transports;
        this.runtimes = runtimes;
        this.warmup = warmup;
        this.rounds = rounds;
        this.loadgen = loadgen;
        this.out = out;
        this.containers = new ContainerRows(containers, workloads, out);
    }

    boolean quick() {
        return loadgen.quick();
    }

    /** Records every container row as not measured, with {@code reason} (no Docker here), and says so. */
    void skipContainers(String reason) {
        containers.skipAll(ids, inContainers(), reason);
    }

    /** Runs the rounds; returns false if {@link #close} stopped them first (Ctrl-C). */
    boolean run() {
        startServers();
        int total = warmup + rounds;
        for (int round = 0; round < total; round++) {
            long t0 = System.nanoTime();
            List<String> rotated = Stream.concat(ids.stream().skip(round % ids.size()),
                    ids.stream().limit(round % ids.size())).toList();
            order.add(rotated);
            boolean isWarmup = round < warmup;
            int failures = 0;
            for (Workload workload : workloads) {
                for (Transport transport : transports) {
                    for (String runtime : runtimes) {
                        for (String id : rotated) {
                            if (closed) {
                                return false; // interrupted: measuring stopped servers would only print failures
                            }
                            Target server = running.get(key(runtime, id, transport));
                            if (server == null || !workload.runsOn(transport)
                                    || (runtime.equals(BenchReport.CONTAINER) && !workload.inContainers())
                                    || (!isWarmup && round - warmup >= TIME_BOUND_ROUNDS
                                        && warmedUpAtTheTimeBound(runtime, id, transport, workload))) {
                                continue;
                            }
                            Measurement m = Measure.run(server, workload, round, isWarmup);
                            measurements.add(m);
                            if (m.error() != null) {
                                failures++;
                                out.println("  FAILED " + where(runtime) + id + " / " + transport + " / " + workload.id()
                                        + ": " + m.error());
                            }
                        }
                    }
                }
            }
            out.printf("round %d/%d%s: %s; %.1f s%s%s%n", round + 1, total,
                    isWarmup ? " (warm-up, discarded)" : "", String.join(", ", rotated),
                    (System.nanoTime() - t0) / 1e9, failures == 0 ? "" : "; " + failures + " failed", glimpse(round));
            out.flush();
        }
        return true;
    }

    /** Returns true if a warm-up measurement of this figure was stopped by loadgen's time bound, not by its count. */
    private boolean warmedUpAtTheTimeBound(String runtime, String id, Transport transport, Workload workload) {
        return measurements.stream().anyMatch(m -> m.warmup() && m.runtime().equals(runtime) && m.server().equals(id)
                && m.transport().equals(transport.id()) && m.workload().equals(workload.id()) && "time".equals(m.stoppedBy()));
    }

    /** Returns the round's first figure per server, e.g. {@code ; seed unix opsPerSec: java 10.9k/s, ...}. */
    private String glimpse(int round) {
        List<Measurement> first = measurements.stream().filter(m -> m.round() == round && m.error() == null
                && m.runtime().equals(runtimes.get(0)) && m.workload().equals(workloads.get(0).id())
                && m.transport().equals(transports.get(0).id())).toList();
        Metric metric = workloads.get(0).primary();
        List<String> figures = first.stream().filter(m -> m.metrics().containsKey(metric.json()))
                .map(m -> m.server() + " " + Figures.value(m.metrics().get(metric.json()), metric.unit())).toList();
        return figures.isEmpty() ? "" : "; " + where(runtimes.get(0)) + workloads.get(0).id() + " "
                + transports.get(0).id() + " " + metric.json() + ": " + String.join(", ", figures);
    }

    private void startServers() {
        boolean inContainers = runtimes.contains(BenchReport.CONTAINER)
                && workloads.stream().anyMatch(Workload::inContainers);
        if (inContainers) {
            containers.start(servers, inContainers());
        }
        for (String id : ids) {
            Map<String, List<String>> commands = new LinkedHashMap<>();
            if (runtimes.contains(BenchReport.LOCAL)) {
                transports.forEach(transport -> startLocal(id, transport, commands));
            }
            String description = servers.stream().filter(s -> s.id().equals(id)).findFirst().orElseThrow().description();
            participants.add(new Participant(id, description, commands, null));
        }
        containers.await();
        participants.replaceAll(p -> new Participant(p.id(), p.description(), p.commands(),
                containers.images(p.id(), inContainers())));
        for (String id : ids) {
            for (Transport transport : inContainers()) {
                Target inContainer = containers.get(id, transport);
                if (inContainer != null) {
                    running.put(key(BenchReport.CONTAINER, id, transport), inContainer);
                }
            }
        }
        long local = running.values().stream().filter(s -> s.runtime().equals(BenchReport.LOCAL)).count();
        out.printf("started %d server processes and %d server containers (%s) for %s%n", local, running.size() - local,
                String.join(", ", running.keySet()), String.join(", ", workloads.stream().map(Workload::id).toList()));
    }

    /** Returns the transports measured between containers: unix and tcp (the images listen on nothing else). */
    private List<Transport> inContainers() {
        return transports.stream().filter(Transport::isStream).toList();
    }

    /** Returns the rows not measured: this machine's, then the containers'. */
    List<Skip> skipped() {
        List<Skip> all = new ArrayList<>(skipped);
        all.addAll(containers.skipped());
        return all;
    }

    private void startLocal(String id, Transport transport, Map<String, List<String>> commands) {
        ServerSpec spec = spec(servers, id, transport);
        if (spec == null) {
            skipLocal(id, transport, "its command has no " + switch (transport) {
                case UNIX -> ServerSpec.UNIX;
                case SEQPACKET -> ServerSpec.SEQPACKET;
                case DATAGRAM -> ServerSpec.DATAGRAM;
                default -> ServerSpec.PORT;
            } + " placeholder");
            return;
        }
        if (spec.notInstalled() != null) { // python3 or node, on a machine with Java only (the release bundle)
            skipLocal(id, transport, spec.notInstalled());
            out.println("  SKIPPED " + id + " / " + transport + ": " + spec.notInstalled());
            return;
        }
        commands.put(transport.id(), spec.command());
        try {
            running.put(key(BenchReport.LOCAL, id, transport),
                    Target.local(spec, transport, workspace.newDirectory(), loadgen));
        } catch (ServerException e) {
            skipLocal(id, transport, e.getMessage());
            out.println("  SKIPPED " + id + " / " + transport + ": " + e.getMessage());
        }
    }

    private void skipLocal(String server, Transport transport, String reason) {
        workloads.stream().filter(w -> w.runsOn(transport))
                .forEach(w -> skipped.add(new Skip(BenchReport.LOCAL, server, transport.id(), w.id(), reason)));
    }

    /** Returns the participants' ids, in report order. */
    static List<String> ids(List<ServerSpec> servers) {
        return servers.stream().map(ServerSpec::id).distinct().toList();
    }

    /** Returns the first spec of participant {@code id} that listens on {@code transport}, or null if none does. */
    static ServerSpec spec(List<ServerSpec> servers, String id, Transport transport) {
        return servers.stream().filter(s -> s.id().equals(id) && s.transports().contains(transport)).findFirst()
                .orElse(null);
    }

    /** Returns how a runtime is named in front of a server in the console: nothing for local. */
    static String where(String runtime) {
        return runtime.equals(BenchReport.LOCAL) ? "" : "[" + runtime + "] ";
    }

    private static String key(String runtime, String server, Transport transport) {
        return runtime + "/" + server + "/" + transport;
    }

    /**
     * Stops every server, removes their directories and every container, the network and the volume; safe to call
     * twice (and from a shutdown hook).
     */
    @Override
    public synchronized void close() {
        closed = true;
        running.values().forEach(Target::close);
        running.clear();
        workspace.close();
        containers.close();
    }
}
