// SPDX-License-Identifier: Apache-2.0
// DatagramReplyNameTest: a datagram client without abstract names is unsupported where its replies cross a mount namespace.
package dev.udsinterop.harness.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.udsinterop.harness.ProjectLayout;
import dev.udsinterop.harness.fixture.Manifest;
import dev.udsinterop.harness.matrix.ExpectedFailures;
import dev.udsinterop.harness.matrix.MatrixEntry;
import dev.udsinterop.harness.peer.DeclaredFeatures;
import dev.udsinterop.harness.peer.ManifestClientPeer;
import dev.udsinterop.harness.report.CaseResult;
import dev.udsinterop.harness.report.TimingRecorder;
import dev.udsinterop.harness.runtime.RuntimeKind;
import dev.udsinterop.harness.server.BundledServers;
import dev.udsinterop.harness.server.ServerSpec;
import dev.udsinterop.harness.transport.Transport;
import dev.udsinterop.harness.verdict.FailureKind;
import dev.udsinterop.harness.verdict.Status;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The Rust client built by Debian bookworm's rustc 1.63 has datagrams but no abstract names, so it binds its reply
 * address as a socket file. In the cross runtimes the server resolves that path in its own mount namespace, where
 * it is not (the bind-mounted directory is /sock on the client's side only): every datagram case of that client
 * failed there with its replies lost (a fresh machine, which installs that rustc, showed it). It is unsupported there,
 * with the client's own reason, and runs where both sides see the same paths.
 */
class DatagramReplyNameTest {
    private final ProjectLayout layout = ProjectLayout.fromSystemProperty();
    private final Manifest manifest = Manifest.load(layout.manifest());

    /** The real Rust client, with what bookworm's rustc 1.63 build of it declares (its -capabilities there). */
    private final ManifestClientPeer rust163 = new ManifestClientPeer("rust-interop",
            List.of(ProjectLayout.require(layout.rustBinary("interop-client")).toString()), layout.manifest(),
            new DeclaredFeatures(Set.of("datagram"), Map.of("seqpacket", "Rust's std has no SOCK_SEQPACKET socket",
                    "abstract", "abstract names need rustc 1.70 or later; this client was built with rustc 1.63.0",
                    "fdpass", "Rust's std cannot pass descriptors"), "rustc 1.63.0"), null);

    private CaseResult run(RuntimeKind runtime) throws Exception {
        ServerSpec goEcho = BundledServers.all(layout).stream().filter(s -> s.id().equals("go-echo")).findFirst()
                .orElseThrow();
        MatrixEntry e = new MatrixEntry(goEcho, rust163, Transport.DATAGRAM, runtime.id(),
                manifest.find("datagram.echo").orElseThrow());
        try (Runner runner = new Runner(ExpectedFailures.NONE, new TimingRecorder(), 1.0)) {
            return runner.run(e);
        }
    }

    @Test
    void acrossTheHostContainerBoundaryItIsUnsupportedWithTheClientsReason() throws Exception {
        for (RuntimeKind runtime : List.of(RuntimeKind.CROSS_CLIENT, RuntimeKind.CROSS_SERVER)) {
            CaseResult r = run(runtime);
            assertThat(r.status()).as(runtime.id()).isEqualTo(Status.UNSUPPORTED);
            assertThat(r.failure().kind()).isEqualTo(FailureKind.UNSUPPORTED);
            assertThat(r.failure().message()).as(runtime.id())
                    .contains("its replies cross a mount namespace")
                    .contains("abstract names need rustc 1.70 or later");
        }
    }

    @Test
    void onThisMachineItsDatagramsRun() throws Exception {
        CaseResult r = run(RuntimeKind.LOCAL);
        assertThat(r.status()).as(r.failure() == null ? "" : r.failure().message()).isEqualTo(Status.PASSED);
    }
}
