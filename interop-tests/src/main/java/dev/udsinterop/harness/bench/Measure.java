// SPDX-License-Identifier: Apache-2.0
// Measure: one measurement: a loadgen run against one running server, with the server's CPU and memory around it.
package dev.udsinterop.harness.bench;

import dev.udsinterop.harness.bench.BenchReport.Measurement;
import dev.udsinterop.harness.host.ProcFs;
import dev.udsinterop.harness.server.RunningServer;
import java.util.LinkedHashMap;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * Makes one {@link Measurement}: the server's CPU time (from /proc, by its pid on this machine, in either
 * runtime) is read before and after loadgen, its resident memory before idle connections and while loadgen
 * holds them; latency percentiles come from HdrHistogram fed with loadgen's raw samples.
 */
final class Measure {
    private static final long HIGHEST_NS = 3_600_000_000_000L;

    private Measure() {
    }

    static Measurement run(Target target, Workload workload, int round, boolean warmup) {
        RunningServer server = target.server();
        String runtime = target.runtime();
        String serverId = target.id();
        String transport = target.transport().id();
        if (!server.isAlive()) {
            return failed(round, warmup, runtime, serverId, transport, workload,
                    "server " + serverId + " exited: " + server.evidence());
        }
        long pid = server.pid();
        long rssBefore = workload == Workload.IDLE ? ProcFs.treeRssBytes(pid) : 0;
        long[] rssHeld = {-1};
        long cpuBefore = ProcFs.cpuNanos(pid);
        Loadgen.Result r;
        try {
            r = target.load(workload, () -> rssHeld[0] = ProcFs.treeRssBytes(pid));
        } catch (BenchException e) {
            String why = server.isAlive() ? e.getMessage() : e.getMessage() + "; " + server.evidence();
            return failed(round, warmup, runtime, serverId, transport, workload, why);
        }
        long cpu = ProcFs.cpuNanos(pid) - cpuBefore;
        Histogram latencies = histogram(r.latenciesNs());
        Map<String, Double> metrics = new LinkedHashMap<>();
        for (Metric m : workload.metrics()) {
            double value = switch (m) {
                case OPS_PER_SEC -> r.opsPerSec();
                case MB_PER_SEC -> r.mbPerSec();
                case CLIENT_CPU_PER_OP -> r.clientCpuPerOpNs();
                case SERVER_CPU_PER_OP -> cpuBefore < 0 || r.ops() == 0 ? Double.NaN : (double) cpu / r.ops();
                case P50 -> percentile(latencies, 50);
                case P90 -> percentile(latencies, 90);
                case P99 -> percentile(latencies, 99);
                case P999 -> percentile(latencies, 99.9);
                case MAX -> latencies == null ? Double.NaN : latencies.getMaxValue();
                case RSS_PER_CONNECTION -> rssBefore < 0 || rssHeld[0] < 0 || r.connections() == 0
                        ? Double.NaN : (double) (rssHeld[0] - rssBefore) / r.connections();
            };
            if (Double.isFinite(value)) {
                metrics.put(m.json(), value);
            }
        }
        return new Measurement(round, warmup, runtime, serverId, transport, workload.id(), r.ops(), r.elapsedNs(),
                r.stoppedBy(), metrics, null);
    }

    private static Measurement failed(int round, boolean warmup, String runtime, String server, String transport,
            Workload workload, String why) {
        return new Measurement(round, warmup, runtime, server, transport, workload.id(), 0, 0, "error", Map.of(), why);
    }

    private static Histogram histogram(long[] samples) {
        if (samples == null || samples.length == 0) {
            return null;
        }
        Histogram h = new Histogram(HIGHEST_NS, 3);
        for (long ns : samples) {
            h.recordValue(Math.max(1, Math.min(ns, HIGHEST_NS)));
        }
        return h;
    }

    private static double percentile(Histogram h, double p) {
        return h == null ? Double.NaN : h.getValueAtPercentile(p);
    }
}
