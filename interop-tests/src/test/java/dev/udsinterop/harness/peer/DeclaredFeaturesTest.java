// SPDX-License-Identifier: Apache-2.0
// DeclaredFeaturesTest: each polyglot client, and the JDK client, declares what its library allows, runs all of it, and truly lacks the rest.
package dev.udsinterop.harness.peer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.udsinterop.harness.ProjectLayout;
import dev.udsinterop.harness.fixture.InteropCase;
import dev.udsinterop.harness.fixture.Kind;
import dev.udsinterop.harness.fixture.Manifest;
import dev.udsinterop.harness.server.BundledServers;
import dev.udsinterop.harness.server.ServerProcess;
import dev.udsinterop.harness.server.ServerSpec;
import dev.udsinterop.harness.transport.Endpoint;
import dev.udsinterop.harness.transport.Transport;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Python, Node.js and Rust clients each answer {@code -capabilities} with what their standard library allows
 * (Rust's abstract names with the rustc it was built with, Node's with how it binds one), the JDK client with what
 * junixsocket's JNI library here can do; against the Go echo server,
 * on every socket of the new families, each passes every case it declares it can run, and a case it declares it
 * cannot run only for an abstract name truly fails: the declaration is what the client does, not a guess.
 */
class DeclaredFeaturesTest {
    private static final Pattern RUSTC = Pattern.compile("rustc 1\\.(\\d+)\\.");

    private final ProjectLayout layout = ProjectLayout.fromSystemProperty();
    private final Manifest manifest = Manifest.load(layout.manifest());

    @Test
    void eachClientDeclaresWhatItsStandardLibraryAllows() {
        DeclaredFeatures python = ManifestClients.python(layout, manifest.path()).features();
        assertThat(python.supports()).as("python: %s", python).containsExactlyInAnyOrder("seqpacket", "datagram", "abstract", "fdpass");

        DeclaredFeatures rust = ManifestClients.rust(layout, manifest.path()).features();
        Matcher rustc = RUSTC.matcher(rust.decidedBy());
        assertThat(rustc.find()).as("rust names the rustc it was built with: %s", rust).isTrue();
        Set<String> rustHas = Integer.parseInt(rustc.group(1)) >= 70 ? Set.of("datagram", "abstract") : Set.of("datagram");
        assertThat(rust.supports()).as("rust: %s", rust).containsExactlyInAnyOrderElementsOf(rustHas);
        assertThat(rust.lacks()).as("rust: %s", rust).containsKeys("seqpacket", "fdpass");

        DeclaredFeatures node = ManifestClients.node(layout, manifest.path()).features();
        assertThat(node.supports()).as("node: %s", node).doesNotContain("seqpacket", "datagram", "fdpass");
        assertThat(node.lacks()).as("node: %s", node).containsKeys("seqpacket", "datagram", "fdpass");
        assertThat(node.decidedBy()).as("node").contains("Node.js v");

        DeclaredFeatures java = JdkPeer.features(); // junixsocket's JNI library, loaded here
        assertThat(java.supports()).as("java: %s", java).containsExactlyInAnyOrder("seqpacket", "datagram", "abstract", "fdpass");
        assertThat(java.decidedBy()).as("java").startsWith("junixsocket 2.10.1 (JNI library ");
    }

    @Test
    void eachClientPassesWhatItDeclaresAgainstGoEchoAndTrulyLacksTheAbstractNamesItDeclaresItLacks(@TempDir Path dir)
            throws Exception {
        ServerSpec goEcho = BundledServers.all(layout).stream().filter(s -> s.id().equals("go-echo")).findFirst().orElseThrow();
        List<InteropCase> featured = manifest.cases().stream().filter(c -> c.kind() == Kind.ECHO && c.feature() != null).toList();
        assertThat(featured).as("the manifest's cases of the new families").isNotEmpty();
        SoftAssertions softly = new SoftAssertions();
        try (ServerProcess server = ServerProcess.start(goEcho, dir.resolve("echo.sock"))) {
            for (Transport t : List.of(Transport.UNIX, Transport.SEQPACKET, Transport.DATAGRAM, Transport.ABSTRACT)) {
                server.awaitReady(t, Duration.ofSeconds(30));
            }
            Map<Peer, DeclaredFeatures> clients = new LinkedHashMap<>();
            for (ManifestClientPeer client : List.of(ManifestClients.python(layout, manifest.path()),
                    ManifestClients.node(layout, manifest.path()), ManifestClients.rust(layout, manifest.path()))) {
                clients.put(client, client.features());
            }
            clients.put(new JdkPeer(manifest.payloads()), JdkPeer.features());
            for (Map.Entry<Peer, DeclaredFeatures> each : clients.entrySet()) {
                Peer client = each.getKey();
                List<String> ran = new ArrayList<>();
                for (InteropCase c : featured) {
                    for (String id : c.transports()) {
                        Transport transport = Transport.of(id);
                        Endpoint endpoint = endpoint(server, transport, c);
                        Duration timeout = Duration.ofMillis(c.timeoutMs() * 3L);
                        String lacks = client.lacks(c, transport);
                        if (lacks == null) {
                            Exchange e = client.exchange(endpoint, c, timeout);
                            softly.assertThat(e.failure()).as("%s %s on %s", client.id(), c.id(), endpoint).isNull();
                            ran.add(c.id());
                        } else if (DeclaredFeatures.needs(c, transport).equals(List.of("abstract"))) {
                            Exchange e = client.exchange(endpoint, c, timeout);
                            softly.assertThat(e.failure()).as("%s declares it lacks abstract names (%s), yet %s on %s passed",
                                    client.id(), lacks, c.id(), endpoint).isNotNull();
                        }
                    }
                }
                DeclaredFeatures declared = each.getValue();
                softly.assertThat(ran).as("%s ran every case whose features it declares (%s)", client.id(), declared)
                        .containsExactlyElementsOf(featured.stream()
                                .filter(c -> declared.supports().containsAll(DeclaredFeatures.needs(c, Transport.of(c.transports().getFirst()))))
                                .map(InteropCase::id).toList());
            }
        }
        softly.assertAll();
    }

    /** Where a case connects, as the Runner finds it: the transport's endpoint, or the abstract name of its socket kind. */
    private static Endpoint endpoint(ServerProcess server, Transport transport, InteropCase c) {
        return server.endpoints().stream()
                .filter(e -> transport == Transport.ABSTRACT ? e.isAbstract() && e.socket().equals(c.socket())
                        : !e.isAbstract() && e.transport() == transport)
                .findFirst().orElseThrow(() -> new AssertionError("go-echo announced no " + transport + " " + c.socket() + " socket"));
    }
}
