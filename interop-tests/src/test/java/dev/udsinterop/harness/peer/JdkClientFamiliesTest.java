// SPDX-License-Identifier: Apache-2.0
// JdkClientFamiliesTest: the JDK client's verdicts on the sockets beyond byte streams are the Go client's kinds, against the mutants.
package dev.udsinterop.harness.peer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.udsinterop.harness.ProjectLayout;
import dev.udsinterop.harness.fixture.InteropCase;
import dev.udsinterop.harness.fixture.Manifest;
import dev.udsinterop.harness.mutant.Mutants;
import dev.udsinterop.harness.server.ServerProcess;
import dev.udsinterop.harness.transport.Endpoint;
import dev.udsinterop.harness.transport.Transport;
import dev.udsinterop.harness.verdict.FailureKind;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The JDK client (junixsocket) against the mutants of the sockets beyond byte streams, one case each: what it says
 * is wrong is what the Go client says ({@code boundary} for merged messages, {@code descriptors} for descriptors
 * dropped on a stream and on seqpacket, {@code lost} for a dropped datagram), and the message says which message,
 * datagram or descriptor. MutantsTest checks which cases catch each mutant; this checks the kind.
 */
class JdkClientFamiliesTest {
    private final ProjectLayout layout = ProjectLayout.fromSystemProperty();
    private final Manifest manifest = Manifest.load(layout.manifest());
    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0} / {1} / {2}: {3}")
    @CsvSource(delimiter = '|', value = {
            "merge-messages | seqpacket.size.4097 | seqpacket | BOUNDARY | message 0 came back as 8194 bytes, longer than the 4097-byte messages sent: messages merged",
            "merge-messages | abstract.seqpacket | abstract | BOUNDARY | message 0 came back as 2000 bytes",
            "drop-fds | fdpass.stream.eight | abstract | DESCRIPTORS | all 1000 bytes came back, but the descriptors did not: 0 descriptors came back; 8 were sent",
            "drop-fds | fdpass.seqpacket.last | seqpacket | DESCRIPTORS | 0 descriptors came back; 2 were sent",
            "datagram-drop | datagram.echo | datagram | LOST | 1 datagrams never came back (received 50688 of 51200 bytes)",
    })
    void theJdkClientSaysWhatIsWrongInTheGoClientsWords(String bug, String caseId, String transportId, FailureKind kind,
                                                         String says) throws Exception {
        InteropCase c = manifest.find(caseId).orElseThrow();
        Transport transport = Transport.of(transportId);
        JdkPeer java = new JdkPeer(manifest.payloads());
        assertThat(java.lacks(c, transport)).as("java declares %s", caseId).isNull();
        try (ServerProcess server = ServerProcess.start(Mutants.named(layout, bug).server(), dir.resolve("echo.sock"))) {
            for (Transport t : List.of(Transport.UNIX, Transport.SEQPACKET, Transport.DATAGRAM, Transport.ABSTRACT)) {
                server.awaitReady(t, Duration.ofSeconds(30));
            }
            Endpoint endpoint = server.endpoints().stream()
                    .filter(e -> transport == Transport.ABSTRACT ? e.isAbstract() && e.socket().equals(c.socket())
                            : !e.isAbstract() && e.transport() == transport)
                    .findFirst().orElseThrow();
            // half the case's deadline, as the mutants' checks run the datagram bugs: the wait for a lost one is 1 s
            Exchange e = java.exchange(endpoint, c, Duration.ofMillis(c.timeoutMs() / 2));
            assertThat(e.failure()).as("%s on %s", caseId, endpoint).isNotNull();
            assertThat(e.failure().kind()).as("%s", e.failure()).isEqualTo(kind);
            assertThat(e.failure().message()).as("%s", e.failure()).startsWith("read java " + endpoint + ": ").contains(says);
        }
    }
}
