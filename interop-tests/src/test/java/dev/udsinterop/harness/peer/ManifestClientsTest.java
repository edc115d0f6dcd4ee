// SPDX-License-Identifier: Apache-2.0
// ManifestClientsTest: the manifest-driven clients (Go, Python, Node.js, Rust) make the same bytes, the same report and the same usage errors.
package dev.udsinterop.harness.peer;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.udsinterop.harness.ProjectLayout;
import dev.udsinterop.harness.fixture.InteropCase;
import dev.udsinterop.harness.fixture.Manifest;
import dev.udsinterop.harness.json.Json;
import dev.udsinterop.harness.server.BundledServers;
import dev.udsinterop.harness.server.ServerProcess;
import dev.udsinterop.harness.server.ServerSpec;
import dev.udsinterop.harness.transport.Endpoint;
import dev.udsinterop.harness.transport.Transport;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * The clients are independent implementations of one contract: each generates every payload itself and must
 * write exactly the Java generator's bytes; each prints the Go client's report and refuses bad usage with its
 * words and exit status. How each judges a broken server is proven against the mutants with every bundled client
 * (EofWaitTest, EarlyEofTest, VerdictHolesTest, MutantsTest's correct servers).
 */
class ManifestClientsTest {
    private final ProjectLayout layout = ProjectLayout.fromSystemProperty();
    private final Manifest manifest = Manifest.load(layout.manifest());
    private final List<ManifestClientPeer> clients = ManifestClients.all(layout, manifest.path());

    /** What a client printed and how it exited. */
    private record Run(int status, byte[] stdout, String stderr) {
    }

    private Run run(ManifestClientPeer client, List<String> args) throws Exception {
        List<String> command = new ArrayList<>(client.program());
        command.addAll(args);
        Process p = new ProcessBuilder(command).start();
        // platform threads for the pipes, as ManifestClientPeer reads them
        try (ExecutorService pipes = Executors.newThreadPerTaskExecutor(Thread.ofPlatform().daemon().factory())) {
            Future<byte[]> out = pipes.submit(() -> p.getInputStream().readAllBytes());
            Future<byte[]> err = pipes.submit(() -> p.getErrorStream().readAllBytes());
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("%s %s ends within 60 s", client.id(), args).isTrue();
            return new Run(p.exitValue(), out.get(10, TimeUnit.SECONDS),
                    new String(err.get(10, TimeUnit.SECONDS), StandardCharsets.UTF_8));
        } finally {
            p.destroyForcibly();
        }
    }

    /**
     * Each client checks every payload it generates against the manifest's size and sha256 before it runs a case
     * (exit 2 where they differ), so every matrix entry proves its generator; these pin the bytes themselves on a
     * few shapes: one generated connection cut mid-word, the last of many (seed + j), a file, nothing.
     */
    @TestFactory
    Stream<DynamicTest> everyClientWritesTheJavaGeneratorsBytes() {
        List<Map.Entry<String, Integer>> payloads = List.of(Map.entry("echo.size.4097", 0), Map.entry("concurrency.64x1k", 63),
                Map.entry("echo.utf8", 0), Map.entry("echo.empty", 0));
        return clients.stream().flatMap(client -> payloads.stream().map(p -> DynamicTest.dynamicTest(
                client.id() + " " + p.getKey() + " connection " + p.getValue(), () -> {
                    InteropCase c = manifest.find(p.getKey()).orElseThrow();
                    Run r = run(client, List.of("-manifest", manifest.path().toString(), "-payload", c.id(),
                            "-connection", Integer.toString(p.getValue())));
                    assertThat(r.status()).as("%s -payload %s: exit status (stderr %s)", client.id(), c.id(), r.stderr()).isZero();
                    assertThat(r.stdout()).as("%s -payload %s -connection %d", client.id(), c.id(), p.getValue())
                            .isEqualTo(manifest.payloads().get(c, p.getValue()));
                })));
    }

    @Test
    void everyClientRefusesBadUsageWithTheGoClientsWordsAndStatus(@TempDir Path dir) throws Exception {
        // A copy of the manifest whose payload files are missing next to it.
        Path copy = Files.copy(manifest.path(), dir.resolve("manifest.json"));
        String m = manifest.path().toString();
        List<List<String>> bad = List.of(
                List.of("-unix", "/x.sock"),
                List.of("-unix", "/x.sock", "-manifest", m, "-case", "echo.nope"),
                List.of("-unix", "/x.sock", "-manifest", m, "-eof-timeout", "0s"),
                List.of("-unix", "/x.sock", "-manifest", copy.toString()),
                List.of("-manifest", m, "-payload", "echo.hello", "-connection", "1"),
                List.of("-unix", "/x.sock", "-tcp", "127.0.0.1:1", "-manifest", m),
                List.of("-tcp", "nowhere", "-manifest", m),
                List.of("stray"));
        ManifestClientPeer go = clients.getFirst();
        for (List<String> args : bad) {
            Run reference = run(go, args);
            assertThat(reference.status()).as("go-interop %s", args).isEqualTo(2);
            for (ManifestClientPeer client : clients) {
                Run r = run(client, args);
                assertThat(r.status()).as("%s %s: exit status", client.id(), args).isEqualTo(2);
                assertThat(r.stdout()).as("%s %s: stdout", client.id(), args).isEmpty();
                assertThat(r.stderr()).as("%s %s: one line, the Go client's", client.id(), args).isEqualTo(reference.stderr())
                        .hasLineCount(1);
            }
        }
    }

    @Test
    void everyClientPrintsTheGoClientsReport(@TempDir Path dir) throws Exception {
        ServerSpec goEcho = BundledServers.all(layout).stream().filter(s -> s.id().equals("go-echo")).findFirst().orElseThrow();
        try (ServerProcess server = ServerProcess.start(goEcho, dir.resolve("echo.sock"))) {
            Endpoint endpoint = server.awaitReady(Transport.UNIX, Duration.ofSeconds(30));
            for (ManifestClientPeer client : clients) {
                Run r = run(client, List.of("-unix", endpoint.path().toString(), "-manifest", manifest.path().toString(),
                        "-case", "lifecycle.sigterm, concurrency.barrier.16x1k,echo.empty,lifecycle.sigterm"));
                String what = client.id() + ": " + new String(r.stdout(), StandardCharsets.UTF_8) + r.stderr();
                assertThat(r.status()).as(what).isZero();
                JsonNode report = Json.LENIENT.readTree(r.stdout());
                assertThat(fieldNames(report)).as(what).containsExactly("client", "version", "network", "address", "results", "summary");
                assertThat(report.get("client").asText()).as(what).endsWith("-interop-client");
                assertThat(report.get("network").asText()).as(what).isEqualTo("unix");
                assertThat(report.get("summary").toString()).as(what).isEqualTo("{\"passed\":2,\"failed\":0,\"skipped\":1}");
                JsonNode skipped = report.get("results").get(0);
                assertThat(skipped.get("id").asText()).as(what).isEqualTo("lifecycle.sigterm");
                assertThat(skipped.get("status").asText()).as(what).isEqualTo("skipped");
                assertThat(skipped.get("failure").toString()).as(what).isEqualTo("{\"message\":\"kind lifecycle is run by the harness\"}");
                JsonNode barrier = report.get("results").get(1);
                assertThat(fieldNames(barrier)).as(what).containsExactly("id", "status", "connections", "bytesSent",
                        "bytesReceived", "expectedSha256", "actualSha256", "durationNs", "timings", "failure");
                assertThat(barrier.get("status").asText()).as(what).isEqualTo("passed");
                assertThat(barrier.get("bytesReceived").asLong()).as(what).isEqualTo(16 * 1024);
                assertThat(barrier.get("actualSha256").asText()).as(what).isEqualTo(barrier.get("expectedSha256").asText());
                assertThat(barrier.get("timings")).as(what).hasSize(16);
                for (JsonNode t : barrier.get("timings")) {
                    assertThat(t.get("connectNs").asLong()).as(what).isPositive();
                    assertThat(t.get("firstByteNs").asLong()).as(what).isPositive().isLessThanOrEqualTo(t.get("lastByteNs").asLong());
                }
                JsonNode empty = report.get("results").get(2);
                assertThat(empty.get("timings").get(0).has("firstByteNs")).as("%s: no first byte of an empty echo", what).isFalse();
            }
        }
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    @Test
    void theBundledClientsAreTheManifestClientsThenNcSocatAndTheJdk() {
        List<String> bundled = Peers.bundled(layout, manifest).stream().map(Peer::id).toList();
        assertThat(bundled).startsWith(clients.stream().map(Peer::id).toArray(String[]::new))
                .containsExactly("go-interop", "python-interop", "node-interop", "rust-interop", "nc", "socat", "java");
    }
}
