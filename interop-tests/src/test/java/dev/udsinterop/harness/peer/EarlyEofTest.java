// SPDX-License-Identifier: Apache-2.0
// EarlyEofTest: a server that closes before the client's half-close is early-eof with every client, where the client half-closes after its echo.
package dev.udsinterop.harness.peer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.udsinterop.harness.ProjectLayout;
import dev.udsinterop.harness.fixture.Manifest;
import dev.udsinterop.harness.matrix.ExpectedFailures;
import dev.udsinterop.harness.matrix.MatrixEntry;
import dev.udsinterop.harness.report.CaseResult;
import dev.udsinterop.harness.report.TimingRecorder;
import dev.udsinterop.harness.run.Conformance;
import dev.udsinterop.harness.run.Runner;
import dev.udsinterop.harness.server.BundledServers;
import dev.udsinterop.harness.server.ServerSpec;
import dev.udsinterop.harness.transport.Transport;
import dev.udsinterop.harness.verdict.FailureKind;
import dev.udsinterop.harness.verdict.Status;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * In {@code concurrency.barrier.16x1k} every client has its whole echo before any half-closes,
 * so a server that closes once it has echoed, without waiting for the client's EOF, is seen by
 * every client: the seed server (one read, one write, close) did pass it with all four.
 */
class EarlyEofTest {
    private static final String BARRIER = "concurrency.barrier.16x1k";

    private final ProjectLayout layout = ProjectLayout.fromSystemProperty();
    private final Manifest manifest = Manifest.load(layout.manifest());
    private final List<Peer> clients = Peers.bundled(layout, manifest);

    private ServerSpec server(String id) {
        return BundledServers.all(layout).stream().filter(s -> s.id().equals(id)).findFirst().orElseThrow();
    }

    private CaseResult run(Runner runner, ServerSpec server, Peer client, Transport transport, String caseId)
            throws InterruptedException {
        return runner.run(new MatrixEntry(server, client, transport, Conformance.LOCAL, manifest.find(caseId).orElseThrow()));
    }

    @Test
    void aServerThatClosesBeforeTheClientsHalfCloseIsEarlyEofWithEveryClientOnBothTransports() throws Exception {
        try (Runner runner = new Runner(ExpectedFailures.NONE, new TimingRecorder(), 1.0)) {
            for (Transport transport : List.of(Transport.UNIX, Transport.TCP)) { // the seed server's
                for (Peer client : clients) {
                    CaseResult r = run(runner, server("go-seed"), client, transport, BARRIER);
                    String what = client.id() + " / " + transport.id() + ": " + r.failure();
                    assertThat(r.status()).as(what).isEqualTo(Status.FAILED);
                    assertThat(r.failure().kind()).as(what).isEqualTo(FailureKind.EARLY_EOF);
                    assertThat(r.failure().message()).as(what).matches("read " + client.id() + " " + transport.id()
                            + ":\\S+: connection \\d+: all 1024 bytes came back, but the server closed before the client's half-close");
                }
            }
        }
    }

    @Test
    void aServerThatWaitsForTheClientsEofPassesWithEveryClient() throws Exception {
        try (Runner runner = new Runner(ExpectedFailures.NONE, new TimingRecorder(), 1.0)) {
            for (Transport transport : List.of(Transport.UNIX, Transport.TCP)) { // the seed server's
                for (Peer client : clients) {
                    CaseResult r = run(runner, server("go-echo"), client, transport, BARRIER);
                    assertThat(r.status()).as(client.id() + " / " + transport.id() + ": " + r.failure()).isEqualTo(Status.PASSED);
                }
            }
        }
    }

    @Test
    void whereTheClientHalfClosesRightAfterWritingOrNeverTheSeedServerStillPasses() throws Exception {
        // An EOF that beats a half-close the client sends right after its writes is a race the client cannot judge
        // the same way twice, and a client that does not half-close reads no EOF: neither is early-eof.
        try (Runner runner = new Runner(ExpectedFailures.NONE, new TimingRecorder(), 1.0)) {
            for (Peer client : clients) {
                for (String caseId : List.of("concurrency.64x1k", "echo.hello.no-half-close")) {
                    CaseResult r = run(runner, server("go-seed"), client, Transport.UNIX, caseId);
                    assertThat(r.status()).as(client.id() + " / " + caseId + ": " + r.failure()).isEqualTo(Status.PASSED);
                }
            }
        }
    }
}
