// SPDX-License-Identifier: Apache-2.0
// SigtermUnderLoad: SIGTERM while clients stream: in-flight echoes finish within --grace, none cut short, socket gone, exit 0.
package dev.udsinterop.harness.reliability;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.udsinterop.harness.host.ProcFs;
import dev.udsinterop.harness.report.ReliabilityResult;
import dev.udsinterop.harness.server.RunningServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Clients stream through the server when it gets SIGTERM. Connections made before the signal
 * must be echoed whole (or, past the grace period, closed: never quietly short); new ones are
 * refused at once since the socket file is gone; the server exits 0 within the grace period.
 */
final class SigtermUnderLoad implements Trial {
    private static final Duration GRACE = Duration.ofSeconds(30);

    @Override
    public String name() {
        return "sigterm-under-load";
    }

    @Override
    public ReliabilityResult run(ReliabilityContext context) throws Exception {
        int clients = context.quick() ? 8 : 50;
        Path socket = context.dir().resolve("term.sock");
        long start = System.nanoTime();
        try (RunningServer server = context.startJava(socket, "--grace", GRACE.toSeconds() + "s")) {
            long fdsBefore = ProcFs.descriptors(server.pid());
            try (SoakClient soak = SoakClient.start(context, socket, server.pid(), "-clients", Integer.toString(clients),
                    "-duration", "60s", "-settle", "0s")) {
                await("connections in flight").atMost(ReliabilityContext.START_TIMEOUT).pollInterval(Duration.ofMillis(5))
                        .until(() -> ProcFs.descriptors(server.pid()) >= fdsBefore + clients / 2);
                long signalled = System.nanoTime();
                server.signal("TERM");
                Integer exit = server.exitStatus(GRACE.plusSeconds(30));
                long stopMillis = (System.nanoTime() - signalled) / 1_000_000;
                JsonNode r = soak.result(Duration.ofMinutes(2)); // its clients stop once dialling fails
                // Silently cut echoes are the failure; a connection closed with an error is what the
                // contract allows past the grace period, and the server drains its backlog so none is.
                long lost = r.get("lostBytes").asLong() + r.get("corruptedBytes").asLong() + r.get("extraBytes").asLong();
                long closed = r.get("errors").asLong();
                boolean removed = !Files.exists(socket);
                boolean pass = lost == 0 && Integer.valueOf(0).equals(exit) && removed && stopMillis < GRACE.toMillis();
                String detail = String.format("exit %s %d ms after SIGTERM (grace %d s); socket file %s; 0 echoes may be "
                        + "cut short: %d were; %d connections closed with an error (%d bytes not echoed), %d refused after "
                        + "the signal", exit, stopMillis, GRACE.toSeconds(), removed ? "removed" : "LEFT BEHIND", lost,
                        closed, r.get("abortedBytes").asLong(), r.get("dialErrors").asLong());
                return new ReliabilityResult(name(), clients + " clients streaming when SIGTERM comes; "
                        + "--grace " + GRACE.toSeconds() + "s", server.id(), r.get("connections").asLong(),
                        r.get("bytes").asLong(), lost, null, (System.nanoTime() - start) / 1_000_000,
                        pass ? ReliabilityResult.PASS : ReliabilityResult.FAIL, detail);
            }
        }
    }
}
