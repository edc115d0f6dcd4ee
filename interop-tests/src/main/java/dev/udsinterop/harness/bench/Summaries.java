// SPDX-License-Identifier: Apache-2.0
// Summaries: the measured rounds folded into cells (median, min, max), side-by-side ratios and the headline.
package dev.udsinterop.harness.bench;

import dev.udsinterop.harness.bench.BenchReport.Cell;
import dev.udsinterop.harness.bench.BenchReport.Headline;
import dev.udsinterop.harness.bench.BenchReport.Measurement;
import dev.udsinterop.harness.bench.BenchReport.ServerRatio;
import dev.udsinterop.harness.bench.BenchReport.TransportRatio;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Folds the measurements of the measured rounds (warm-up rounds left out) into summaries, per runtime. A ratio
 * is taken within each round and runtime, between figures measured seconds apart, and only then summarised over
 * the rounds: on a noisy machine that is what makes it mean something.
 */
final class Summaries {
    /** The server the ratios are about, and its targets (issue 22; issue 12 had asked 1.1 and 1.0). */
    static final String SUBJECT = "java";
    static final Map<String, Double> TARGETS = Map.of("go-echo", 1.2, "c-epoll", 1.05);
    static final double UDS_TCP_CPU_TARGET = 2.0;
    static final double POST_UDS_TCP_CPU = 2.5;
    static final double IDLE_RSS_TARGET = 4096;

    private final List<Measurement> measured;
    private final List<String> runtimes;
    private final List<String> servers;
    private final List<Workload> workloads;
    private final List<String> transports;

    Summaries(List<Measurement> measurements, List<String> runtimes, List<String> servers, List<Workload> workloads,
            List<String> transports) {
        this.measured = measurements.stream().filter(m -> !m.warmup() && m.error() == null).toList();
        this.runtimes = runtimes;
        this.servers = servers;
        this.workloads = workloads;
        this.transports = transports;
    }

    /** A median with the least and greatest value, over at least one round. */
    record Stats(double median, double min, double max, int rounds) {
        static Stats of(List<Double> values) {
            double[] v = values.stream().mapToDouble(Double::doubleValue).filter(Double::isFinite).sorted().toArray();
            if (v.length == 0) {
                return null;
            }
            double median = v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
            return new Stats(median, v[0], v[v.length - 1], v.length);
        }
    }

    List<Cell> cells() {
        List<Cell> cells = new ArrayList<>();
        for (String rt : runtimes) {
            for (Workload w : workloads) {
                for (String t : transports) {
                    for (String s : servers) {
                        for (Metric m : w.metrics()) {
                            List<Double> rounds = values(rt, s, t, w, m).values().stream().toList();
                            Stats st = Stats.of(rounds);
                            if (st != null) {
                                cells.add(new Cell(rt, s, t, w.id(), m.json(), m.unit(), m.higherIsBetter(),
                                        st.median(), st.min(), st.max(), st.rounds(),
                                        Modes.judged(w, m) ? Modes.of(rounds) : null, null));
                            }
                        }
                    }
                }
            }
        }
        return cells;
    }

    List<ServerRatio> serverRatios() {
        List<ServerRatio> ratios = new ArrayList<>();
        if (!servers.contains(SUBJECT)) {
            return ratios;
        }
        for (String rt : runtimes) {
            for (String reference : servers) {
                if (reference.equals(SUBJECT)) {
                    continue;
                }
                for (Workload w : workloads) {
                    for (String t : transports) {
                        for (Metric m : w.metrics()) {
                            Stats st = perRound(values(rt, SUBJECT, t, w, m), values(rt, reference, t, w, m), m);
                            if (st != null) {
                                ratios.add(new ServerRatio(rt, SUBJECT, reference, w.id(), t, m.json(), st.median(),
                                        st.min(), st.max(), st.rounds(), null));
                            }
                        }
                    }
                }
            }
        }
        return ratios;
    }

    List<TransportRatio> transportRatios() {
        List<TransportRatio> ratios = new ArrayList<>();
        for (String rt : runtimes) {
            for (String s : servers) {
                for (Workload w : workloads) {
                    for (Metric m : w.metrics()) {
                        Stats st = perRound(values(rt, s, "unix", w, m), values(rt, s, "tcp", w, m), m);
                        if (st != null) {
                            ratios.add(new TransportRatio(rt, s, w.id(), m.json(), st.median(), st.min(), st.max(),
                                    st.rounds(), null));
                        }
                    }
                }
            }
        }
        return ratios;
    }

