// SPDX-License-Identifier: Apache-2.0
// RunnerTest: the runner's verdicts against real servers: pass, failure with evidence, expected failure, and a known bug fixed.
package dev.udsinterop.harness.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.udsinterop.harness.ProjectLayout;
import dev.udsinterop.harness.container.ContainerRuntimes;
import dev.udsinterop.harness.fixture.Manifest;
import dev.udsinterop.harness.matrix.ExpectedFailures;
import dev.udsinterop.harness.matrix.MatrixEntry;
import dev.udsinterop.harness.peer.JdkPeer;
import dev.udsinterop.harness.report.CaseResult;
import dev.udsinterop.harness.report.TimingRecorder;
import dev.udsinterop.harness.server.BundledServers;
import dev.udsinterop.harness.server.ServerSpec;
import dev.udsinterop.harness.transport.Transport;
import dev.udsinterop.harness.verdict.FailureKind;
import dev.udsinterop.harness.verdict.Status;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunnerTest {
    private final ProjectLayout layout = ProjectLayout.fromSystemProperty();
    private final Manifest manifest = Manifest.load(layout.manifest());
    private final List<ServerSpec> servers = BundledServers.all(layout);

    private MatrixEntry entry(String server, String caseId) {
        ServerSpec spec = servers.stream().filter(s -> s.id().equals(server)).findFirst().orElseThrow();
        return new MatrixEntry(spec, new JdkPeer(manifest.payloads()), Transport.UNIX, "local", manifest.find(caseId).orElseThrow());
    }

    private static ExpectedFailures rule(Path dir, String server, String cases) throws Exception {
        return ExpectedFailures.load(Files.writeString(dir.resolve("expected.json"), """
                {"schemaVersion": 1, "expectedFailures": [{"server": "%s", "cases": "%s", "reason": "known"}]}
                """.formatted(server, cases)));
    }

    private static ExpectedFailures rule(Path dir, String server, String cases, String kind) throws Exception {
        return ExpectedFailures.load(Files.writeString(dir.resolve("expected.json"), """
                {"schemaVersion": 1, "expectedFailures": [{"server": "%s", "cases": "%s", "kind": "%s", "reason": "known"}]}
                """.formatted(server, cases, kind)));
    }

    @Test
    void aKnownFailureOfAnotherKindIsAFailureShowingBothKinds(@TempDir Path dir) throws Exception {
        try (Runner runner = new Runner(rule(dir, "go-seed", "echo.size.4097", "truncated"), new TimingRecorder(), 1.0)) {
            assertThat(runner.run(entry("go-seed", "echo.size.4097")).status()).isEqualTo(Status.EXPECTED_FAILURE);
        }
        try (Runner runner = new Runner(rule(dir, "go-seed", "echo.size.4097", "mismatch"), new TimingRecorder(), 1.0)) {
            CaseResult r = runner.run(entry("go-seed", "echo.size.4097"));
            assertThat(r.status()).isEqualTo(Status.FAILED);
            assertThat(r.failure().kind()).isEqualTo(FailureKind.TRUNCATED);
            assertThat(r.failure().message()).contains("echo ended after 4096 of 4097 bytes")
                    .endsWith("[truncated; the known failure expects mismatch: known]");
        }
        assertThatThrownBy(() -> rule(dir, "go-seed", "echo.size.4097", "short"))
                .hasMessageContaining("unknown kind 'short' (want one of truncated, extra-bytes,");
    }

    @Test
    void aCorrectServerPassesAndItsTimingsAreRecorded() throws Exception {
        TimingRecorder timings = new TimingRecorder();
        try (Runner runner = new Runner(ExpectedFailures.NONE, timings, 1.0)) {
            CaseResult r = runner.run(entry("go-echo", "echo.hello"));
            assertThat(r.status()).isEqualTo(Status.PASSED);
            assertThat(r.bytesSent()).isEqualTo(5);
            assertThat(r.bytesReceived()).isEqualTo(5);
        }
        assertThat(timings.summaries()).extracting(t -> t.workload()).contains("connect", "round-trip");
    }

    @Test
    void theSeedServersShortEchoFailsWithOffsetAndEvidenceUnlessExpected(@TempDir Path dir) throws Exception {
        try (Runner runner = new Runner(ExpectedFailures.NONE, new TimingRecorder(), 1.0)) {
            CaseResult r = runner.run(entry("go-seed", "echo.size.4097"));
            assertThat(r.status()).isEqualTo(Status.FAILED);
            assertThat(r.failure().firstDifferingOffset()).isEqualTo(4096);
            assertThat(r.failure().detail()).contains("go-seed");
        }
        try (Runner runner = new Runner(rule(dir, "go-seed", "echo.size.4097"), new TimingRecorder(), 1.0)) {
            CaseResult r = runner.run(entry("go-seed", "echo.size.4097"));
            assertThat(r.status()).isEqualTo(Status.EXPECTED_FAILURE);
            assertThat(r.expectedFailure()).isEqualTo("known");
        }
    }

    @Test
    void aServerThatDiesAfterAnEchoTheClientLikedFailsTheCase() throws Exception {
        try (Runner runner = new Runner(ExpectedFailures.NONE, new TimingRecorder(), 1.0)) {
            CaseResult r = runner.run(entry("go-seed", "echo.empty"));
            assertThat(r.status()).isEqualTo(Status.FAILED);
            assertThat(r.failure().kind()).isEqualTo(FailureKind.SERVER_DIED);
            assertThat(r.failure().message()).matches("probe go-seed unix:/\\S+/echo.sock: after the case: the server exited with status 1");
            assertThat(r.failure().detail()).contains("go-seed exited with status 1");
            assertThat(runner.run(entry("go-seed", "echo.hello")).status())
                    .as("the next case gets a new server").isEqualTo(Status.PASSED);
        }
    }

    @Test
    void anExpectedFailureThatPassesFailsTheRun(@TempDir Path dir) throws Exception {
        try (Runner runner = new Runner(rule(dir, "java", "echo.hello"), new TimingRecorder(), 1.0)) {
            CaseResult r = runner.run(entry("java", "echo.hello"));
            assertThat(r.status()).isEqualTo(Status.FAILED);
            assertThat(r.failure().message()).startsWith("run java unix: expected to fail (known) but passed");
        }
    }

    @Test
    void withoutDockerAContainerEntryIsSkippedWithTheReasonOrFailsWhereDockerIsRequired() throws Exception {
        MatrixEntry local = entry("go-echo", "echo.hello");
        MatrixEntry inContainer = new MatrixEntry(local.server(), local.client(), local.transport(), "container",
                local.testCase());
        ContainerRuntimes missing = ContainerRuntimes.unavailable(layout, "no engine (test)", false);
        try (Runner runner = new Runner(ExpectedFailures.NONE, new TimingRecorder(), 1.0, true, missing)) {
            CaseResult r = runner.run(inContainer);
            assertThat(r.status()).isEqualTo(Status.SKIPPED);
            assertThat(r.failure().message()).isEqualTo("run " + local.client().id() + " " + local.transport().id()
                    + ": Docker is not available: no engine (test)");
            assertThat(missing.skipReason()).isEqualTo("no engine (test)");
            assertThat(runner.run(local).status()).as("local entries still run").isEqualTo(Status.PASSED);
        }
        ContainerRuntimes required = ContainerRuntimes.unavailable(layout, "no engine (test)", true);
        try (Runner runner = new Runner(ExpectedFailures.NONE, new TimingRecorder(), 1.0, true, required)) {
            CaseResult r = runner.run(inContainer);
            assertThat(r.status()).isEqualTo(Status.FAILED);
            assertThat(r.failure().message()).startsWith("run " + local.client().id() + " " + local.transport().id()
                    + ": Docker is required here (CI=true or --require-docker)");
            assertThat(required.skipReason()).isNull();
        }
    }

    @Test
    void aScenarioFailureCarriesTheServersEvidence() throws Exception {
        try (Runner runner = new Runner(ExpectedFailures.NONE, new TimingRecorder(), 1.0)) {
            CaseResult r = runner.run(entry("go-seed", "lifecycle.sigterm"));
            assertThat(r.status()).isEqualTo(Status.FAILED);
            assertThat(r.failure().kind()).isEqualTo(FailureKind.EXIT_STATUS);
            assertThat(r.failure().message()).matches("stop go-seed unix:/\\S+/echo.sock: SIGTERM: exit status 1, want 0");
        }
    }
}
