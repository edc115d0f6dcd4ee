// SPDX-License-Identifier: Apache-2.0
// TimingRecorderTest: percentiles from HdrHistogram, series kept apart, deterministic order, safe across threads.
package dev.udsinterop.harness.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class TimingRecorderTest {

    @Test
    void summarisesOneToAThousandNanoseconds() {
        TimingRecorder recorder = new TimingRecorder();
        List<Long> samples = new ArrayList<>();
        for (long n = 1; n <= 1000; n++) {
            samples.add(n);
        }
        Collections.shuffle(samples, new Random(42));
        samples.forEach(n -> recorder.record("connect", "java", "nc", "unix", "local", n));

        List<Timing> timings = recorder.summaries();

        assertThat(timings).hasSize(1);
        Timing t = timings.getFirst();
        assertThat(t.workload()).isEqualTo("connect");
        assertThat(t.samples()).isEqualTo(1000);
        assertThat(t.min()).isEqualTo(1);
        assertThat(t.max()).isEqualTo(1000);
        // Three significant digits: within 0.1%, so to the nanosecond at these values.
        assertThat(t.p50()).isCloseTo(500, within(1L));
        assertThat(t.p90()).isCloseTo(900, within(1L));
        assertThat(t.p99()).isCloseTo(990, within(1L));
        assertThat(t.mean()).isCloseTo(500.5, within(0.5));
    }

    @Test
    void keepsLargeValuesWithinHdrHistogramPrecision() {
        TimingRecorder recorder = new TimingRecorder();
        recorder.record("exchange", "go", "jdk", "tcp", "local", 4_123_456_789L);

        Timing t = recorder.summaries().getFirst();

        assertThat(t.max()).isCloseTo(4_123_456_789L, within(4_123_456L));
        assertThat(t.p50()).isCloseTo(4_123_456_789L, within(4_123_456L));
    }

    @Test
    void ignoresNegativeSamples() {
        TimingRecorder recorder = new TimingRecorder();
        recorder.record("connect", "java", "nc", "unix", "local", -5);
        assertThat(recorder.summaries()).isEmpty();

        recorder.record("connect", "java", "nc", "unix", "local", 0);
        recorder.record("connect", "java", "nc", "unix", "local", -1);
        assertThat(recorder.summaries()).singleElement().satisfies(t -> {
            assertThat(t.samples()).isEqualTo(1);
            assertThat(t.min()).isZero();
        });
    }

    @Test
    void keepsSeriesApartAndSortsThemByServerClientTransportRuntimeWorkload() {
        TimingRecorder recorder = new TimingRecorder();
        recorder.record("exchange", "java", "socat", "unix", "local", 7);
        recorder.record("connect", "java", "socat", "unix", "local", 3);
        recorder.record("connect", "java", "nc", "unix", "local", 100);
        recorder.record("connect", "java", "nc", "tcp", "local", 200);
        recorder.record("connect", "go", "socat", "unix", "local", 300);
        recorder.record("connect", "java", "nc", "unix", "docker", 400);
        recorder.record("connect", "java", "nc", "unix", "local", 102);

        List<String> order = recorder.summaries().stream()
                .map(t -> String.join(" ", t.server(), t.client(), t.transport(), t.runtime(), t.workload())
                        + " n=" + t.samples() + " max=" + t.max())
                .toList();

        assertThat(order).containsExactly(
                "go socat unix local connect n=1 max=300",
                "java nc tcp local connect n=1 max=200",
                "java nc unix docker connect n=1 max=400",
                "java nc unix local connect n=2 max=102",
                "java socat unix local connect n=1 max=3",
                "java socat unix local exchange n=1 max=7");
    }

    @Test
    void countsEverySampleRecordedFromManyThreads() throws Exception {
        TimingRecorder recorder = new TimingRecorder();
        int threads = 8;
        int perThread = 20_000;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                String client = i % 2 == 0 ? "nc" : "socat";
                done.add(pool.submit(() -> {
                    for (int n = 1; n <= perThread; n++) {
                        recorder.record("connect", "java", client, "unix", "local", n);
                    }
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }

        assertThat(recorder.summaries()).hasSize(2)
                .allSatisfy(t -> assertThat(t.samples()).isEqualTo((long) threads / 2 * perThread));
    }
}
