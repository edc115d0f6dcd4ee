// SPDX-License-Identifier: Apache-2.0
// ServingClientTest: a -serve process answers each run's flags as a process of its own would have, many cases in one process.
package dev.udsinterop.harness.peer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.udsinterop.harness.ProjectLayout;
import dev.udsinterop.harness.fixture.Manifest;
import dev.udsinterop.harness.json.Json;
import dev.udsinterop.harness.server.BundledServers;
import dev.udsinterop.harness.server.ServerProcess;
import dev.udsinterop.harness.server.ServerSpec;
import dev.udsinterop.harness.transport.Endpoint;
import dev.udsinterop.harness.transport.Transport;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The interpreted clients (Python, Node.js) run their cases in one {@code -serve} process each
 * ({@link ServingClient}): what a request answers must be what a process started with the same flags gives, the
 * exit status, stdout and stderr, bad usage included; the process must serve case after case, end with its stdin,
 * and one that does not answer in time is killed, never used again.
 */
class ServingClientTest {
    private final ProjectLayout layout = ProjectLayout.fromSystemProperty();
    private final Manifest manifest = Manifest.load(layout.manifest());
    private final List<ManifestClientPeer> serving = ManifestClients.all(layout, manifest.path()).stream()
            .filter(ManifestClientPeer::serving).toList();
    private static final Duration LIMIT = Duration.ofSeconds(60);

    @Test
    void theInterpretedClientsServeAndTheCompiledOnesStartPerCase() {
        assertThat(serving.stream().map(Peer::id)).containsExactly("python-interop", "node-interop");
    }

    /** Starts the client with {@code flags} as a process of its own. */
    private static ClientRun started(ManifestClientPeer client, List<String> flags) throws Exception {
        List<String> command = new ArrayList<>(client.program());
        command.addAll(flags);
        Process p = new ProcessBuilder(command).start();
        try (ExecutorService pipes = Executors.newThreadPerTaskExecutor(Thread.ofPlatform().daemon().factory())) {
            Future<byte[]> out = pipes.submit(() -> p.getInputStream().readAllBytes());
            Future<byte[]> err = pipes.submit(() -> p.getErrorStream().readAllBytes());
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("%s %s ends within 60 s", client.id(), flags).isTrue();
            return new ClientRun(p.exitValue(), out.get(10, TimeUnit.SECONDS),
                    new String(err.get(10, TimeUnit.SECONDS), StandardCharsets.UTF_8).strip());
        } finally {
            p.destroyForcibly();
        }
    }

    @Test
    void aRequestAnswersWhatItsOwnProcessGivesBadUsageIncluded(@TempDir Path dir) throws Exception {
        Path copy = Files.copy(manifest.path(), dir.resolve("manifest.json")); // its payload files are missing
        String m = manifest.path().toString();
        // one of each way a run ends without a case (ManifestClientsTest holds them to the Go client's words)
        List<List<String>> bad = List.of(
                List.of("-unix", "/x.sock"),
                List.of("-unix", "/x.sock", "-manifest", m, "-case", "echo.nope"),
                List.of("-unix", "/x.sock", "-manifest", copy.toString()),
                List.of("stray"),
                List.of("-version"));
        for (ManifestClientPeer client : serving) {
            try (ServingClient served = ServingClient.start(client.program())) {
                for (List<String> flags : bad) {
                    ClientRun own = started(client, flags);
                    ClientRun answer = served.run(flags, LIMIT);
                    assertThat(answer).as("%s %s answered", client.id(), flags).isNotNull();
                    assertThat(answer.exit()).as("%s %s: exit status", client.id(), flags).isEqualTo(own.exit());
                    assertThat(answer.stdout()).as("%s %s: stdout", client.id(), flags).isEqualTo(own.stdout());
                    assertThat(answer.stderr()).as("%s %s: stderr", client.id(), flags).isEqualTo(own.stderr());
                }
                ClientRun payload = served.run(List.of("-manifest", m, "-payload", "echo.hello"), LIMIT);
                assertThat(payload.exit()).as("%s: a payload's bytes are not an answer's text", client.id()).isEqualTo(2);
                assertThat(payload.stderr()).isEqualTo("interop-client: -payload is not a request of -serve (see interop-client -help)");
                assertThat(served.alive()).as("%s still serves after bad requests", client.id()).isTrue();
            }
        }
    }

