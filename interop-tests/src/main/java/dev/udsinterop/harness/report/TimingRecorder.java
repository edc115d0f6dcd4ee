// SPDX-License-Identifier: Apache-2.0
// TimingRecorder: collects latency samples from concurrent cases into one HdrHistogram per series.
package dev.udsinterop.harness.report;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.SynchronizedHistogram;

/**
 * Collects timing samples, in nanoseconds, per series (workload / server / client / transport / runtime), and
 * summarises each as a {@link Timing}. Safe for use by many threads at once. Each series is an auto-resizing
 * HdrHistogram with 3 significant digits, so any value is kept to within 0.1% and memory stays small however
 * many samples there are.
 */
public final class TimingRecorder {

    private static final int SIGNIFICANT_DIGITS = 3;

    private static final Comparator<Series> ORDER = Comparator.comparing(Series::server)
            .thenComparing(Series::client)
            .thenComparing(Series::transport)
            .thenComparing(Series::runtime)
            .thenComparing(Series::workload);

    private record Series(String workload, String server, String client, String transport, String runtime) {
    }

    private final Map<Series, Histogram> series = new ConcurrentHashMap<>();

    /** Creates an empty recorder. */
    public TimingRecorder() {
    }

    /**
     * Records one sample of a series. A negative sample (a clock that went backwards) is ignored.
     *
     * @param workload what was timed, e.g. {@code connect}; not null
     * @param server the server's id; not null
     * @param client the client's id; not null
     * @param transport {@code unix} or {@code tcp}; not null
     * @param runtime e.g. {@code local}; not null
     * @param nanos the sample, in nanoseconds
     */
    public void record(String workload, String server, String client, String transport, String runtime,
            long nanos) {
        Series key = new Series(Objects.requireNonNull(workload, "workload"), Objects.requireNonNull(server, "server"),
                Objects.requireNonNull(client, "client"), Objects.requireNonNull(transport, "transport"),
                Objects.requireNonNull(runtime, "runtime"));
        if (nanos < 0) {
            return;
        }
        series.computeIfAbsent(key, k -> new SynchronizedHistogram(SIGNIFICANT_DIGITS)).recordValue(nanos);
    }

    /**
     * Returns one summary per series that has samples, sorted by server, client, transport, runtime, workload.
     * Samples recorded while this runs may or may not be counted.
     */
    public List<Timing> summaries() {
        List<Timing> timings = new ArrayList<>();
        series.entrySet().stream().sorted(Map.Entry.comparingByKey(ORDER)).forEach(entry -> {
            // A copy is consistent: percentiles of a histogram that is still being written to may not be.
            Histogram h = entry.getValue().copy();
            Series s = entry.getKey();
            if (h.getTotalCount() > 0) {
                timings.add(new Timing(s.workload(), s.server(), s.client(), s.transport(), s.runtime(),
                        h.getTotalCount(), h.getMinValue(), h.getValueAtPercentile(50), h.getValueAtPercentile(90),
                        h.getValueAtPercentile(99), h.getMaxValue(), h.getMean()));
            }
        });
        return timings;
    }
}
