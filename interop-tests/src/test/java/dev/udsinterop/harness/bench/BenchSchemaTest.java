// SPDX-License-Identifier: Apache-2.0
// BenchSchemaTest: bench.schema.json accepts what BenchJson writes and rejects each kind of mistake, by location.
package dev.udsinterop.harness.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.udsinterop.harness.bench.BenchReport.Cell;
import dev.udsinterop.harness.bench.BenchReport.Measurement;
import dev.udsinterop.harness.report.Environment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BenchSchemaTest {

    static BenchReport sample() {
        List<Measurement> ms = List.of(
                new Measurement(0, true, "local", "java", "unix", "seed", 100, 1_000_000, "count", Map.of("opsPerSec", 1000.0), null),
                new Measurement(1, false, "local", "java", "unix", "seed", 100, 1_000_000, "time", Map.of("opsPerSec", 900.0), null),
                new Measurement(1, false, "local", "go-echo", "unix", "seed", 0, 0, "error", Map.of(), "loadgen: seed: refused"));
        return report(ms, List.of("local"), List.of());
    }

    /** Returns a report of {@code ms} as the harness summarises them. */
    static BenchReport report(List<Measurement> ms, List<String> runtimes, List<BenchReport.Skip> skipped) {
        Environment env = new Environment("Linux", "6.1.0", "amd64", "CPU", 2, "25", "go1.19.8", "nc", "socat", "abc");
        Summaries s = new Summaries(ms, runtimes, List.of("java", "go-echo"), List.of(Workload.SEED, Workload.PINGPONG),
                List.of("unix", "tcp"));
        List<Cell> cells = s.cells();
        return new BenchReport(BenchReport.SCHEMA_VERSION, "bench-1", Instant.parse("2026-12-01T03:00:00Z"),
                Instant.parse("2026-12-01T03:01:00Z"), new BenchReport.Machine(env, "gcc 12", "0.1", "0.2"),
                new BenchReport.Method(false, 1, 1, runtimes, List.of(List.of("java", "go-echo"), List.of("go-echo", "java")),
                        Map.of("local", Map.of("seed", List.of("-n", "1"))), "note"),
                List.of(new BenchReport.Participant("java", "the Java server", Map.of("unix", List.of("java", "{unix}")),
                        Map.of("unix", List.of("uds-interop/java-server:1", "--unix", "/sock/java.sock")))),
                Summaries.headline(cells, s.serverRatios(), s.transportRatios()), cells, s.serverRatios(),
                s.transportRatios(), ms, skipped, null);
    }

    @Test
    void theSampleIsValidAndSummarisesOnlyTheMeasuredRounds() {
        BenchReport r = sample();
        assertThat(BenchJson.validate(BenchJson.toJson(r))).isEmpty();
        assertThat(r.cells()).singleElement().satisfies(c -> {
            assertThat(c.median()).isEqualTo(900.0);
            assertThat(c.rounds()).isEqualTo(1);
        });
        assertThat(r.serverRatios()).isEmpty(); // go-echo failed: no ratio from one side
    }

    @Test
    void writeThenReadGivesTheSameReport(@TempDir Path dir) throws Exception {
        Path file = dir.resolve(BenchJson.FILE_NAME);
        BenchJson.write(sample(), file);
        assertThat(BenchJson.toJson(BenchJson.read(file))).isEqualTo(BenchJson.toJson(sample()));
    }

    @Test
    void eachKindOfMistakeIsNamedByItsLocation() {
        expectViolation(j -> ((ObjectNode) j).put("schemaVersion", 3), "/schemaVersion");
        expectViolation(j -> ((ObjectNode) j.get("cells").get(0)).remove("runtime"), "runtime");
        expectViolation(j -> ((ObjectNode) j.get("measurements").get(0)).put("runtime", "cross-server"), "/measurements/0/runtime");
        expectViolation(j -> ((ObjectNode) j.get("measurements").get(0)).put("workload", "udp"), "/measurements/0/workload");
        expectViolation(j -> ((ObjectNode) j.get("cells").get(0)).put("colour", "red"), "colour");
        expectViolation(j -> ((ObjectNode) j.get("cells").get(0)).remove("median"), "median");
        expectViolation(j -> ((ObjectNode) j.get("measurements").get(1).get("metrics")).put("speed", 1), "speed");
        expectViolation(j -> ((ObjectNode) j).put("startedAt", "yesterday"), "/startedAt");
        expectViolation(j -> ((ObjectNode) j).remove("headline"), "headline");
    }

    @Test
    void aBaselineThatIsNotABenchReportIsRefusedWithItsPath(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("old.json"), "{\"schemaVersion\": 1}");
        assertThatThrownBy(() -> BenchJson.read(file)).hasMessageStartingWith("read " + file + ": does not match");
        Path notJson = Files.writeString(dir.resolve("x.json"), "not json");
        assertThatThrownBy(() -> BenchJson.read(notJson)).hasMessageStartingWith("read " + notJson + ": ");
    }

    @Test
    void goodnessIsAboveOneWhenTheSubjectDoesBetter() {
        assertThat(Metric.OPS_PER_SEC.goodness(200, 100)).isEqualTo(2.0);
        assertThat(Metric.P50.goodness(100, 200)).isEqualTo(2.0);
        assertThat(Metric.RSS_PER_CONNECTION.goodness(0, 100)).isNaN();
        assertThat(Summaries.Stats.of(List.of(3.0, 1.0, 2.0, 10.0))).isEqualTo(new Summaries.Stats(2.5, 1.0, 10.0, 4));
    }

    private static void expectViolation(Consumer<JsonNode> breakIt, String location) {
        JsonNode json = BenchJson.toJson(sample());
        breakIt.accept(json);
        assertThat(BenchJson.validate(json)).anySatisfy(v -> assertThat(v).contains(location));
    }
}