    @Test
    void oneProcessRunsCaseAfterCaseWithTheReportOfItsOwnProcess(@TempDir Path dir) throws Exception {
        ServerSpec goEcho = BundledServers.all(layout).stream().filter(s -> s.id().equals("go-echo")).findFirst().orElseThrow();
        try (ServerProcess server = ServerProcess.start(goEcho, dir.resolve("echo.sock"))) {
            Endpoint endpoint = server.awaitReady(Transport.UNIX, Duration.ofSeconds(30));
            for (ManifestClientPeer client : serving) {
                try (ServingClient served = ServingClient.start(client.program())) {
                    // the 1 MiB case twice: the second one's payload is the one the process generated and verified
                    for (String id : List.of("echo.hello", "echo.size.1m", "concurrency.barrier.4x64k", "echo.size.1m",
                            "lifecycle.sigterm")) {
                        List<String> flags = List.of("-unix", endpoint.path().toString(), "-manifest",
                                manifest.path().toString(), "-case", id);
                        ClientRun own = started(client, flags);
                        ClientRun answer = served.run(flags, LIMIT);
                        String what = client.id() + " " + id + ": " + new String(answer.stdout(), StandardCharsets.UTF_8)
                                + answer.stderr();
                        assertThat(answer.exit()).as(what).isEqualTo(own.exit());
                        JsonNode a = Json.LENIENT.readTree(answer.stdout()).get("results").get(0);
                        JsonNode o = Json.LENIENT.readTree(own.stdout()).get("results").get(0);
                        for (String field : List.of("id", "status", "connections", "bytesSent", "bytesReceived",
                                "expectedSha256", "actualSha256", "failure")) {
                            assertThat(a.get(field)).as(what + " " + field).isEqualTo(o.get(field));
                        }
                    }
                    assertThat(served.alive()).isTrue();
                }
            }
        }
    }

    @Test
    void thePeerGivesItsProcessBackAndReusesIt(@TempDir Path dir) throws Exception {
        for (ManifestClientPeer client : serving) {
            ServingClient first = ServingClients.take(client.program());
            ServingClients.give(client.program(), first);
            ServingClient again = ServingClients.take(client.program());
            try {
                assertThat(again).as("%s: the idle process is taken again", client.id()).isSameAs(first);
            } finally {
                ServingClients.give(client.program(), again);
            }
            again.close();
            await().atMost(Duration.ofSeconds(10)).until(() -> !again.alive());
            ServingClient fresh = ServingClients.take(client.program());
            try {
                assertThat(fresh).as("%s: an ended process is not taken; a new one starts", client.id()).isNotSameAs(again);
                assertThat(fresh.alive()).isTrue();
            } finally {
                ServingClients.give(client.program(), fresh);
            }
        }
    }

    @Test
    void aProcessThatDoesNotAnswerInTimeIsLateAndTheProcessEndsWithItsStdin(@TempDir Path dir) throws Exception {
        // A socket that listens and never accepts: the connection waits in the backlog, the echo never comes.
        Path path = dir.resolve("silent.sock");
        try (ServerSocketChannel silent = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            silent.bind(UnixDomainSocketAddress.of(path));
            for (ManifestClientPeer client : serving) {
                try (ServingClient served = ServingClient.start(client.program())) {
                    ClientRun late = served.run(List.of("-unix", path.toString(), "-manifest", manifest.path().toString(),
                            "-case", "echo.hello"), Duration.ofMillis(300));
                    assertThat(late).as("%s: no answer within 0.3 s of a 10 s case", client.id()).isNull();
                }
            }
        }
        for (ManifestClientPeer client : serving) {
            List<String> command = new ArrayList<>(client.program());
            command.add("-serve");
            Process p = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            try {
                assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("%s -serve ends with its stdin", client.id()).isTrue();
                assertThat(p.exitValue()).isZero();
            } finally {
                p.destroyForcibly();
            }
        }
    }
}
