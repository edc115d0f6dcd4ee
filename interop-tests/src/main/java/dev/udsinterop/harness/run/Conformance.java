// SPDX-License-Identifier: Apache-2.0
// Conformance: the bundled matrix of a checkout: its manifest, servers, clients, transports and known failures.
package dev.udsinterop.harness.run;

import dev.udsinterop.harness.ProjectLayout;
import dev.udsinterop.harness.fixture.Manifest;
import dev.udsinterop.harness.matrix.ExpectedFailures;
import dev.udsinterop.harness.matrix.Matrix;
import dev.udsinterop.harness.peer.Peers;
import dev.udsinterop.harness.runtime.RuntimeKind;
import dev.udsinterop.harness.server.BundledServers;
import dev.udsinterop.harness.transport.Transport;
import java.util.List;

/**
 * Everything {@code ./uds-interop run} and the JUnit suite share: the same manifest, the
 * same matrix, the same expected failures, so both run exactly the same cases.
 */
public record Conformance(Manifest manifest, Matrix matrix, ExpectedFailures expectedFailures) {
    /** Servers and clients as processes on this machine. */
    public static final String LOCAL = RuntimeKind.LOCAL.id();

    /** Like {@link #bundled(ProjectLayout, List)} in every runtime. */
    public static Conformance bundled(ProjectLayout layout) {
        return bundled(layout, List.of(RuntimeKind.values()));
    }

    /**
     * Loads the manifest and the expected failures of {@code layout} and builds the matrix of
     * the bundled servers and clients, on both transports, in {@code runtimes}.
     *
     * @throws dev.udsinterop.harness.fixture.FixtureException if the fixtures are invalid
     * @throws ProjectLayout.MissingArtifactException if a server or client has not been built
     */
    public static Conformance bundled(ProjectLayout layout, List<RuntimeKind> runtimes) {
        Manifest manifest = Manifest.load(layout.manifest());
        manifest.verifyPayloads();
        Matrix matrix = Matrix.product(BundledServers.all(layout), runtimes.stream().map(RuntimeKind::id).toList(),
                List.of(Transport.values()), Peers.bundled(layout, manifest), manifest.cases());
        return new Conformance(manifest, matrix, ExpectedFailures.load(layout.expectedFailures()));
    }
}
