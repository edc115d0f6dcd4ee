// SPDX-License-Identifier: Apache-2.0
// Baseline: compares a run with an earlier bench.json and marks each figure that moved by more than the spread.
package dev.udsinterop.harness.bench;

import dev.udsinterop.harness.bench.BenchReport.Cell;
import dev.udsinterop.harness.bench.BenchReport.Change;
import dev.udsinterop.harness.bench.BenchReport.ServerRatio;
import dev.udsinterop.harness.bench.BenchReport.TransportRatio;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A figure moved when its median differs from the baseline's by more than the larger of the two runs' own
 * spreads (max - min over the measured rounds): what the two runs could not tell apart is not called a move.
 * Figures only one of the runs has are left unmarked; a figure is the same figure only in the same runtime (a
 * report of schema 1, before the container rows, reads as all local: {@link BenchJson#read}).
 */
final class Baseline {
    static final String RULE = "moved: |median - baseline median| > max(spread of this run, spread of the baseline), "
            + "spread = max - min over the measured rounds";

    private Baseline() {
    }

    /** Returns {@code now} with every figure that the baseline also has marked, and a baseline summary. */
    static BenchReport compare(BenchReport now, BenchReport old, Path oldFile) {
        Map<String, Cell> oldCells = index(old.cells(), Baseline::key);
        Map<String, ServerRatio> oldServer = index(old.serverRatios(), Baseline::key);
        Map<String, TransportRatio> oldTransport = index(old.transportRatios(), Baseline::key);

        List<Cell> cells = now.cells().stream().map(c -> {
            Cell o = oldCells.get(key(c));
            return o == null ? c : c.withBaseline(change(c.median(), c.min(), c.max(), o.median(), o.min(), o.max(),
                    c.higherIsBetter()));
        }).toList();
        List<ServerRatio> serverRatios = now.serverRatios().stream().map(r -> {
            ServerRatio o = oldServer.get(key(r));
            return o == null ? r : r.withBaseline(change(r.median(), r.min(), r.max(), o.median(), o.min(), o.max(), true));
        }).toList();
        List<TransportRatio> transportRatios = now.transportRatios().stream().map(r -> {
            TransportRatio o = oldTransport.get(key(r));
            return o == null ? r : r.withBaseline(change(r.median(), r.min(), r.max(), o.median(), o.min(), o.max(), true));
        }).toList();

        long moved = Stream.of(cells.stream().map(Cell::baseline), serverRatios.stream().map(ServerRatio::baseline),
                transportRatios.stream().map(TransportRatio::baseline)).flatMap(Function.identity())
                .filter(c -> c != null && c.moved()).count();
        return new BenchReport(now.schemaVersion(), now.runId(), now.startedAt(), now.finishedAt(), now.machine(),
                now.method(), now.servers(), now.headline(), cells, serverRatios, transportRatios, now.measurements(),
                now.skipped(), new BenchReport.Baseline(oldFile.toString(), old.runId(),
                        old.machine().environment().gitCommit(), (int) moved, RULE));
    }

    static Change change(double median, double min, double max, double old, double oldMin, double oldMax,
            boolean higherIsBetter) {
        boolean moved = Math.abs(median - old) > Math.max(max - min, oldMax - oldMin);
        String direction = median == old ? "same" : (median > old) == higherIsBetter ? "better" : "worse";
        return new Change(old, oldMin, oldMax, moved, direction);
    }

    private static String key(Cell c) {
        return String.join("/", c.runtime(), c.server(), c.transport(), c.workload(), c.metric());
    }

    private static String key(ServerRatio r) {
        return String.join("/", r.runtime(), r.subject(), r.reference(), r.workload(), r.transport(), r.metric());
    }

    private static String key(TransportRatio r) {
        return String.join("/", r.runtime(), r.server(), r.workload(), r.metric());
    }

    private static <T> Map<String, T> index(List<T> items, Function<T, String> key) {
        return items.stream().collect(Collectors.toMap(key, Function.identity(), (a, b) -> a));
    }
}
