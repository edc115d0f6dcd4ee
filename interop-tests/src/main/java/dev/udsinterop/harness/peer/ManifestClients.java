// SPDX-License-Identifier: Apache-2.0
// ManifestClients: the bundled manifest-driven clients (Go, Python, Node.js, Rust) and how each is started.
package dev.udsinterop.harness.peer;

import dev.udsinterop.harness.ProjectLayout;
import dev.udsinterop.harness.host.Programs;
import java.nio.file.Path;
import java.util.List;

/**
 * The conformance clients that read {@code fixtures/manifest.json} themselves, each an independent implementation
 * with the same command line and report: the Go reference's, and one per language in {@code polyglot/}. Their ids
 * end in {@code -interop}, as the Go client's always has, so that none reads as a server's ({@code python} is the
 * Python echo server). The Go client speaks every socket kind of the manifest; the others declare what their
 * standard library (and toolchain, and runtime) allows when asked ({@code -capabilities}): Python's socket module
 * everything, Rust's std datagrams and, built with rustc 1.70 or later, abstract names, Node.js's net abstract
 * names where it binds them as the others do. What a client lacks is unsupported, a declared capability.
 */
public final class ManifestClients {
    private ManifestClients() {
    }

    /** Returns every bundled manifest-driven client, in report order. */
    public static List<ManifestClientPeer> all(ProjectLayout layout, Path manifest) {
        return List.of(go(layout, manifest), python(layout, manifest), node(layout, manifest), rust(layout, manifest));
    }

    /**
     * {@code go-reference/cmd/interop-client}.
     *
     * @throws ProjectLayout.MissingArtifactException if it has not been built
     */
    public static ManifestClientPeer go(ProjectLayout layout, Path manifest) {
        return new ManifestClientPeer("go-interop", List.of(ProjectLayout.require(layout.goBinary("interop-client")).toString()),
                manifest, DeclaredFeatures.all("Go's net package (unixpacket, unixgram, abstract names, WriteMsgUnix)"), null);
    }

    /** {@code polyglot/python/interop_client.py}, run by the python3 on PATH. */
    public static ManifestClientPeer python(ProjectLayout layout, Path manifest) {
        return script("python-interop", "python3", "python3", layout.home().resolve("polyglot/python/interop_client.py"), manifest);
    }

    /** {@code polyglot/node/interop-client.js}, run by the node on PATH (Debian's package: nodejs). */
    public static ManifestClientPeer node(ProjectLayout layout, Path manifest) {
        return script("node-interop", "node", "nodejs", layout.home().resolve("polyglot/node/interop-client.js"), manifest);
    }

    /**
     * {@code polyglot/rust/src/bin/interop-client}, which the build puts in polyglot/target/bin.
     *
     * @throws ProjectLayout.MissingArtifactException if it has not been built
     */
    public static ManifestClientPeer rust(ProjectLayout layout, Path manifest) {
        return new ManifestClientPeer("rust-interop", List.of(ProjectLayout.require(layout.rustBinary("interop-client")).toString()),
                manifest, null, null);
    }

    private static ManifestClientPeer script(String id, String interpreter, String packageName, Path script, Path manifest) {
        // An interpreter's start costs more than most cases take: one -serve process runs them (ServingClient).
        return new ManifestClientPeer(id, List.of(interpreter, ProjectLayout.require(script).toString()), manifest, null,
                Programs.isInstalled(interpreter) ? null : packageName, true);
    }
}
