// SPDX-License-Identifier: Apache-2.0
// MatrixRunTest: a pass over a matrix against real servers: what retries may and may not turn a failure into.
package dev.udsinterop.harness.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.udsinterop.harness.ProjectLayout;
import dev.udsinterop.harness.container.ContainerRuntimes;
import dev.udsinterop.harness.fixture.InteropCase;
import dev.udsinterop.harness.fixture.Manifest;
import dev.udsinterop.harness.matrix.ExpectedFailures;
import dev.udsinterop.harness.matrix.Matrix;
import dev.udsinterop.harness.matrix.MatrixEntry;
import dev.udsinterop.harness.peer.Exchange;
import dev.udsinterop.harness.peer.JdkPeer;
import dev.udsinterop.harness.peer.Peer;
import dev.udsinterop.harness.report.CaseResult;
import dev.udsinterop.harness.runtime.RuntimeKind;
import dev.udsinterop.harness.server.BundledServers;
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
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
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

    /**
     * Two clients that meet only if their entries run at the same time: the container entry's client waits, when the
     * runner asks it whether it is installed, until the local entry's client has exchanged, and that one waits for
     * the question before it exchanges. One after the other, each would wait its 20 s in vain.
     */
    private static final class Meeting {
        final CountDownLatch asked = new CountDownLatch(1);
        final CountDownLatch exchanged = new CountDownLatch(1);
        volatile boolean met = true;

        void await(CountDownLatch latch) {
            try {
                met &= latch.await(20, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                met = false;
            }
        }
    }

    @Test
    void theLocalEntriesRunBesideTheDockerOnesAndTheRecordKeepsTheMatrixOrder() throws Exception {
        ProjectLayout layout = ProjectLayout.fromSystemProperty();
        ServerSpec goEcho = BundledServers.all(layout).stream().filter(s -> s.id().equals("go-echo")).findFirst().orElseThrow();
        JdkPeer jdk = new JdkPeer(manifest.payloads());
        Meeting meeting = new Meeting();
        Peer inContainer = new Peer() {
            @Override
            public String id() {
                return "java";
            }

            @Override
            public String unsupported(InteropCase c) {
                meeting.asked.countDown();
                meeting.await(meeting.exchanged);
                return null;
            }

            @Override
            public Exchange exchange(Endpoint endpoint, InteropCase c, Duration timeout) {
                throw new AssertionError("a container entry does not exchange here: Docker is unavailable to this runner");
            }
        };
        Peer local = new Peer() {
            @Override
            public String id() {
                return "java";
            }

            @Override
            public Exchange exchange(Endpoint endpoint, InteropCase c, Duration timeout) throws InterruptedException {
                meeting.await(meeting.asked);
                try {
                    return jdk.exchange(endpoint, c, timeout);
                } finally {
                    meeting.exchanged.countDown();
                }
            }
        };
        InteropCase hello = manifest.find("echo.hello").orElseThrow();
        InteropCase empty = manifest.find("echo.empty").orElseThrow();
        String container = RuntimeKind.CONTAINER.id();
        List<MatrixEntry> entries = List.of(
                new MatrixEntry(goEcho, inContainer, Transport.UNIX, container, hello),
                new MatrixEntry(goEcho, local, Transport.UNIX, Conformance.LOCAL, hello),
                new MatrixEntry(goEcho, jdk, Transport.UNIX, container, empty),
                new MatrixEntry(goEcho, jdk, Transport.UNIX, Conformance.LOCAL, empty));
        RunRecord record = new RunRecord();
        ContainerRuntimes docker = ContainerRuntimes.unavailable(layout, "no Docker for this test", false);
        try (Runner runner = new Runner(ExpectedFailures.NONE, record.timings(), 1.0, true, docker)) {
            pass(0).run(Matrix.of(entries), runner, record);
        }
        String out = console.toString(StandardCharsets.UTF_8);
        assertThat(meeting.met).as("the local entry ran while the container entry was under way: " + out).isTrue();
        assertThat(record.results()).extracting(r -> r.runtime() + " " + r.caseId() + " " + r.status().json())
                .as(out).containsExactly("container echo.hello skipped", "local echo.hello passed",
                        "container echo.empty skipped", "local echo.empty passed");
    }
}