    /**
     * The headline: UDS/TCP client CPU per seed operation against the post's 2.5x, then the Java server against
     * each other server per workload and transport (pingpong and fan-in also at p99, and each workload's server CPU
     * per op beside it, so that a latency won by spinning shows its cost; a side whose rounds fell into two modes
     * is named with both), then its memory per idle connection;
     * all on this machine. Then the sidecar figures, per server: UDS/TCP client CPU per seed op and UDS/TCP
     * pingpong p50 between two containers, each read against the same ratio on this machine.
     */
    static List<Headline> headline(List<Cell> cells, List<ServerRatio> serverRatios, List<TransportRatio> transportRatios) {
        List<Headline> lines = new ArrayList<>();
        String local = BenchReport.LOCAL;
        transportRatios.stream()
                .filter(r -> r.runtime().equals(local) && r.workload().equals("seed")
                        && r.metric().equals(Metric.CLIENT_CPU_PER_OP.json()))
                .sorted((a, b) -> Boolean.compare(!a.server().equals(SUBJECT), !b.server().equals(SUBJECT)))
                .forEach(r -> lines.add(new Headline("UDS/TCP client CPU per seed op, " + r.server(), local, "seed",
                        "unix/tcp", r.median(), r.min(), r.max(), r.server().equals(SUBJECT) ? UDS_TCP_CPU_TARGET : 0,
                        "the post: " + POST_UDS_TCP_CPU + "x" + (r.server().equals(SUBJECT)
                                ? "; target >= " + UDS_TCP_CPU_TARGET : ""))));
        for (ServerRatio r : serverRatios) {
            Workload w = Workload.of(r.workload());
            boolean cpu = r.metric().equals(Metric.SERVER_CPU_PER_OP.json());
            boolean shown = r.runtime().equals(local) && (r.metric().equals(w.primary().json()) || cpu
                    || (w.metrics().contains(Metric.P99) && r.metric().equals(Metric.P99.json())));
            if (shown && w != Workload.IDLE && TARGETS.containsKey(r.reference())) {
                // The targets are issue 22's, for the stream transports; seqpacket and datagram are shown side by side only.
                boolean stream = r.transport().equals("unix") || r.transport().equals("tcp");
                double target = cpu || !stream ? 0 : TARGETS.get(r.reference());
                String against = cpu ? "server CPU per op: above 1 the Java server costs less"
                        : stream ? "target >= " + target : "above 1 the Java server is better (no target)";
                lines.add(new Headline(label(r.subject()) + "/" + label(r.reference()) + " " + r.workload() + " "
                        + Metric.of(r.metric()).json(), local, r.workload(), r.transport(), r.median(), r.min(), r.max(),
                        target, against + bimodal(cells, r)));
            }
        }
        cells.stream().filter(c -> c.runtime().equals(local) && c.workload().equals("idle")
                        && c.metric().equals(Metric.RSS_PER_CONNECTION.json()))
                .forEach(c -> lines.add(new Headline("RSS per idle connection (B), " + c.server(), local, "idle",
                        c.transport(), c.median(), c.min(), c.max(), c.server().equals(SUBJECT) ? IDLE_RSS_TARGET : 0,
                        c.server().equals(SUBJECT) ? "target <= " + (int) IDLE_RSS_TARGET : "lower is better")));
        sidecar(lines, transportRatios, "seed", Metric.CLIENT_CPU_PER_OP, "UDS/TCP client CPU per seed op between containers, ");
        sidecar(lines, transportRatios, "pingpong", Metric.P50, "UDS/TCP pingpong p50 between containers, ");
        return lines;
    }

    /** Adds a line per server for a UDS/TCP ratio between containers, read against the same ratio on this machine. */
    private static void sidecar(List<Headline> lines, List<TransportRatio> ratios, String workload, Metric metric,
            String label) {
        for (TransportRatio r : ratios) {
            if (r.runtime().equals(BenchReport.CONTAINER) && r.workload().equals(workload)
                    && r.metric().equals(metric.json())) {
                String host = ratios.stream().filter(x -> x.runtime().equals(BenchReport.LOCAL)
                                && x.server().equals(r.server()) && x.workload().equals(workload)
                                && x.metric().equals(metric.json()))
                        .map(x -> "on this machine: " + Figures.ratio(x.median())).findFirst()
                        .orElse("on this machine: not measured");
                lines.add(new Headline(label + r.server(), BenchReport.CONTAINER, workload, "unix/tcp", r.median(),
                        r.min(), r.max(), 0, host));
            }
        }
    }

    /** Returns {@code ; bimodal: java 24.1 µs in 1 round, ...} for the sides of {@code r} whose rounds fell into two modes. */
    private static String bimodal(List<Cell> cells, ServerRatio r) {
        StringBuilder text = new StringBuilder();
        for (String server : List.of(r.subject(), r.reference())) {
            cells.stream().filter(c -> c.runtime().equals(r.runtime()) && c.server().equals(server)
                            && c.transport().equals(r.transport()) && c.workload().equals(r.workload())
                            && c.metric().equals(r.metric()) && c.modes() != null)
                    .forEach(c -> text.append(text.isEmpty() ? "; bimodal: " : "; ").append(server).append(' ')
                            .append(Modes.describe(c)));
        }
        return text.toString();
    }

    static String label(String server) {
        return switch (server) {
            case "java" -> "Java";
            case "go-echo" -> "Go";
            case "c-epoll" -> "C";
            case "python" -> "Python";
            case "node" -> "Node.js";
            case "rust" -> "Rust";
            default -> server;
        };
    }

    /** Values of one figure by round. */
    private Map<Integer, Double> values(String runtime, String server, String transport, Workload w, Metric m) {
        return measured.stream()
                .filter(x -> x.runtime().equals(runtime) && x.server().equals(server) && x.transport().equals(transport)
                        && x.workload().equals(w.id()) && x.metrics().containsKey(m.json()))
                .collect(Collectors.toMap(Measurement::round, x -> x.metrics().get(m.json()), (a, b) -> a));
    }

    /**
     * Returns the ratio's summary over the rounds both sides were measured in, or null when it is undefined in
     * any of them (a zero, e.g. no memory growth at all): a median of the rounds that happen to be defined
     * would be a figure nobody measured.
     */
    private static Stats perRound(Map<Integer, Double> subject, Map<Integer, Double> reference, Metric m) {
        List<Double> ratios = subject.keySet().stream().filter(reference::containsKey).sorted()
                .map(r -> m.goodness(subject.get(r), reference.get(r))).toList();
        return ratios.stream().allMatch(Double::isFinite) ? Stats.of(ratios) : null;
    }
}
