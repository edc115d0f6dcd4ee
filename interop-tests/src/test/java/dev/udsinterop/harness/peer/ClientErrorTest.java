// SPDX-License-Identifier: Apache-2.0
// ClientErrorTest: a client that fails by itself (a program that cannot start, a crashed connection task) is an error, never a server's known failure.
package dev.udsinterop.harness.peer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.udsinterop.harness.ProjectLayout;
import dev.udsinterop.harness.fixture.InteropCase;
import dev.udsinterop.harness.fixture.Manifest;
import dev.udsinterop.harness.matrix.ExpectedFailures;
import dev.udsinterop.harness.matrix.MatrixEntry;
import dev.udsinterop.harness.report.CaseResult;
import dev.udsinterop.harness.report.TimingRecorder;
import dev.udsinterop.harness.run.Conformance;
import dev.udsinterop.harness.run.Runner;
import dev.udsinterop.harness.server.BundledServers;
import dev.udsinterop.harness.server.ServerSpec;
import dev.udsinterop.harness.transport.Endpoint;
import dev.udsinterop.harness.transport.Transport;
import dev.udsinterop.harness.verdict.Failure;
import dev.udsinterop.harness.verdict.FailureKind;
import dev.udsinterop.harness.verdict.Status;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The seed server's known failures name no client: {@code echo.size.4097} is expected to fail as
 * {@code truncated} with any client. A client that failed by itself has no echo either, and
 * must not pass for the server's known bug.
 */
class ClientErrorTest {
    private final ProjectLayout layout = ProjectLayout.fromSystemProperty();
    private final Manifest manifest = Manifest.load(layout.manifest());
    private final ServerSpec seed = BundledServers.all(layout).stream().filter(s -> s.id().equals("go-seed"))
            .findFirst().orElseThrow();

    @Test
    void aClientProgramThatCannotStartIsAnUnexpectedErrorAndNotTheSeedServersKnownTruncation(@TempDir Path dir)
            throws Exception {
        List<BiFunction<Manifest, String, ProcessPeer>> peers = List.of(
                (m, program) -> new NetcatPeer(m.payloads(), program), (m, program) -> new SocatPeer(m.payloads(), program));
        for (BiFunction<Manifest, String, ProcessPeer> make : peers) {
            Path program = Files.createFile(dir.resolve("client"),
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            ProcessPeer client = make.apply(manifest, program.toString());
            Files.delete(program); // there when the peer was made, gone when it starts a connection
            assertThat(client.unsupported(manifest.find("echo.size.4097").orElseThrow())).as("the program was there").isNull();

            CaseResult r;
            try (Runner runner = new Runner(ExpectedFailures.load(layout.expectedFailures()), new TimingRecorder(), 1.0)) {
                r = runner.run(new MatrixEntry(seed, client, Transport.UNIX, Conformance.LOCAL,
                        manifest.find("echo.size.4097").orElseThrow()));
            }
            assertThat(r.status()).as(client.id() + ": " + r.failure()).isEqualTo(Status.FAILED);
            assertThat(r.failure().kind()).as(client.id() + ": " + r.failure().message()).isEqualTo(FailureKind.ERROR);
            assertThat(r.failure().message()).as(client.id())
                    .startsWith("start " + client.id() + " unix:")
                    .contains(program.toString())
                    .endsWith("[error; the known failure expects truncated: one Read of at most 4096 bytes, one Write, then close: "
                            + "payloads over 4096 bytes are cut short]");
        }
    }

    @Test
    void aConnectionTaskThatCrashesIsAnErrorWhateverItsEchoLooksLike() throws Exception {
        InteropCase c = manifest.find("concurrency.64x1k").orElseThrow();
        Endpoint nowhere = Endpoint.unix(Path.of("/nonexistent/echo.sock"));
        Exchange x = Fanout.run("java", nowhere, c, manifest.payloads(), (payload, party) -> {
            throw new IllegalStateException("a bug in the client");
        });
        Failure f = x.failure();
        assertThat(f.kind()).as(f.message()).isEqualTo(FailureKind.ERROR);
        assertThat(f.message()).isEqualTo("run java unix:/nonexistent/echo.sock: connection 0: "
                + "java.lang.IllegalStateException: a bug in the client");
    }
}
