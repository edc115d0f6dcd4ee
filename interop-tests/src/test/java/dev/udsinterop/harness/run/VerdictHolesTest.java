// SPDX-License-Identifier: Apache-2.0
// VerdictHolesTest: the holes a review found in the verdicts, each shown closed against a real broken server (a mutant).
package dev.udsinterop.harness.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.udsinterop.harness.ProjectLayout;
import dev.udsinterop.harness.fixture.Manifest;
import dev.udsinterop.harness.matrix.ExpectedFailures;
import dev.udsinterop.harness.matrix.MatrixEntry;
import dev.udsinterop.harness.mutant.Mutants;
import dev.udsinterop.harness.peer.JdkPeer;
import dev.udsinterop.harness.peer.Peer;
import dev.udsinterop.harness.peer.Peers;
import dev.udsinterop.harness.report.CaseResult;
import dev.udsinterop.harness.report.TimingRecorder;
import dev.udsinterop.harness.server.ServerSpec;
import dev.udsinterop.harness.transport.Transport;
import dev.udsinterop.harness.verdict.Failure;
import dev.udsinterop.harness.verdict.FailureKind;
import dev.udsinterop.harness.verdict.Status;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;

class VerdictHolesTest {
    private final ProjectLayout layout = ProjectLayout.fromSystemProperty();
    private final Manifest manifest = Manifest.load(layout.manifest());
    private final List<Peer> clients = Peers.bundled(layout, manifest);
    private final Peer jdk = new JdkPeer(manifest.payloads());

    private ServerSpec mutant(String bug) {
        return Mutants.named(layout, bug).server();
    }

    private CaseResult run(Runner runner, ServerSpec server, Peer client, String caseId) throws InterruptedException {
        return runner.run(new MatrixEntry(server, client, Transport.UNIX, Conformance.LOCAL, manifest.find(caseId).orElseThrow()));
    }

    @Test
    void concurrencyIsProvenByClientsThatHoldTheirConnectionsOpen() throws Exception {
        // A server that serves one client at a time passes the cases whose clients close once served...
        ServerSpec serial = mutant("serial");
        try (Runner runner = new Runner(ExpectedFailures.NONE, new TimingRecorder(), 0.3)) {
            for (Peer client : clients) {
                assertThat(run(runner, serial, client, "concurrency.64x1k").status()).as(client.id()).isEqualTo(Status.PASSED);
                CaseResult r = run(runner, serial, client, "concurrency.barrier.16x1k");
                // ...and fails the barrier case with every client, all of them connected at once.
                assertThat(r.status()).as(client.id()).isEqualTo(Status.FAILED);
                assertThat(r.failure().kind()).as(client.id() + ": " + r.failure().message()).isEqualTo(FailureKind.TIMEOUT);
            }
        }
    }

    @Test
    void aFloodingServerIsCutOffAndReportedAsExtraBytes() throws Exception {
        ServerSpec flood = mutant("flood");
        // The deadline is long: the verdict must come from the cap, not from the clock.
        try (Runner runner = new Runner(ExpectedFailures.NONE, new TimingRecorder(), 3.0)) {
            for (Peer client : clients) {
                CaseResult r = run(runner, flood, client, "echo.hello");
                assertThat(r.status()).as(client.id()).isEqualTo(Status.FAILED);
                assertThat(r.failure().kind()).as(client.id() + ": " + r.failure().message()).isEqualTo(FailureKind.EXTRA_BYTES);
                assertThat(r.failure().message()).as(client.id()).contains("extra bytes: received at least ");
                assertThat(r.durationMs()).as(client.id()).isLessThan(15_000);
            }
            CaseResult paused = run(runner, flood, jdk, "robustness.paused-client");
            assertThat(paused.failure().kind()).as(paused.failure().message()).isEqualTo(FailureKind.EXTRA_BYTES);
        }
    }

