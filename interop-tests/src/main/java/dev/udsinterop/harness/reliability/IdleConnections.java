// SPDX-License-Identifier: Apache-2.0
// IdleConnections: many open connections that each echoed one byte and then wait: the server's RSS, and its fds after.
package dev.udsinterop.harness.reliability;

import static org.awaitility.Awaitility.await;

import dev.udsinterop.harness.host.ProcFs;
import dev.udsinterop.harness.report.ReliabilityResult;
import dev.udsinterop.harness.server.RunningServer;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** {@code n} idle connections held open at once (1000 in the full run). */
final class IdleConnections implements Trial {
    @Override
    public String name() {
        return "idle-connections";
    }

    @Override
    public ReliabilityResult run(ReliabilityContext context) throws Exception {
        int n = context.quick() ? 200 : 1000;
        Path socket = context.dir().resolve("idle.sock");
        long start = System.nanoTime();
        List<SocketChannel> clients = new ArrayList<>();
        try (RunningServer server = context.startJava(socket)) {
            long fdsBefore = ProcFs.descriptors(server.pid());
            long rssBefore = ProcFs.rssKiB(server.pid());
            int echoed = 0;
            for (int i = 0; i < n; i++) {
                SocketChannel client = SocketChannel.open(UnixDomainSocketAddress.of(socket));
                clients.add(client);
                client.write(ByteBuffer.wrap(new byte[] {(byte) i}));
            }
            for (int i = 0; i < n; i++) {
                ByteBuffer one = ByteBuffer.allocate(1);
                if (clients.get(i).read(one) == 1 && one.get(0) == (byte) i) {
                    echoed++;
                }
            }
            long rss = ProcFs.rssKiB(server.pid());
            long peak = ProcFs.peakRssKiB(server.pid());
            for (SocketChannel client : clients) {
                client.close();
            }
            clients.clear();
            await("descriptors of the server back to " + fdsBefore).atMost(ReliabilityContext.EXIT_TIMEOUT)
                    .until(() -> ProcFs.descriptors(server.pid()) <= fdsBefore);
            boolean pass = echoed == n && peak <= ReliabilityContext.RSS_LIMIT_KIB;
            String detail = String.format("RSS %d KiB with %d idle connections, %d KiB before (%.1f KiB per connection); "
                    + "descriptors back to %d after they closed%s", rss, n, rssBefore, (rss - rssBefore) / (double) n,
                    fdsBefore, echoed == n ? "" : "; only " + echoed + " of " + n + " echoed their byte");
            return new ReliabilityResult(name(), n + " connections open at once, each echoed one byte and "
                    + "then idle", server.id(), n, echoed, n - echoed, peak, (System.nanoTime() - start) / 1_000_000,
                    pass ? ReliabilityResult.PASS : ReliabilityResult.FAIL, detail);
        } finally {
            for (SocketChannel client : clients) {
                client.close();
            }
        }
    }
}
