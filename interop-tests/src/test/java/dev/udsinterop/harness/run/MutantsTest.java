// SPDX-License-Identifier: Apache-2.0
// MutantsTest: each mutant, through `check`, is caught by exactly the cases fixtures/mutants.json records (exit 1); the correct servers by none.
package dev.udsinterop.harness.run;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.udsinterop.harness.ProjectLayout;
import dev.udsinterop.harness.mutant.Mutants;
import dev.udsinterop.harness.report.CaseResult;
import dev.udsinterop.harness.report.JsonReport;
import dev.udsinterop.harness.report.MutantVerdict;
import dev.udsinterop.harness.report.Report;
import dev.udsinterop.harness.report.ReportFiles;
import dev.udsinterop.harness.report.Summary;
import dev.udsinterop.harness.server.BundledServers;
import dev.udsinterop.harness.server.ServerSpec;
import dev.udsinterop.harness.transport.Transport;
import dev.udsinterop.harness.verdict.Status;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;

/**
 * The proof that the suite catches broken servers, run as a user would: {@code check
 * --server-cmd} of each mutant (go-reference/cmd/mutant-server, one deliberate bug each),
 * through {@link HarnessCommand#execute}, the same entry as the command line. Each must exit
 * 1, caught by exactly the cases recorded in {@code fixtures/mutants.json}; the bundled servers but the seed
 * server (Java, Go, Python, Node.js, Rust, C) and a socat echo must pass with no failure and no skip, with every client,
 * each declaring what it declares in the matrix ({@code --server-unsupported}: the C server has no descriptor passing).
 * To keep the suite short the checks run {@value #PARALLEL} at a time, over unix only (every
 * bug is one of the echo or the socket file, not of the transport; the bundled matrix covers
 * TCP), the mutants with the clients the catalogue names. The combined report, with its mutants
 * table, goes to {@code target/uds-interop-mutants/}. With {@code -Duds.mutants.record=true}
 * the catalogue is rewritten from what was caught, for review in the diff.
 */
class MutantsTest {
    private static final int PARALLEL = 3;
    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(SerializationFeature.INDENT_OUTPUT);

    private final ProjectLayout layout = ProjectLayout.fromSystemProperty();
    private final Path catalogueFile = layout.home().resolve("fixtures/mutants.json");
    private final Path out = Path.of(System.getProperty("uds.mutants.dir", "target/uds-interop-mutants")).toAbsolutePath();

    /**
     * One mutant's record: the deadline factor its check runs with, the clients if not the catalogue's, and
     * the cases that must catch it.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Entry(String bug, double timeoutScale, String clients, List<String> caughtBy) {
    }

    /** {@code fixtures/mutants.json}. */
    record Catalogue(int schemaVersion, String description, String clients, List<Entry> mutants) {
    }

    /** One check: the server, the options beyond the defaults, and what it returned. */
    private record Check(ServerSpec server, double timeoutScale, boolean strict, int status, Report report) {
    }

    @Test
    void everyMutantIsCaughtByExactlyItsRecordedCasesAndTheCorrectServersByNone() throws Exception {
        Catalogue catalogue = JSON.readValue(catalogueFile.toFile(), Catalogue.class);
        List<Mutants.Mutant> mutants = Mutants.all(layout);
        Map<String, Entry> recorded = catalogue.mutants().stream().collect(Collectors.toMap(Entry::bug, e -> e));
        assertThat(recorded.keySet()).as("every mutant of mutant-server -list has its entry in %s", catalogueFile)
                .containsExactlyInAnyOrderElementsOf(mutants.stream().map(Mutants.Mutant::bug).toList());

        List<Future<Check>> running = new ArrayList<>();
        long start = System.nanoTime();
        try (ExecutorService pool = Executors.newFixedThreadPool(PARALLEL)) {
            // The slowest first, so that the pool ends together.
            mutants.stream().sorted((a, b) -> Double.compare(recorded.get(b.bug()).timeoutScale(), recorded.get(a.bug()).timeoutScale()))
                    .forEach(m -> {
                        Entry e = recorded.get(m.bug());
                        running.add(pool.submit(() -> check(m.server(), e.timeoutScale(), true,
                                e.clients() != null ? e.clients() : catalogue.clients())));
                    });
            for (ServerSpec correct : correctServers()) {
                running.add(pool.submit(() -> check(correct, 1.0, false, null)));
            }
        }
        List<Check> checks = new ArrayList<>();
        for (Future<Check> f : running) {
            checks.add(f.get());
        }
        System.out.printf("MutantsTest: %d checks in %.1f s%n", checks.size(), (System.nanoTime() - start) / 1e9);

        List<MutantVerdict> verdicts = new ArrayList<>();
        SoftAssertions softly = new SoftAssertions();
        for (Mutants.Mutant m : mutants) {
            Check c = checks.stream().filter(x -> x.server().id().equals(m.server().id())).findFirst().orElseThrow();
            List<String> caught = c.report().results().stream().filter(r -> r.status() == Status.FAILED)
                    .map(CaseResult::caseId).distinct().sorted().toList();
            verdicts.add(new MutantVerdict(m.server().id(), m.description(), caught));
            softly.assertThat(c.status()).as("%s: check's exit status", m.server().id()).isEqualTo(1);
            softly.assertThat(caught).as("%s (%s): the cases that catch it", m.server().id(), m.description())
                    .containsExactlyElementsOf(recorded.get(m.bug()).caughtBy());
        }
        for (Check c : checks.subList(mutants.size(), checks.size())) {
            Summary s = c.report().summary();
            softly.assertThat(c.status()).as("%s: check's exit status", c.server().id()).isZero();
            softly.assertThat(s.failed()).as("%s: failures", c.server().id()).isZero();
            softly.assertThat(s.skipped()).as("%s: skips", c.server().id()).isZero();
        }
        writeReport(checks, verdicts);
        if (Boolean.getBoolean("uds.mutants.record")) {
            record(catalogue, verdicts);
        }
        softly.assertAll();
    }

