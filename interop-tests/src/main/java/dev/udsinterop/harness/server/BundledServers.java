// SPDX-License-Identifier: Apache-2.0
// BundledServers: the servers this repository ships: the Java server, the Go echo server and the Go seed server.
package dev.udsinterop.harness.server;

import dev.udsinterop.harness.ProjectLayout;
import java.util.List;

/** The servers of this repository, as {@link ServerSpec}s, in report order. */
public final class BundledServers {
    private BundledServers() {
    }

    /**
     * Returns the Java server, the Go echo server and the Go seed server of {@code layout}.
     *
     * @throws ProjectLayout.MissingArtifactException if one of them has not been built
     */
    public static List<ServerSpec> all(ProjectLayout layout) {
        String java = ProcessHandle.current().info().command().orElse("java");
        return List.of(
                new ServerSpec("java", "the Java server (java-server, selector loops)",
                        List.of(java, "-jar", ProjectLayout.require(layout.javaServerJar()).toString())),
                new ServerSpec("go-echo", "the Go reference echo server (go-reference/cmd/echo-server)",
                        List.of(ProjectLayout.require(layout.goBinary("echo-server")).toString())),
                new ServerSpec("go-seed", "the seed post's Go server, bugs kept (go-reference/cmd/seed-server)",
                        List.of(ProjectLayout.require(layout.goBinary("seed-server")).toString())));
    }
}
