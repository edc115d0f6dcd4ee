// SPDX-License-Identifier: Apache-2.0
// BenchQuickTest: a real `bench --quick` against every server: the report is complete, valid and readable; never a time.
package dev.udsinterop.harness.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.udsinterop.harness.bench.BenchReport.Cell;
import dev.udsinterop.harness.container.Docker;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Runs the benchmark once, as small as it goes (one warm-up and one measured round of the quick budgets), and
 * checks only what must hold whatever the machine's speed: every server x workload x transport was measured,
 * here and, where Docker answers, between containers (else those rows are skipped with the reason), the report
 * follows its schema and reads back, the page is self-contained, no container is left. No figure is judged.
 */
class BenchQuickTest {
    private static final List<String> SERVERS = List.of("java", "go-echo", "c-epoll", "python", "node", "rust", "socat");
    private static final List<Workload> IN_CONTAINERS = List.of(Workload.SEED, Workload.PINGPONG);
    private static final String NO_DOCKER = Docker.unavailable();

    @TempDir
    static Path out;
    static int status;
    static String console;
    static BenchReport report;

    @BeforeAll
    static void runQuickBench() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream saved = System.out;
        System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        try {
            status = new CommandLine(new BenchCommand()).execute("--quick", "--warmup", "1", "--rounds", "1",
                    "--out", out.toString());
        } finally {
            System.setOut(saved);
        }
        console = bytes.toString(StandardCharsets.UTF_8);
        saved.print(console);
        report = BenchJson.read(out.resolve(BenchJson.FILE_NAME));
    }

    @Test
    void everyServerWorkloadAndTransportIsMeasured() {
        assertThat(status).as(console).isZero();
        assertThat(report.skipped()).allSatisfy(s -> assertThat(s.runtime()).isEqualTo(BenchReport.CONTAINER));
        assertThat(report.measurements()).allSatisfy(m -> assertThat(m.error()).isNull());
        assertThat(missing(BenchReport.LOCAL, List.of(Workload.values()))).isEmpty();
        int containerRows = NO_DOCKER == null ? SERVERS.size() * IN_CONTAINERS.size() * 2 : 0;
        assertThat(report.measurements()).hasSize(2 * (SERVERS.size() * Workload.values().length * 2 + containerRows));
    }

    @Test
    void everyServerIsMeasuredBetweenContainersOrSkippedWithTheReason() {
        if (NO_DOCKER != null) {
            assertThat(report.skipped()).hasSize(SERVERS.size() * IN_CONTAINERS.size() * 2)
                    .allSatisfy(s -> assertThat(s.reason()).isEqualTo("Docker is not available: " + NO_DOCKER));
            assertThat(console).contains("SKIPPED the container rows: Docker is not available");
            return;
        }
        assertThat(report.skipped()).isEmpty();
        assertThat(report.method().runtimes()).containsExactly(BenchReport.LOCAL, BenchReport.CONTAINER);
        assertThat(missing(BenchReport.CONTAINER, IN_CONTAINERS)).isEmpty();
        assertThat(report.cells()).filteredOn(c -> c.runtime().equals(BenchReport.CONTAINER))
                .allSatisfy(c -> assertThat(IN_CONTAINERS).extracting(Workload::id).contains(c.workload()));
        assertThat(report.servers()).allSatisfy(p -> assertThat(p.containers()).containsOnlyKeys("unix", "tcp"));
        assertThat(report.headline()).extracting(BenchReport.Headline::label).contains(
                "UDS/TCP client CPU per seed op between containers, java",
                "UDS/TCP pingpong p50 between containers, c-epoll");
        assertThat(console).contains("[container] seed / unix / opsPerSec", "[container] pingpong / tcp / p50Ns");
    }

    @Test
    void theRunLeavesNoContainerVolumeOrNetwork() throws Exception {
        if (NO_DOCKER != null) {
            return; // nothing was created
        }
        String owner = "label=" + Docker.OWNER + "=" + ProcessHandle.current().pid();
        for (List<String> list : List.of(List.of("ps", "-a"), List.of("volume", "ls"), List.of("network", "ls"))) {
            List<String> command = new ArrayList<>(List.of("docker"));
            command.addAll(list);
            command.addAll(List.of("-q", "--filter", owner));
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).as(String.join(" ", command) + ": " + out).isZero();
            assertThat(out).as(String.join(" ", command)).isEmpty();
        }
    }

    /** Returns the figures of {@code runtime} the report lacks, as runtime/server/transport/workload/metric. */
    private static List<String> missing(String runtime, List<Workload> workloads) {
        List<String> missing = new ArrayList<>();
        for (String server : SERVERS) {
            for (Workload w : workloads) {
                for (String t : List.of("unix", "tcp")) {
                    for (Metric m : w.metrics()) {
                        boolean there = report.cells().stream().anyMatch(c -> c.runtime().equals(runtime)
                                && c.server().equals(server) && c.transport().equals(t) && c.workload().equals(w.id())
                                && c.metric().equals(m.json()));
                        if (!there) {
                            missing.add(runtime + "/" + server + "/" + t + "/" + w.id() + "/" + m.json());
                        }
                    }
                }
            }
        }
        return missing;
    }

    @Test
    void warmUpIsRunFirstAndLeftOut() {
        assertThat(report.method().warmupRounds()).isEqualTo(1);
        assertThat(report.method().order()).hasSize(2);
        assertThat(report.method().order().get(1)).isNotEqualTo(report.method().order().get(0)); // rotated
        assertThat(report.cells()).allSatisfy(c -> assertThat(c.rounds()).isEqualTo(1));
        assertThat(report.measurements().stream().filter(BenchReport.Measurement::warmup)).hasSize(report.measurements().size() / 2);
        assertThat(console).contains("round 1/2 (warm-up, discarded)").contains("round 2/2:");
    }

    @Test
    void theHeadlineComparesJavaWithGoAndCAndUdsWithTcp() {
        assertThat(report.headline()).extracting(BenchReport.Headline::label)
                .contains("UDS/TCP client CPU per seed op, java", "Java/Go seed opsPerSec", "Java/C seed opsPerSec",
                        "RSS per idle connection (B), java");
        assertThat(report.serverRatios()).allSatisfy(r -> assertThat(r.median()).isPositive());
        assertThat(report.machine().gcc()).isNotEqualTo("unknown");
    }

    @Test
    void thePageIsSelfContained() throws Exception {
        String html = Files.readString(out.resolve(BenchHtml.FILE_NAME));
        assertThat(html).contains("<svg", "Headline", "UDS/TCP client CPU per seed op, java", "Across containers")
                .doesNotContain("<script", "src=", "href=");
        assertThat(html.replace("http://www.w3.org/2000/svg", "")).doesNotContain("http://", "https://");
    }

    @Test
    void aRunComparedWithItselfHasNothingMovedAndAShiftedFigureMoves() {
        Path file = out.resolve(BenchJson.FILE_NAME);
        assertThat(Baseline.compare(report, report, file).baseline().moved()).isZero();
        Cell first = report.cells().get(0);
        double shift = Math.max(1, 2 * (first.max() - first.min()) + Math.abs(first.median()));
        List<Cell> cells = new ArrayList<>(report.cells());
        cells.set(0, new Cell(first.runtime(), first.server(), first.transport(), first.workload(), first.metric(), first.unit(),
                first.higherIsBetter(), first.median() + shift, first.min() + shift, first.max() + shift, first.rounds(),
                first.modes(), null));
        BenchReport shifted = new BenchReport(report.schemaVersion(), report.runId(), report.startedAt(),
                report.finishedAt(), report.machine(), report.method(), report.servers(), report.headline(), cells,
                report.serverRatios(), report.transportRatios(), report.measurements(), report.skipped(), null);
        BenchReport compared = Baseline.compare(shifted, report, file);
        assertThat(compared.baseline().moved()).isEqualTo(1);
        assertThat(compared.cells().get(0).baseline().direction()).isEqualTo(first.higherIsBetter() ? "better" : "worse");
        assertThat(BenchJson.validate(BenchJson.toJson(compared))).isEmpty();
    }
}
