// SPDX-License-Identifier: Apache-2.0
// Peers: the clients this repository runs every echo case through, in report order.
package dev.udsinterop.harness.peer;

import dev.udsinterop.harness.ProjectLayout;
import dev.udsinterop.harness.fixture.Manifest;
import java.util.ArrayList;
import java.util.List;

/**
 * The bundled clients: the manifest-driven conformance clients (Go, Python, Node.js, Rust), OpenBSD netcat, socat
 * and the JDK client.
 */
public final class Peers {
    private Peers() {
    }

    /**
     * Returns the bundled clients for {@code manifest}'s cases.
     *
     * @throws ProjectLayout.MissingArtifactException if a compiled client has not been built
     */
    public static List<Peer> bundled(ProjectLayout layout, Manifest manifest) {
        List<Peer> peers = new ArrayList<>(ManifestClients.all(layout, manifest.path()));
        peers.add(new NetcatPeer(manifest.payloads()));
        peers.add(new SocatPeer(manifest.payloads()));
        peers.add(new JdkPeer(manifest.payloads()));
        return List.copyOf(peers);
    }

    /**
     * Returns the clients that need nothing built: nc and socat from PATH, and the JDK client. The JUnit contract
     * runs these when no checkout is named ({@code uds.home}); a checkout adds the built clients.
     */
    public static List<Peer> unbuilt(Manifest manifest) {
        return List.of(new NetcatPeer(manifest.payloads()), new SocatPeer(manifest.payloads()),
                new JdkPeer(manifest.payloads()));
    }
}
