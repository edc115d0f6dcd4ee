// SPDX-License-Identifier: Apache-2.0
// SeedLoopTest: the seed post's client loop (Go seed-client) runs against every bundled server and prints its JSON.
package dev.udsinterop.harness.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.udsinterop.harness.ProjectLayout;
import dev.udsinterop.harness.transport.Endpoint;
import dev.udsinterop.harness.transport.Transport;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

class SeedLoopTest {
    private static final int ITERATIONS = 500;
    private final ProjectLayout layout = ProjectLayout.fromSystemProperty();

    @TempDir
    Path dir;

    @TestFactory
    Stream<DynamicTest> theSeedLoopRunsAgainstEveryServerOnBothTransports() {
        return BundledServers.all(layout).stream().flatMap(spec -> Stream.of(Transport.UNIX, Transport.TCP).map(transport -> // the seed client's
                DynamicTest.dynamicTest(spec.id() + " / " + transport, () -> {
                    Path socketDir = dir.resolve(spec.id() + "-" + transport);
                    java.nio.file.Files.createDirectories(socketDir);
                    try (ServerProcess server = ServerProcess.start(spec, socketDir.resolve(ServerSpec.SOCKET_NAME))) {
                        Endpoint endpoint = server.awaitReady(transport, Duration.ofSeconds(30));
                        JsonNode json = seedClient(endpoint);
                        assertThat(json.path("workload").asText()).isEqualTo("seed-loop");
                        assertThat(json.path("transport").asText()).isEqualTo(transport.id());
                        assertThat(json.path("iterations").asInt()).isEqualTo(ITERATIONS);
                        assertThat(json.path("perOpNs").asLong()).isPositive()
                                .isEqualTo(json.path("totalNs").asLong() / ITERATIONS);
                    }
                })));
    }

    private JsonNode seedClient(Endpoint endpoint) throws Exception {
        List<String> command = List.of(ProjectLayout.require(layout.goBinary("seed-client")).toString(),
                endpoint.transport() == Transport.UNIX ? "-unix" : "-tcp",
                endpoint.transport() == Transport.UNIX ? endpoint.path().toString() : endpoint.hostPort(),
                "-n", Integer.toString(ITERATIONS));
        Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try {
            byte[] out = p.getInputStream().readAllBytes();
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("seed-client finished").isTrue();
            assertThat(p.exitValue()).as("seed-client exit status").isZero();
            return new ObjectMapper().readTree(out);
        } finally {
            p.destroyForcibly();
        }
    }
}
