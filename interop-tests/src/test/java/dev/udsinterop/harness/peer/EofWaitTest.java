// SPDX-License-Identifier: Apache-2.0
// EofWaitTest: a server that echoes everything but never closes is no-eof after a short wait of its own, not at the case's deadline.
package dev.udsinterop.harness.peer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.udsinterop.harness.ProjectLayout;
import dev.udsinterop.harness.fixture.InteropCase;
import dev.udsinterop.harness.fixture.Manifest;
import dev.udsinterop.harness.matrix.ExpectedFailures;
import dev.udsinterop.harness.matrix.MatrixEntry;
import dev.udsinterop.harness.mutant.Mutants;
import dev.udsinterop.harness.report.CaseResult;
import dev.udsinterop.harness.report.TimingRecorder;
import dev.udsinterop.harness.run.Conformance;
import dev.udsinterop.harness.run.Runner;
import dev.udsinterop.harness.server.ServerSpec;
import dev.udsinterop.harness.transport.Transport;
import dev.udsinterop.harness.verdict.FailureKind;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * With the whole echo in and the half-close sent, a server that closes at all does so at once;
 * one that never does used to hold every half-close case for its whole deadline (10-60 s),
 * with every client. The wait for EOF is bounded on its own: {@link EofWait#WAIT}, scaled like
 * the deadline.
 */
class EofWaitTest {
    private static final double SCALE = 2.0;

    private final ProjectLayout layout = ProjectLayout.fromSystemProperty();
    private final Manifest manifest = Manifest.load(layout.manifest());
    private final List<Peer> clients = Peers.bundled(layout, manifest);

    @Test
    void aServerThatNeverClosesIsNoEofLongBeforeTheDeadlineWithEveryClientOnBothTransports() throws Exception {
        for (Transport transport : List.of(Transport.UNIX, Transport.TCP)) { // the transports every client speaks
            for (Peer client : clients) {
                assertNoEofLongBeforeTheDeadline(client, transport, "echo.hello");
            }
        }
    }

    @Test
    void anEmptyEchoIsWholeFromTheStartSoItsWaitForEofIsBoundedToo() throws Exception {
        for (Peer client : clients) {
            assertNoEofLongBeforeTheDeadline(client, Transport.UNIX, "echo.empty");
        }
    }

    private void assertNoEofLongBeforeTheDeadline(Peer client, Transport transport, String caseId) throws Exception {
        ServerSpec noEof = Mutants.named(layout, "no-eof").server();
        InteropCase c = manifest.find(caseId).orElseThrow();
        Duration deadline = Duration.ofMillis(Math.round(c.timeoutMs() * SCALE));
        try (Runner runner = new Runner(ExpectedFailures.NONE, new TimingRecorder(), SCALE)) {
            CaseResult r = runner.run(new MatrixEntry(noEof, client, transport, Conformance.LOCAL, c));
            String what = client.id() + " / " + transport.id() + " / " + caseId + ": " + r.failure();
            assertThat(r.failure().kind()).as(what).isEqualTo(FailureKind.NO_EOF);
            // The wait is 2 x 2 s here; half the deadline leaves room for a loaded machine and still tells.
            assertThat(Duration.ofMillis(r.durationMs())).as(what).isLessThan(deadline.dividedBy(2));
        }
    }

    @Test
    void theWaitScalesLikeTheDeadline() {
        InteropCase c = manifest.find("echo.size.16m").orElseThrow(); // 60 s
        assertThat(EofWait.of(c, Duration.ofMillis(c.timeoutMs()))).isEqualTo(EofWait.WAIT);
        assertThat(EofWait.of(c, Duration.ofMillis(c.timeoutMs() * 3L))).isEqualTo(EofWait.WAIT.multipliedBy(3));
        assertThat(EofWait.of(c, Duration.ofMillis(c.timeoutMs() / 10))).isEqualTo(EofWait.WAIT.dividedBy(10));
    }
}
