// SPDX-License-Identifier: Apache-2.0
// ProjectLayout: where the built artifacts and the fixtures of a uds-interop checkout are.
package dev.udsinterop.harness;

import dev.udsinterop.harness.host.Remedy;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The places the harness takes its parts from, all under the project's root: the Java
 * server's jar, the Go binaries, the fixtures. The root comes from the {@code uds.home}
 * system property, which the entry script and the Maven build set.
 */
public record ProjectLayout(Path home) {

    /** Returns the layout of the checkout named by {@code uds.home}, or of the working directory. */
    public static ProjectLayout fromSystemProperty() {
        String home = System.getProperty("uds.home");
        return new ProjectLayout(Path.of(home == null || home.isBlank() ? "." : home).toAbsolutePath().normalize());
    }

    public Path javaServerJar() {
        return home.resolve("java-server/target/uds-echo-server.jar");
    }

    /** Returns the path of the Go binary {@code name} (seed-server, echo-server, seed-client, interop-client). */
    public Path goBinary(String name) {
        return home.resolve("go-reference/target/bin").resolve(name);
    }

    /** Returns the path of the C epoll echo server the benchmark measures against. */
    public Path cEpollServer() {
        return home.resolve("c-server/target/epoll-echo");
    }

    /** Returns the path of the same server linked statically (for an image), which the build makes where {@code cc -static} works. */
    public Path cEpollStaticServer() {
        return home.resolve("c-server/target/epoll-echo-static");
    }

    /** Returns the path of the Rust binary {@code name} of polyglot/rust (echo-server), which the build puts in polyglot/target/bin. */
    public Path rustBinary(String name) {
        return home.resolve("polyglot/target/bin").resolve(name);
    }

    /** Returns the Python echo server, run from its source by python3. */
    public Path pythonServer() {
        return home.resolve("polyglot/python/echo_server.py");
    }

    /** Returns the Node.js echo server, run from its source by node. */
    public Path nodeServer() {
        return home.resolve("polyglot/node/echo-server.js");
    }

    public Path manifest() {
        return home.resolve("fixtures/manifest.json");
    }

    public Path expectedFailures() {
        return home.resolve("fixtures/expected-failures.json");
    }

    /**
     * Returns {@code artifact} if it exists.
     *
     * @throws MissingArtifactException naming the artifact and how to build it
     */
    public static Path require(Path artifact) {
        if (!Files.exists(artifact)) {
            throw new MissingArtifactException(artifact);
        }
        return artifact;
    }

    /** A built artifact is missing: the message says how to build it. */
    public static final class MissingArtifactException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        MissingArtifactException(Path artifact) {
            super("missing " + artifact + ": " + Remedy.build(), null, false, false);
        }
    }
}
