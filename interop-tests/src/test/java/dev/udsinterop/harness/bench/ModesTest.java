// SPDX-License-Identifier: Apache-2.0
// ModesTest: rounds that fall into two modes are told from noisy ones, and the report gives both modes (text, json, html).
package dev.udsinterop.harness.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.udsinterop.harness.bench.BenchReport.Measurement;
import dev.udsinterop.harness.bench.BenchReport.Mode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ModesTest {
    /** Pingpong p50 over tcp per round, µs, as issue 22 measured them on a quiet machine. */
    private static final List<Double> JAVA = List.of(75.0, 73.0, 70.0, 84.0, 85.0, 79.0, 24.0);
    private static final List<Double> C = List.of(78.0, 73.0, 78.0, 73.0, 74.0, 25.0, 24.0);
    private static final List<Double> GO = List.of(23.0, 51.0, 22.0, 23.0, 24.0, 24.0, 24.0);

    @Test
    void theRoundsOfIssue22FallIntoTwoModesEach() {
        assertThat(Modes.of(JAVA)).containsExactly(new Mode(24, 24, 24, 1), new Mode(77, 70, 85, 6));
        assertThat(Modes.of(C)).containsExactly(new Mode(24.5, 24, 25, 2), new Mode(74, 73, 78, 5));
        assertThat(Modes.of(GO)).containsExactly(new Mode(23.5, 22, 24, 6), new Mode(51, 51, 51, 1));
    }

    @Test
    void noisyRoundsAreOneMode() {
        assertThat(Modes.of(List.of(10.0, 11.0, 12.0, 13.0, 16.0))).as("±25 %% noise").isNull();
        assertThat(Modes.of(List.of(10.0, 10.5, 14.0, 14.5))).as("two groups closer than 1.5x").isNull();
        assertThat(Modes.of(List.of(10.0, 30.0))).as("two rounds").isNull();
        assertThat(Modes.of(List.of(0.0, 0.0, 4096.0))).as("a zero: no memory growth").isNull();
    }

    @Test
    void aBimodalFigureIsStatedWithBothModesInTheTextAndTheJsonAndThePage() {
        List<Measurement> ms = new ArrayList<>();
        for (int round = 1; round <= JAVA.size(); round++) {
            ms.add(pingpong(round, "java", JAVA.get(round - 1)));
            ms.add(pingpong(round, "go-echo", GO.get(round - 1)));
        }
        BenchReport report = BenchSchemaTest.report(ms, List.of("local"), List.of());
        assertThat(BenchJson.validate(BenchJson.toJson(report))).as("schema errors").isEmpty();
        assertThat(BenchJson.toJson(report).path("cells").toString()).contains("\"modes\"");

        ByteArrayOutputStream text = new ByteArrayOutputStream();
        BenchTable.print(new PrintStream(text, true, StandardCharsets.UTF_8), report);
        assertThat(text.toString(StandardCharsets.UTF_8))
                .contains("pingpong / tcp / p50Ns, java: 24.0 µs in 1 round, 77.0 µs [70.0 µs-85.0 µs] in 6 rounds")
                .contains("pingpong / tcp / p50Ns, go-echo: 23.5 µs [22.0 µs-24.0 µs] in 6 rounds, 51.0 µs in 1 round");
        assertThat(report.headline()).anySatisfy(h -> assertThat(h.label() + " " + h.transport() + " " + h.against())
                .isEqualTo("Java/Go pingpong p50Ns tcp target >= 1.2; bimodal: java 24.0 µs in 1 round, "
                        + "77.0 µs [70.0 µs-85.0 µs] in 6 rounds; go-echo 23.5 µs [22.0 µs-24.0 µs] in 6 rounds, "
                        + "51.0 µs in 1 round"));
        assertThat(report.headline()).as("p99 and server CPU per op are headline figures")
                .anyMatch(h -> h.label().equals("Java/Go pingpong p99Ns"))
                .anyMatch(h -> h.label().equals("Java/Go pingpong serverCpuPerOpNs") && h.target() == 0);
        assertThat(BenchHtml.render(report)).contains("Bimodal: pingpong / tcp / p50Ns, java: 24.0 µs in 1 round");
    }

    @Test
    void onlyTheFiguresTheHeadlineAndTableShowAreJudged() {
        assertThat(Modes.judged(Workload.PINGPONG, Metric.P50)).isTrue();
        assertThat(Modes.judged(Workload.PINGPONG, Metric.P99)).isTrue();
        assertThat(Modes.judged(Workload.SEED, Metric.OPS_PER_SEC)).isTrue();
        assertThat(Modes.judged(Workload.STREAM, Metric.SERVER_CPU_PER_OP)).isTrue();
        assertThat(Modes.judged(Workload.PINGPONG, Metric.MAX)).isFalse();
        assertThat(Modes.judged(Workload.PINGPONG, Metric.P999)).isFalse();
        assertThat(Modes.judged(Workload.SEED, Metric.CLIENT_CPU_PER_OP)).isFalse();
    }

    private static Measurement pingpong(int round, String server, double p50Micros) {
        return new Measurement(round, false, "local", server, "tcp", "pingpong", 1000, 1_000_000, "count",
                Map.of("p50Ns", p50Micros * 1000, "p99Ns", p50Micros * 4000, "serverCpuPerOpNs", 5000.0), null);
    }
}
