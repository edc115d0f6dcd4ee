// SPDX-License-Identifier: Apache-2.0
// Soak: many concurrent clients for a while, payloads 0..300 KB in random chunks, every byte checked; RSS, fds, threads.
package dev.udsinterop.harness.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import dev.udsinterop.harness.host.ProcFs;
import dev.udsinterop.harness.report.ReliabilityResult;
import dev.udsinterop.harness.server.RunningServer;
import java.nio.file.Path;
import java.time.Duration;

/** The soak: soak-client's clients against the Java server, then SIGTERM. */
final class Soak implements Trial {
    @Override
    public String name() {
        return "soak";
    }

    @Override
    public ReliabilityResult run(ReliabilityContext context) throws Exception {
        int clients = context.quick() ? 16 : 200;
        Duration duration = context.quick() ? Duration.ofSeconds(3) : Duration.ofSeconds(60);
        String description = clients + " concurrent clients for " + duration.toSeconds() + " s, payloads 0 to 300 KiB "
                + "in random chunks, every byte checked; the server's RSS, descriptors and threads from /proc";
        Path socket = context.dir().resolve("soak.sock");
        long start = System.nanoTime();
        try (RunningServer server = context.startJava(socket);
             SoakClient soak = SoakClient.start(context, socket, server.pid(), "-clients", Integer.toString(clients),
                     "-duration", duration.toSeconds() + "s")) {
            JsonNode r = soak.result(duration.plusMinutes(5));
            long peak = Math.max(r.at("/server/rssPeakKiB").asLong(), ProcFs.peakRssKiB(server.pid()));
            server.signal("TERM");
            Integer exit = server.exitStatus(ReliabilityContext.EXIT_TIMEOUT);
            // In the soak any failed connection is a failure, so its unechoed bytes count as lost too.
            long lost = r.get("lostBytes").asLong() + r.get("abortedBytes").asLong() + r.get("corruptedBytes").asLong()
                    + r.get("extraBytes").asLong();
            StringBuilder detail = new StringBuilder(String.format(
                    "RSS %d KiB before; fds %d -> %d; threads %d -> %d; %d failed connections; exit %s after SIGTERM",
                    r.at("/server/rssBaselineKiB").asLong(), r.at("/server/fdsBaseline").asInt(), r.at("/server/fdsAfter").asInt(),
                    r.at("/server/threadsBaseline").asInt(), r.at("/server/threadsAfter").asInt(),
                    r.get("errors").asLong() + r.get("dialErrors").asLong(), exit));
            boolean pass = "pass".equals(r.get("verdict").asText()) && lost == 0 && Integer.valueOf(0).equals(exit)
                    && peak <= ReliabilityContext.RSS_LIMIT_KIB;
            r.get("problems").forEach(p -> detail.append("; ").append(p.asText()));
            if (peak > ReliabilityContext.RSS_LIMIT_KIB) {
                detail.append("; peak RSS over ").append(ReliabilityContext.RSS_LIMIT_KIB).append(" KiB");
            }
            return new ReliabilityResult(name(), description, server.id(), r.get("connections").asLong(),
                    r.get("bytes").asLong(), lost, peak, (System.nanoTime() - start) / 1_000_000,
                    pass ? ReliabilityResult.PASS : ReliabilityResult.FAIL, detail.toString());
        }
    }
}