    /** The correct servers: every bundled one but the seed server (Java, Go, Python, Node.js, Rust, C), and a socat echo. */
    private List<ServerSpec> correctServers() {
        List<ServerSpec> bundled = BundledServers.all(layout).stream().filter(s -> !s.id().equals("go-seed")).toList();
        List<ServerSpec> all = new ArrayList<>(bundled);
        all.add(ServerSpec.of("socat", "socat echo", List.of("socat", "UNIX-LISTEN:{unix},fork,unlink-early,unlink-close", "EXEC:cat")));
        return all;
    }

    private Check check(ServerSpec server, double timeoutScale, boolean strict, String clients) throws Exception {
        Path dir = out.resolve(server.id());
        List<String> args = new ArrayList<>(List.of("check", "--server-cmd", commandLine(server.command()), "--name", server.id(),
                "--transports", transports(server), "--timeout-scale", Double.toString(timeoutScale), "--require-all", "--out", dir.toString()));
        if (clients != null) {
            args.addAll(List.of("--clients", clients));
        }
        if (!server.unsupported().isEmpty()) {
            // what a bundled server declares it cannot do (c-epoll: fdpass), as anyone's server declares it to check
            args.addAll(List.of("--server-unsupported", String.join(",", server.unsupported())));
        }
        if (strict) {
            args.add("--strict"); // a mutant caught by a 'should' case is caught all the same
        }
        int status = HarnessCommand.execute(args.toArray(String[]::new));
        return new Check(server, timeoutScale, strict, status, JsonReport.read(dir.resolve(JsonReport.FILE_NAME)));
    }

    /**
     * Returns the transports a check runs on: unix (the bugs are of the echo or the socket file, not of the transport),
     * and a server's seqpacket, datagram and abstract sockets where it has them (the socket bugs' mutants).
     */
    private static String transports(ServerSpec server) {
        return server.transports().stream().filter(t -> t != Transport.TCP).map(Transport::id).collect(Collectors.joining(","));
    }

    /** Returns {@code words} as one command line for --server-cmd, each word single-quoted. */
    private static String commandLine(List<String> words) {
        return words.stream().map(w -> "'" + w.replace("'", "'\\''") + "'").collect(Collectors.joining(" "));
    }

    /** One report of every check, with the mutants table, for people: report.json, report.html, junit.xml. */
    private void writeReport(List<Check> checks, List<MutantVerdict> verdicts) throws Exception {
        List<CaseResult> results = checks.stream().flatMap(c -> c.report().results().stream()).toList();
        Report first = checks.get(0).report();
        Instant started = checks.stream().map(c -> c.report().startedAt()).min(Instant::compareTo).orElseThrow();
        Instant finished = checks.stream().map(c -> c.report().finishedAt()).max(Instant::compareTo).orElseThrow();
        Report all = new Report(Report.SCHEMA_VERSION, first.runId() + "-mutants", started, finished, first.environment(),
                results, List.of(), Summary.of(results), first.manifestSha256()).withMutants(verdicts);
        ReportFiles.writeAll(all, out);
    }

    private void record(Catalogue catalogue, List<MutantVerdict> verdicts) throws Exception {
        Map<String, Entry> updated = new TreeMap<>();
        for (Entry e : catalogue.mutants()) {
            List<String> caught = verdicts.stream().filter(v -> v.server().equals("mutant-" + e.bug())).findFirst()
                    .map(MutantVerdict::caughtBy).orElse(e.caughtBy());
            updated.put(e.bug(), new Entry(e.bug(), e.timeoutScale(), e.clients(), caught));
        }
        Files.writeString(catalogueFile, JSON.writeValueAsString(new Catalogue(catalogue.schemaVersion(), catalogue.description(),
                catalogue.clients(), catalogue.mutants().stream().map(e -> updated.get(e.bug())).toList())) + "\n");
    }
}
