// SPDX-License-Identifier: Apache-2.0
// TimeBoundRoundsTest: a figure whose warm-up ran into loadgen's time bound is measured in fewer rounds; the others in all.
package dev.udsinterop.harness.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.udsinterop.harness.bench.BenchReport.Measurement;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * A real bench of the normal budgets (not --quick), one workload, two servers: socat forks a process pair per
 * connection, so 20000 seed connections never fit its 1.5 s bound and its warm-up is stopped by time; c-epoll's may
 * or may not be, with the machine's load. Which figure got which rounds is judged from the report's own warm-up
 * measurements, never from a time: rounds after {@link BenchRun#TIME_BOUND_ROUNDS} for the time-bound ones only.
 */
class TimeBoundRoundsTest {
    private static final int ROUNDS = BenchRun.TIME_BOUND_ROUNDS + 1;

    @TempDir
    Path out;

    @Test
    void aFigureThatRanIntoTheTimeBoundInItsWarmUpSkipsTheLaterRounds() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream saved = System.out;
        int status;
        System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        try {
            status = new CommandLine(new BenchCommand()).execute("--servers", "socat,c-epoll", "--workloads", "seed",
                    "--transports", "unix", "--runtime", "local", "--warmup", "1", "--rounds", Integer.toString(ROUNDS),
                    "--out", out.toString());
        } finally {
            System.setOut(saved);
        }
        String console = bytes.toString(StandardCharsets.UTF_8);
        assertThat(status).as(console).isZero();
        BenchReport report = BenchJson.read(out.resolve(BenchJson.FILE_NAME));
        for (String server : List.of("socat", "c-epoll")) {
            List<Measurement> of = report.measurements().stream().filter(m -> m.server().equals(server)).toList();
            boolean timeBound = of.stream().anyMatch(m -> m.warmup() && "time".equals(m.stoppedBy()));
            assertThat(of.stream().filter(m -> !m.warmup()).map(Measurement::round).toList()).as(server)
                    .hasSize(timeBound ? BenchRun.TIME_BOUND_ROUNDS : ROUNDS);
            if (server.equals("socat")) {
                assertThat(timeBound).as("socat's warm-up ran into the time bound").isTrue();
            }
        }
        assertThat(report.cells()).filteredOn(c -> c.server().equals("socat"))
                .allSatisfy(c -> assertThat(c.rounds()).isEqualTo(BenchRun.TIME_BOUND_ROUNDS));
        assertThat(report.method().note()).contains("first " + BenchRun.TIME_BOUND_ROUNDS + " rounds only");
    }
}
