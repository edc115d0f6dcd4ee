// SPDX-License-Identifier: Apache-2.0
// Workload: the five benchmark workloads, what loadgen is told for each, and the figures each yields.
package dev.udsinterop.harness.bench;

import static dev.udsinterop.harness.bench.Metric.CLIENT_CPU_PER_OP;
import static dev.udsinterop.harness.bench.Metric.MAX;
import static dev.udsinterop.harness.bench.Metric.MB_PER_SEC;
import static dev.udsinterop.harness.bench.Metric.OPS_PER_SEC;
import static dev.udsinterop.harness.bench.Metric.P50;
import static dev.udsinterop.harness.bench.Metric.P90;
import static dev.udsinterop.harness.bench.Metric.P99;
import static dev.udsinterop.harness.bench.Metric.P999;
import static dev.udsinterop.harness.bench.Metric.RSS_PER_CONNECTION;
import static dev.udsinterop.harness.bench.Metric.SERVER_CPU_PER_OP;

import dev.udsinterop.harness.transport.Transport;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A workload of {@code go-reference/cmd/loadgen}. Each is bounded in count and in time, with a smaller budget
 * for {@code --quick}; the first metric is the one the headline and the ratios are about. Between containers
 * only seed and pingpong are measured (the sidecar question is about the cost of a connection and of a round
 * trip), with a shorter time bound, so that the default run stays under 10 minutes with them.
 */
enum Workload {
    SEED("the seed post's loop: dial, write \"Hello\", read 5, close",
            List.of(OPS_PER_SEC, CLIENT_CPU_PER_OP, SERVER_CPU_PER_OP),
            List.of("-n", "20000"), List.of("-n", "1000")),
    PINGPONG("one connection, 64-byte round trips",
            List.of(P50, P90, P99, P999, MAX, OPS_PER_SEC, CLIENT_CPU_PER_OP, SERVER_CPU_PER_OP),
            List.of("-n", "50000"), List.of("-n", "2000")),
    STREAM("one connection, a large payload in 64 KiB writes, the echo read concurrently",
            List.of(MB_PER_SEC, CLIENT_CPU_PER_OP, SERVER_CPU_PER_OP),
            List.of("-bytes", Long.toString(1L << 30)), List.of("-bytes", Long.toString(64L << 20))),
    FANIN("64 connections at once, 1 KiB round trips",
            List.of(OPS_PER_SEC, P50, P99, CLIENT_CPU_PER_OP, SERVER_CPU_PER_OP),
            List.of("-n", "64000", "-conns", "64"), List.of("-n", "1920", "-conns", "64")),
    IDLE("idle connections held open; the server's RSS growth per connection",
            List.of(RSS_PER_CONNECTION),
            List.of("-conns", "1000"), List.of("-conns", "200"));

    /** The time bound of one measurement, normal and quick; idle holds its connections for at most this long. */
    static final String MAX_TIME = "1500ms";
    static final String QUICK_MAX_TIME = "250ms";
    /** The time bound of one measurement between containers (quick: as on this machine). */
    static final String CONTAINER_MAX_TIME = "750ms";

    private final String description;
    private final List<Metric> metrics;
    private final List<String> budget;
    private final List<String> quickBudget;

    Workload(String description, List<Metric> metrics, List<String> budget, List<String> quickBudget) {
        this.description = description;
        this.metrics = metrics;
        this.budget = budget;
        this.quickBudget = quickBudget;
    }

    String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    String description() {
        return description;
    }

    List<Metric> metrics() {
        return metrics;
    }

    /** The figure the ratios and the headline are about. */
    Metric primary() {
        return metrics.get(0);
    }

    /**
     * Returns true if the workload runs on {@code transport}: every one on the stream transports; on seqpacket seed,
     * pingpong and fan-in (a message per round trip; stream half-closes and idle proves a byte stream), on datagram
     * pingpong and fan-in (a datagram per round trip, from an address of the connection's own; no connection to dial).
     */
    boolean runsOn(Transport transport) {
        return switch (transport) {
            case UNIX, TCP -> true;
            case SEQPACKET -> this == SEED || this == PINGPONG || this == FANIN;
            case DATAGRAM -> this == PINGPONG || this == FANIN;
            case ABSTRACT -> false;
        };
    }

    /** Returns true if the workload is measured between containers too. */
    boolean inContainers() {
        return this == SEED || this == PINGPONG;
    }

    /** Returns loadgen's arguments for this workload's count and time bounds in {@code runtime}. */
    List<String> loadgenArguments(boolean quick, String runtime) {
        List<String> args = new ArrayList<>(List.of("-workload", id()));
        args.addAll(quick ? quickBudget : budget);
        // idle holds until the harness has read the server's memory; the bound is only a safety net there.
        args.addAll(List.of("-duration", this == IDLE ? "60s" : quick ? QUICK_MAX_TIME
                : runtime.equals(BenchReport.CONTAINER) ? CONTAINER_MAX_TIME : MAX_TIME));
        return args;
    }

    static Workload of(String id) {
        for (Workload w : values()) {
            if (w.id().equals(id)) {
                return w;
            }
        }
        throw new IllegalArgumentException("unknown workload '" + id + "' (want seed, pingpong, stream, fanin, idle)");
    }
}
