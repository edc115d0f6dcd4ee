// SPDX-License-Identifier: Apache-2.0
// BenchRun: the method: every server started once per transport, then rounds, servers interleaved, order rotated.
package dev.udsinterop.harness.bench;

import dev.udsinterop.harness.bench.BenchReport.Measurement;
import dev.udsinterop.harness.bench.BenchReport.Participant;
import dev.udsinterop.harness.bench.BenchReport.Skip;
import dev.udsinterop.harness.run.Workspace;
import dev.udsinterop.harness.server.ServerException;
import dev.udsinterop.harness.server.ServerSpec;
import dev.udsinterop.harness.transport.Transport;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Runs the benchmark. Each server is started once per transport and kept for the whole run (a JIT compiler
 * warms up across rounds). In each round every workload runs, per transport, against every server in turn,
 * so that the figures compared are measured seconds apart; the servers' order rotates by one each round, so
 * that none is always first after a pause. The first {@code warmup} rounds are run the same way and marked
 * as warm-up: the summaries leave them out.
 */
final class BenchRun implements AutoCloseable {
    private final List<BenchServer> servers;
    private final List<Workload> workloads;
    private final List<Transport> transports;
    private final int warmup;
    private final int rounds;
    private final Loadgen loadgen;
    private final PrintStream out;
    private final Map<String, RunningServer> running = new LinkedHashMap<>();
    private final Workspace workspace = new Workspace();

    final List<Measurement> measurements = new ArrayList<>();
    final List<Skip> skipped = new ArrayList<>();
    final List<List<String>> order = new ArrayList<>();
    final List<Participant> participants = new ArrayList<>();

    BenchRun(List<BenchServer> servers, List<Workload> workloads, List<Transport> transports, int warmup, int rounds,
            Loadgen loadgen, PrintStream out) {
        this.servers = servers;
        this.workloads = workloads;
        this.transports = transports;
        this.warmup = warmup;
        this.rounds = rounds;
        this.loadgen = loadgen;
        this.out = out;
    }

    boolean quick() {
        return loadgen.quick();
    }

    void run() {
        startServers();
        List<String> ids = servers.stream().map(BenchServer::id).toList();
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
                    for (String id : rotated) {
                        RunningServer server = running.get(key(id, transport));
                        if (server != null) {
                            Measurement m = Measure.run(loadgen, server, workload, round, isWarmup);
                            measurements.add(m);
                            if (m.error() != null) {
                                failures++;
                                out.println("  FAILED " + id + " / " + transport + " / " + workload.id() + ": " + m.error());
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
    }

    /** Returns the round's first figure per server, e.g. {@code ; seed unix opsPerSec: java 10.9k/s, ...}. */
    private String glimpse(int round) {
        List<Measurement> first = measurements.stream().filter(m -> m.round() == round && m.error() == null
                && m.workload().equals(workloads.get(0).id()) && m.transport().equals(transports.get(0).id())).toList();
        Metric metric = workloads.get(0).primary();
        List<String> figures = first.stream().filter(m -> m.metrics().containsKey(metric.json()))
                .map(m -> m.server() + " " + Figures.value(m.metrics().get(metric.json()), metric.unit())).toList();
        return figures.isEmpty() ? "" : "; " + workloads.get(0).id() + " " + transports.get(0).id() + " "
                + metric.json() + ": " + String.join(", ", figures);
    }

    private void startServers() {
        for (BenchServer server : servers) {
            Map<String, List<String>> commands = new LinkedHashMap<>();
            for (Transport transport : transports) {
                ServerSpec spec = server.spec(transport);
                if (spec == null) {
                    skipAll(server.id(), transport, "its command has no " + (transport == Transport.UNIX
                            ? ServerSpec.UNIX : ServerSpec.PORT) + " placeholder");
                    continue;
                }
                commands.put(transport.id(), spec.command());
                try {
                    running.put(key(server.id(), transport), RunningServer.start(server, transport, workspace.newDirectory()));
                } catch (ServerException e) {
                    skipAll(server.id(), transport, e.getMessage());
                    out.println("  SKIPPED " + server.id() + " / " + transport + ": " + e.getMessage());
                }
            }
            participants.add(new Participant(server.id(), server.description(), commands));
        }
        out.printf("started %d server processes (%s) for %s%n", running.size(),
                String.join(", ", running.keySet()), String.join(", ", workloads.stream().map(Workload::id).toList()));
    }

    private void skipAll(String server, Transport transport, String reason) {
        workloads.forEach(w -> skipped.add(new Skip(server, transport.id(), w.id(), reason)));
    }

    private static String key(String server, Transport transport) {
        return server + "/" + transport;
    }

    /** Stops every server and removes their directories; safe to call twice (and from a shutdown hook). */
    @Override
    public synchronized void close() {
        running.values().forEach(RunningServer::close);
        workspace.close();
    }
}
