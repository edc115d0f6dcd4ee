// SPDX-License-Identifier: Apache-2.0
// BundledServers: the servers this repository ships: the Java server, the Go echo server and the Go seed server.
package dev.udsinterop.harness.server;

import dev.udsinterop.harness.ProjectLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The servers of this repository, as {@link ServerSpec} templates, in report order. Each
 * listens on both placeholders at once and prints its ready lines.
 */
public final class BundledServers {
    private static final List<String> LISTEN = List.of("--unix", ServerSpec.UNIX, "--tcp", "127.0.0.1:" + ServerSpec.PORT);

    private BundledServers() {
    }

    /**
     * Returns the Java server, the Go echo server and the Go seed server of {@code layout}.
     *
     * @throws ProjectLayout.MissingArtifactException if one of them has not been built
     */
    public static List<ServerSpec> all(ProjectLayout layout) {
        return List.of(
                ServerSpec.of("java", "the Java server (java-server, selector loops)", javaCommand(layout))
                        .announcingReadiness(),
                ServerSpec.of("go-echo", "the Go reference echo server (go-reference/cmd/echo-server)",
                        command(ProjectLayout.require(layout.goBinary("echo-server")).toString())).announcingReadiness(),
                ServerSpec.of("go-seed", "the seed post's Go server, bugs kept (go-reference/cmd/seed-server)",
                        command(ProjectLayout.require(layout.goBinary("seed-server")).toString())).announcingReadiness());
    }

    /** The Java server's template: this JVM's java, the server's JVM flags file when there is one, the jar. */
    private static List<String> javaCommand(ProjectLayout layout) {
        List<String> words = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java")));
        Path options = layout.home().resolve("java-server/jvm.options");
        if (Files.isRegularFile(options)) {
            words.add("@" + options);
        }
        words.addAll(List.of("-jar", ProjectLayout.require(layout.javaServerJar()).toString()));
        return command(words.toArray(String[]::new));
    }

    private static List<String> command(String... program) {
        List<String> words = new ArrayList<>(List.of(program));
        words.addAll(LISTEN);
        return words;
    }
}
