// SPDX-License-Identifier: Apache-2.0
// KilledClients: nc clients SIGKILLed mid-stream: at most one log line each, their connections freed, the server serves on.
package dev.udsinterop.harness.reliability;

import static org.awaitility.Awaitility.await;

import dev.udsinterop.harness.host.ProcFs;
import dev.udsinterop.harness.report.ReliabilityResult;
import dev.udsinterop.harness.server.RunningServer;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Real {@code nc -U} processes stream /dev/zero through the server and are killed with SIGKILL. */
final class KilledClients implements Trial {
    @Override
    public String name() {
        return "killed-clients";
    }

    @Override
    public ReliabilityResult run(ReliabilityContext context) throws Exception {
        int n = context.quick() ? 4 : 20;
        Path socket = context.dir().resolve("killed.sock");
        long start = System.nanoTime();
        List<Process> clients = new ArrayList<>();
        try (RunningServer server = context.startJava(socket)) {
            long fdsBefore = ProcFs.descriptors(server.pid());
            int linesBefore = lines(server.stderrTail());
            for (int i = 0; i < n; i++) {
                clients.add(new ProcessBuilder("nc", "-U", socket.toString()).redirectInput(new File("/dev/zero"))
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD).start());
            }
            await("all clients connected").atMost(ReliabilityContext.START_TIMEOUT)
                    .until(() -> ProcFs.descriptors(server.pid()) >= fdsBefore + n);
            for (Process client : clients) {
                client.destroyForcibly(); // SIGKILL
            }
            for (Process client : clients) {
                client.waitFor(ReliabilityContext.EXIT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            }
            await("descriptors of the server back to " + fdsBefore).atMost(ReliabilityContext.EXIT_TIMEOUT)
                    .until(() -> ProcFs.descriptors(server.pid()) <= fdsBefore);
            byte[] hello = "Hello".getBytes(StandardCharsets.US_ASCII);
            boolean serves = Arrays.equals(ReliabilityContext.echo(socket, hello), hello);
            int logLines = lines(server.stderrTail()) - linesBefore;
            boolean pass = serves && logLines <= n && server.isAlive();
            return new ReliabilityResult(name(), n + " nc -U clients streaming /dev/zero, killed with SIGKILL",
                    server.id(), n + 1L, serves ? hello.length : 0, serves ? 0 : hello.length, null,
                    (System.nanoTime() - start) / 1_000_000, pass ? ReliabilityResult.PASS : ReliabilityResult.FAIL,
                    String.format("%d log line(s) for %d killed clients; descriptors back to %d; %s", logLines, n, fdsBefore,
                            serves ? "a new client is served" : "a new client is NOT served"));
        } finally {
            clients.forEach(Process::destroyForcibly);
        }
    }

    private static int lines(String text) {
        return text.isEmpty() ? 0 : text.split("\n").length;
    }
}
