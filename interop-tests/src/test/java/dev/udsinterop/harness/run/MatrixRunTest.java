// SPDX-License-Identifier: Apache-2.0
// MatrixRunTest: a pass over a matrix against real servers: what retries may and may not turn a failure into.
package dev.udsinterop.harness.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.udsinterop.harness.ProjectLayout;
import dev.udsinterop.harness.fixture.InteropCase;
import dev.udsinterop.harness.fixture.Manifest;
import dev.udsinterop.harness.matrix.ExpectedFailures;
import dev.udsinterop.harness.matrix.Matrix;
import dev.udsinterop.harness.matrix.MatrixEntry;
import dev.udsinterop.harness.peer.Exchange;
import dev.udsinterop.harness.peer.JdkPeer;
import dev.udsinterop.harness.peer.Peer;
import dev.udsinterop.harness.report.CaseResult;
import dev.udsinterop.harness.server.ServerSpec;
import dev.udsinterop.harness.transport.Endpoint;
import dev.udsinterop.harness.transport.Transport;
import dev.udsinterop.harness.verdict.FailureKind;
import dev.udsinterop.harness.verdict.Status;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class MatrixRunTest {
    /** Cuts every echo to its first byte. */
    static final ServerSpec ONE_BYTE =
            ServerSpec.command("socat UNIX-LISTEN:{unix},fork,unlink-early,unlink-close 'SYSTEM:head -c 1'");

    private final Manifest manifest = Manifest.load(ProjectLayout.fromSystemProperty().manifest());
    private final ByteArrayOutputStream console = new ByteArrayOutputStream();

    /**
     * The JDK client, gone after its first exchange, as a client program that is uninstalled during a run: every
     * later run of a case with it is skipped, with the reason. Its one exchange is the real client's.
     */
    private static final class VanishingClient implements Peer {
        private final JdkPeer jdk;
        private final AtomicBoolean gone = new AtomicBoolean();

        VanishingClient(JdkPeer jdk) {
            this.jdk = jdk;
        }

        @Override
        public String id() {
            return jdk.id();
        }

        @Override
        public String unsupported(InteropCase c) {
            return gone.get() ? "the java client went away during the run" : null;
        }

        @Override
        public Exchange exchange(Endpoint endpoint, InteropCase c, Duration timeout) throws InterruptedException {
            gone.set(true);
            return jdk.exchange(endpoint, c, timeout);
        }
    }

    private RunRecord run(MatrixRun pass, List<MatrixEntry> entries) throws Exception {
        RunRecord record = new RunRecord();
        try (Runner runner = new Runner(ExpectedFailures.NONE, record.timings(), 1.0, true)) {
            pass.run(Matrix.of(entries), runner, record);
        }
        return record;
    }

    private MatrixRun pass(int retries) {
        return new MatrixRun(new PrintStream(console, true, StandardCharsets.UTF_8), retries, 0, Duration.ofMinutes(5),
                new SkipPolicy(null));
    }

    private MatrixEntry entry(ServerSpec server, Peer client, String caseId) {
        return new MatrixEntry(server, client, Transport.UNIX, Conformance.LOCAL, manifest.find(caseId).orElseThrow());
    }

    @Test
    void aRetryThatIsSkippedLeavesTheFailureStanding() throws Exception {
        MatrixEntry e = entry(ONE_BYTE, new VanishingClient(new JdkPeer(manifest.payloads())), "echo.hello");
        List<CaseResult> results = run(pass(2), List.of(e)).results();
        assertThat(results).hasSize(1);
        CaseResult r = results.get(0);
        assertThat(r.status()).as(console.toString(StandardCharsets.UTF_8)).isEqualTo(Status.FAILED);
        assertThat(r.failure().kind()).as(r.failure().message()).isEqualTo(FailureKind.TRUNCATED);
        assertThat(r.attempts()).as("the failed run and the skipped one").isEqualTo(2);
    }
}
