// SPDX-License-Identifier: Apache-2.0
// Modes: whether the rounds of one figure fell into two modes (a fast and a slow one), and those two modes.
package dev.udsinterop.harness.bench;

import dev.udsinterop.harness.bench.BenchReport.Cell;
import dev.udsinterop.harness.bench.BenchReport.Mode;
import java.util.Arrays;
import java.util.List;

/**
 * Tells a figure whose rounds fall into two groups from one that is merely noisy. On these virtual machines
 * latency is often bimodal from one round to the next (pingpong p50 over tcp: 24 or 75 µs, for every server
 * that blocks in epoll_wait, as the client and the server wait on the same vCPU or on two), and a median of
 * such a mix is a figure no round measured. The rounds' values are sorted and split at the largest ratio
 * between neighbours; they are two modes when that gap is larger than the spread within either side
 * (max/min) and the two sides' medians are at least {@link #SEPARATION} apart. A side may be one round: it
 * is reported with its count, for the reader to judge.
 */
final class Modes {
    /** How far apart (ratio of the medians) two groups of rounds must be to count as two modes. */
    static final double SEPARATION = 1.5;
    private static final int MIN_ROUNDS = 3;

    private Modes() {
    }

    /**
     * Returns whether a figure is judged for modes: the ones the headline and the table show (a workload's main
     * figure, p50, p99, the server's CPU per op). The tails (p99.9, max) and the client's CPU move with any
     * hiccup of a shared machine, and listing their modes would bury the ones that matter.
     */
    static boolean judged(Workload w, Metric m) {
        return m == w.primary() || m == Metric.P50 || m == Metric.P99 || m == Metric.SERVER_CPU_PER_OP;
    }

    /** Returns the two modes of {@code values} (per round), lower first; null when they form one. */
    static List<Mode> of(List<Double> values) {
        double[] v = values.stream().mapToDouble(Double::doubleValue).filter(x -> Double.isFinite(x) && x > 0)
                .sorted().toArray();
        if (v.length < MIN_ROUNDS || v.length < values.size()) {
            return null; // a zero (no memory growth) or a missing round: no ratio to split at
        }
        int split = 0; // the last index of the lower group
        for (int i = 1; i < v.length - 1; i++) {
            if (v[i + 1] / v[i] > v[split + 1] / v[split]) {
                split = i;
            }
        }
        double[] low = Arrays.copyOfRange(v, 0, split + 1);
        double[] high = Arrays.copyOfRange(v, split + 1, v.length);
        double gap = high[0] / low[low.length - 1];
        double within = Math.max(low[low.length - 1] / low[0], high[high.length - 1] / high[0]);
        if (gap <= within || median(high) / median(low) < SEPARATION) {
            return null;
        }
        return List.of(mode(low), mode(high));
    }

    /** Describes a cell's modes, e.g. {@code 24.1 µs in 1 round, 76.0 µs [70.0 µs-85.0 µs] in 6 rounds}. */
    static String describe(Cell c) {
        StringBuilder text = new StringBuilder();
        for (Mode m : c.modes()) {
            text.append(text.isEmpty() ? "" : ", ").append(Figures.value(m.median(), c.unit()));
            if (m.rounds() > 1) {
                text.append(" [").append(Figures.value(m.min(), c.unit())).append('-')
                        .append(Figures.value(m.max(), c.unit())).append(']');
            }
            text.append(" in ").append(m.rounds()).append(m.rounds() == 1 ? " round" : " rounds");
        }
        return text.toString();
    }

    private static Mode mode(double[] sorted) {
        return new Mode(median(sorted), sorted[0], sorted[sorted.length - 1], sorted.length);
    }

    private static double median(double[] sorted) {
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
}