    @Test
    void everyFailureMessageHasTheOneShapeWithTheEvidenceAfterIt() throws Exception {
        ServerSpec noEof = mutant("no-eof");
        try (Runner runner = new Runner(ExpectedFailures.NONE, new TimingRecorder(), 0.1)) {
            for (Peer client : clients) {
                Failure f = run(runner, noEof, client, "echo.hello").failure();
                assertThat(f.kind()).as(client.id() + ": " + f.message()).isEqualTo(FailureKind.NO_EOF);
                // op peer address: cause
                assertThat(f.message()).matches("read " + client.id() + " unix:/\\S+/echo\\.sock: "
                        + "(connection 0: )?all 5 bytes came back, but no EOF after the half-close");
                assertThat(f.detail()).contains("mutant-no-eof is running");
            }
            Failure sigterm = run(runner, mutant("keep-socket"), jdk, "lifecycle.sigterm").failure();
            assertThat(sigterm.kind()).isEqualTo(FailureKind.FILE_LEFT);
            assertThat(sigterm.message()).matches("stop mutant-keep-socket unix:/\\S+/echo\\.sock: SIGTERM: the socket file is still "
                    + "there after a clean exit");
        }
    }

    /**
     * A socat echo server that stops itself (SIGTERM to the listener) once {@code connections} connections that sent
     * something have ended: each of them gets its whole echo and its EOF, and the server is gone after the last.
     * A connection that sends nothing (the readiness check's) does not count.
     */
    static ServerSpec diesAfter(int connections) {
        String script = "echo $$ > \"$0.pid\"; exec socat UNIX-LISTEN:\"$0\",fork SYSTEM:\""
                + "head -c 1 > $0.b\\$\\$; [ -s $0.b\\$\\$ ] || exit 0; cat $0.b\\$\\$ -; echo >> $0.count; "
                + "[ \\$(wc -l < $0.count) -lt " + connections + " ] || kill \\$(cat $0.pid)\"";
        return ServerSpec.of("dies-after-" + connections, "socat echo that stops after " + connections + " connections",
                List.of("sh", "-c", script, ServerSpec.UNIX));
    }

    @Test
    void aServerThatDiesDuringAScenarioFailsIt() throws Exception {
        // fd-baseline: the first echo and 200 connections; the server is gone once the last of them ended.
        // paused-client: the other client and the paused one; the server is gone once the paused one has its echo.
        Map<String, Integer> connections = new LinkedHashMap<>();
        connections.put("lifecycle.fd-baseline", 201);
        connections.put("robustness.paused-client", 2);
        SoftAssertions softly = new SoftAssertions();
        try (Runner runner = new Runner(ExpectedFailures.NONE, new TimingRecorder(), 1.0)) {
            for (var c : connections.entrySet()) {
                CaseResult r = run(runner, diesAfter(c.getValue()), jdk, c.getKey());
                softly.assertThat(r.status()).as(c.getKey()).isEqualTo(Status.FAILED);
                if (r.failure() != null) {
                    softly.assertThat(r.failure().kind()).as(c.getKey() + ": " + r.failure().message())
                            .isEqualTo(FailureKind.SERVER_DIED);
                    softly.assertThat(r.failure().message()).as(c.getKey()).matches("probe dies-after-\\d+ unix:/\\S+/echo\\.sock: "
                            + "after (the case|\\d+ connections): the server exited with status \\d+");
                }
            }
        }
        softly.assertAll();
    }

    @Test
    void underCiOrRequireAllASkipFailsTheRun() {
        CaseResult skipped = new CaseResult("java", "nc", "unix", "local", "echo.hello", Status.SKIPPED, 0, null, null,
                Failure.of(FailureKind.SKIPPED, "run", "nc", "unix", "nc is not installed: run ./uds-interop setup"), null);
        assertThat(SkipPolicy.of(false, Map.of()).apply(skipped)).isSameAs(skipped);
        for (SkipPolicy strict : List.of(SkipPolicy.of(false, Map.of("CI", "true")), SkipPolicy.of(true, Map.of()))) {
            CaseResult r = strict.apply(skipped);
            assertThat(r.status()).isEqualTo(Status.FAILED);
            assertThat(r.failure().kind()).isEqualTo(FailureKind.SKIPPED);
            assertThat(r.failure().message()).isEqualTo("run nc unix: skipped, and every case must run under "
                    + strict.requiredBy() + ": nc is not installed: run ./uds-interop setup");
        }
    }
}
