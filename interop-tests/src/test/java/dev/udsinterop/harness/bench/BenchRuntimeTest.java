// SPDX-License-Identifier: Apache-2.0
// BenchRuntimeTest: the runtime dimension of bench: old reports read as local, baselines match runtimes, no Docker is said, bad --runtime refused.
package dev.udsinterop.harness.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.udsinterop.harness.bench.BenchReport.Cell;
import dev.udsinterop.harness.bench.BenchReport.Measurement;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class BenchRuntimeTest {
    private static final String NO_ENGINE = "no engine (test)";

    /** A real bench.json of schema 1 (java and go-echo, seed and pingpong of a quick run before the container rows). */
    private static Path schemaOne() throws Exception {
        return Path.of(BenchRuntimeTest.class.getResource("bench-v1.json").toURI());
    }

    @Test
    void aReportOfSchemaOneReadsAsLocalAndServesAsABaseline() throws Exception {
        BenchReport old = BenchJson.read(schemaOne());
        assertThat(old.schemaVersion()).isEqualTo(BenchReport.SCHEMA_VERSION);
        assertThat(old.method().runtimes()).containsExactly(BenchReport.LOCAL);
        assertThat(old.method().loadgenArguments()).containsOnlyKeys(BenchReport.LOCAL);
        assertThat(old.cells()).isNotEmpty().allSatisfy(c -> assertThat(c.runtime()).isEqualTo(BenchReport.LOCAL));
        assertThat(old.measurements()).isNotEmpty().allSatisfy(m -> assertThat(m.runtime()).isEqualTo(BenchReport.LOCAL));
        assertThat(old.headline()).isNotEmpty().allSatisfy(h -> assertThat(h.runtime()).isEqualTo(BenchReport.LOCAL));

        BenchReport compared = Baseline.compare(old, old, schemaOne());
        assertThat(compared.cells()).allSatisfy(c -> assertThat(c.baseline()).isNotNull());
        assertThat(compared.baseline().moved()).isZero();
        assertThat(BenchJson.validate(BenchJson.toJson(compared))).isEmpty();
    }

    @Test
    void aBaselineComparesAContainerRowWithTheSameContainerRowOnly(@TempDir Path dir) throws Exception {
        BenchReport before = BenchSchemaTest.report(seed(1000, 500), List.of("local", "container"), List.of());
        BenchReport after = BenchSchemaTest.report(seed(1000, 5000), List.of("local", "container"), List.of());
        Path file = dir.resolve(BenchJson.FILE_NAME);
        BenchJson.write(before, file);

        BenchReport compared = Baseline.compare(after, BenchJson.read(file), file);
        Cell container = cell(compared, "container");
        Cell local = cell(compared, "local");
        assertThat(container.baseline().old()).isEqualTo(500);
        assertThat(container.baseline().moved()).isTrue();
        assertThat(container.baseline().direction()).isEqualTo("better");
        assertThat(local.baseline().old()).isEqualTo(1000);
        assertThat(local.baseline().moved()).isFalse();
        assertThat(compared.baseline().moved()).isEqualTo(1);
    }

    @Test
    void theSidecarHeadlineReadsEachContainerRatioAgainstTheSameRatioHere() {
        List<Measurement> ms = new ArrayList<>();
        for (String runtime : List.of("local", "container")) {
            double tcpCost = runtime.equals("local") ? 2000 : 3000;
            ms.add(seedCpu(runtime, "unix", 1000));
            ms.add(seedCpu(runtime, "tcp", tcpCost));
        }
        BenchReport r = BenchSchemaTest.report(ms, List.of("local", "container"), List.of());
        assertThat(r.headline()).filteredOn(h -> h.runtime().equals("container")).singleElement().satisfies(h -> {
            assertThat(h.label()).isEqualTo("UDS/TCP client CPU per seed op between containers, java");
            assertThat(h.median()).isEqualTo(3.0);
            assertThat(h.against()).isEqualTo("on this machine: 2.00x");
        });
        assertThat(r.headline()).filteredOn(h -> h.runtime().equals("local"))
                .extracting(BenchReport.Headline::label).containsExactly("UDS/TCP client CPU per seed op, java");
        assertThat(BenchJson.validate(BenchJson.toJson(r))).isEmpty();
        assertThat(BenchHtml.render(r)).contains("Across containers", "java seed clientCpuPerOpNs");
    }

    @Test
    void withoutDockerTheContainerRowsAreSkippedWithTheReasonEverywhere(@TempDir Path out) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream saved = System.out;
        int status;
        System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        try {
            status = new CommandLine(new BenchCommand(() -> NO_ENGINE)).execute("--quick", "--warmup", "0", "--rounds", "1",
                    "--servers", "go-echo", "--workloads", "seed,stream", "--transports", "unix", "--out", out.toString());
        } finally {
            System.setOut(saved);
        }
        String console = bytes.toString(StandardCharsets.UTF_8);
        assertThat(status).as(console).isZero();
        String reason = "Docker is not available: " + NO_ENGINE;
        assertThat(console).contains("SKIPPED the container rows: " + reason, "skipped [container] go-echo / unix: " + reason);

        BenchReport report = BenchJson.read(out.resolve(BenchJson.FILE_NAME));
        assertThat(report.method().runtimes()).containsExactly(BenchReport.LOCAL);
        assertThat(report.skipped()).singleElement() // seed only: stream is never a container row
                .isEqualTo(new BenchReport.Skip("container", "go-echo", "unix", "seed", reason));
        assertThat(report.measurements()).hasSize(2).allSatisfy(m -> assertThat(m.runtime()).isEqualTo("local"));
        assertThat(Files.readString(out.resolve(BenchHtml.FILE_NAME))).contains("Across containers", "Not measured: " + reason);
    }

    @Test
    void anExplicitContainerRuntimeWithoutDockerIsABadRequestInOneLine(@TempDir Path out) {
        assertThatThrownBy(() -> call(() -> NO_ENGINE, "--runtime", "container", "--out", out.toString()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("--runtime container: Docker is not available: " + NO_ENGINE);
    }

    @Test
    void workloadsThatAreNotMeasuredInContainersAreRefusedThere(@TempDir Path out) {
        assertThatThrownBy(() -> call(() -> null, "--runtime", "container", "--workloads", "seed,stream", "--out", out.toString()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("--workloads stream: not measured in containers (the container rows are seed and pingpong");
        assertThatThrownBy(() -> call(() -> null, "--runtime", "local,container", "--workloads", "fanin", "--out", out.toString()))
                .hasMessageStartingWith("--workloads fanin: not measured in containers");
        assertThatThrownBy(() -> call(() -> null, "--runtime", "cross-server", "--out", out.toString()))
                .hasMessage("--runtime cross-server: unknown runtime (want local, container)");
    }

    private static void call(java.util.function.Supplier<String> docker, String... args) throws Exception {
        BenchCommand command = new BenchCommand(docker);
        new CommandLine(command).parseArgs(args);
        command.call();
    }

    /** One measured round of java seed over unix here and in a container, at these ops/s. */
    private static List<Measurement> seed(double local, double container) {
        return List.of(new Measurement(0, false, "local", "java", "unix", "seed", 10, 1, "count",
                        Map.of("opsPerSec", local), null),
                new Measurement(0, false, "container", "java", "unix", "seed", 10, 1, "count",
                        Map.of("opsPerSec", container), null));
    }

    private static Measurement seedCpu(String runtime, String transport, double cpuPerOp) {
        return new Measurement(0, false, runtime, "java", transport, "seed", 10, 1, "count",
                Map.of("clientCpuPerOpNs", cpuPerOp), null);
    }

    private static Cell cell(BenchReport r, String runtime) {
        return r.cells().stream().filter(c -> c.runtime().equals(runtime)).findFirst().orElseThrow();
    }
}
