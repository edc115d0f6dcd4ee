// SPDX-License-Identifier: Apache-2.0
// BenchReport: everything one benchmark run measured; written as bench.json (checked against bench.schema.json) and bench.html.
package dev.udsinterop.harness.bench;

import dev.udsinterop.harness.report.Environment;
import dev.udsinterop.harness.runtime.RuntimeKind;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The report of one benchmark run. Its JSON form is specified by {@code bench.schema.json} beside this class;
 * {@link #SCHEMA_VERSION} changes whenever that schema changes incompatibly. Every figure is kept per round
 * ({@code measurements}) and summarised over the measured rounds (median, min, max); ratios are taken within
 * each round first, so that they compare servers measured side by side.
 */
record BenchReport(
        int schemaVersion,
        String runId,
        Instant startedAt,
        Instant finishedAt,
        Machine machine,
        Method method,
        List<Participant> servers,
        List<Headline> headline,
        List<Cell> cells,
        List<ServerRatio> serverRatios,
        List<TransportRatio> transportRatios,
        List<Measurement> measurements,
        List<Skip> skipped,
        Baseline baseline) {

    /** 2: every measurement, figure, ratio and skip names its runtime (local, container). */
    static final int SCHEMA_VERSION = 2;
    /** The runtimes a benchmark measures in, by the matrix's names for them. */
    static final String LOCAL = RuntimeKind.LOCAL.id();
    static final String CONTAINER = RuntimeKind.CONTAINER.id();

    /** The machine: the conformance report's environment, plus what a benchmark also depends on. */
    record Machine(Environment environment, String gcc, String loadAverageAtStart, String loadAverageAtEnd) {
    }

    /**
     * How the run measured: the runtimes, the rounds, the discarded warm-up, the order of each round, each
     * workload's bounds per runtime.
     */
    record Method(boolean quick, int warmupRounds, int rounds, List<String> runtimes, List<List<String>> order,
            Map<String, Map<String, List<String>>> loadgenArguments, String note) {
    }

    /** A server as it was started: one command per transport, and in the container runtime its image and arguments. */
    record Participant(String id, String description, Map<String, List<String>> commands,
            Map<String, List<String>> containers) {
    }

    /** One loadgen run of one round; {@code error} set (and no metrics) when it failed. */
    record Measurement(int round, boolean warmup, String runtime, String server, String transport, String workload,
            long ops, long elapsedNs, String stoppedBy, Map<String, Double> metrics, String error) {
    }

    /**
     * One metric of one runtime / server / transport / workload over the measured rounds; {@code modes} (null
     * when one) when the rounds fell into two modes ({@link Modes}), so that the median mixes them.
     */
    record Cell(String runtime, String server, String transport, String workload, String metric, String unit,
            boolean higherIsBetter, double median, double min, double max, int rounds, List<Mode> modes,
            Change baseline) {
        Cell withBaseline(Change change) {
            return new Cell(runtime, server, transport, workload, metric, unit, higherIsBetter, median, min, max, rounds,
                    modes, change);
        }
    }

    /** One of the two modes of a cell's rounds: their median, min, max and count. */
    record Mode(double median, double min, double max, int rounds) {
    }

    /** How much better {@code subject} did than {@code reference}, taken per round (above 1: subject better). */
    record ServerRatio(String runtime, String subject, String reference, String workload, String transport,
            String metric, double median, double min, double max, int rounds, Change baseline) {
        ServerRatio withBaseline(Change change) {
            return new ServerRatio(runtime, subject, reference, workload, transport, metric, median, min, max, rounds,
                    change);
        }
    }

    /** How much better {@code server} did over unix than over tcp, per round (above 1: unix better). */
    record TransportRatio(String runtime, String server, String workload, String metric, double median, double min,
            double max, int rounds, Change baseline) {
        TransportRatio withBaseline(Change change) {
            return new TransportRatio(runtime, server, workload, metric, median, min, max, rounds, change);
        }
    }

    /** A figure of the headline, with the target or published value it is read against (0 when none). */
    record Headline(String label, String runtime, String workload, String transport, double median, double min,
            double max, double target, String against) {
    }

    /** A measurement that was not made, and why. */
    record Skip(String runtime, String server, String transport, String workload, String reason) {
    }

    /** The comparison with an earlier run's bench.json. */
    record Baseline(String file, String runId, String gitCommit, int moved, String rule) {
    }

    /**
     * A figure's value in the baseline run, and whether it moved by more than the spread (max - min) either
     * run measured for it.
     */
    record Change(double old, double oldMin, double oldMax, boolean moved, String direction) {
    }
}
