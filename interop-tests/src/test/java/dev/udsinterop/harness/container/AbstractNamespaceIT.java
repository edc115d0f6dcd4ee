// SPDX-License-Identifier: Apache-2.0
// AbstractNamespaceIT: an abstract name is per network namespace: a client container of its own cannot reach the server's @name, one in the server's can.
package dev.udsinterop.harness.container;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

import dev.udsinterop.harness.ProjectLayout;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Linux abstract names (@name) live in the network namespace, not in a file system, so the sidecar
 * pattern of a shared volume does not carry them: the Java server in its container on
 * {@code --unix @name}; a client container (socat, the clients image) with a network namespace of its
 * own is refused, and one started with {@code --network container:<server>} is served. Without Docker
 * the test is skipped, and fails under CI=true.
 */
class AbstractNamespaceIT {
    private static final Duration DEADLINE = Duration.ofSeconds(60);

    @Test
    void aClientContainerReachesTheServersAbstractNameOnlyInItsNetworkNamespace() throws Exception {
        String unavailable = Docker.unavailable();
        if (unavailable != null) {
            if ("true".equals(System.getenv("CI"))) {
                fail("Docker is not available: " + unavailable);
            }
            Assumptions.abort("Docker is not available: " + unavailable);
        }
        Images images = Images.of(ProjectLayout.fromSystemProperty(), System.out, "java-server", "clients");
        String name = "uds-interop-netns-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
        Result started = docker(null, List.of("run", "-d", images.tag("java-server")), "--unix", "@" + name);
        assertThat(started.status).as("docker run of the server: %s", started.err).isZero();
        String server = started.out.strip();
        try {
            await("the server's ready line").atMost(DEADLINE).pollInterval(Duration.ofMillis(200))
                    .until(() -> docker(null, List.of("logs"), server).out.contains("listening unix:@" + name));
            String[] socat = {"socat", "-t", "5", "-", "ABSTRACT-CONNECT:" + name};

            Result apart = docker("hello\n", List.of("run", "--rm", "-i", images.clients()), socat);
            assertThat(apart.status).as("socat in a network namespace of its own: exit status; stdout %s", apart.out)
                    .isNotZero();
            assertThat(apart.err).contains("Connection refused");

            Result shared = docker("hello\n", List.of("run", "--rm", "-i", "--network", "container:" + server,
                    images.clients()), socat);
            assertThat(shared.status).as("socat in the server's network namespace: exit status; stderr %s", shared.err)
                    .isZero();
            assertThat(shared.out).isEqualTo("hello\n");
        } finally {
            docker(null, List.of("rm", "-f"), server);
        }
    }

    private record Result(int status, String out, String err) {
    }

    /** Runs {@code docker COMMAND... ARGS...} (run gets the labels of what this JVM makes), {@code input} on stdin, bounded. */
    private static Result docker(String input, List<String> command, String... args) throws IOException, InterruptedException {
        List<String> words = new ArrayList<>(List.of("docker", command.get(0)));
        if (command.get(0).equals("run")) {
            Docker.labels().forEach((k, v) -> words.addAll(List.of("--label", k + "=" + v))); // the sweep's marks
        }
        words.addAll(command.subList(1, command.size()));
        words.addAll(List.of(args));
        Path out = Files.createTempFile("uds-netns", ".out");
        Path err = Files.createTempFile("uds-netns", ".err");
        try {
            Process p = new ProcessBuilder(words).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            try (OutputStream stdin = p.getOutputStream()) {
                if (input != null) {
                    stdin.write(input.getBytes(StandardCharsets.UTF_8));
                }
            }
            if (!p.waitFor(DEADLINE.toSeconds(), TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("still running after " + DEADLINE + ": " + words);
            }
            return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }
}
