// SPDX-License-Identifier: Apache-2.0
// SlowReaders: clients that write megabytes and never read: bounded server memory, and other clients not held up.
package dev.udsinterop.harness.reliability;

import dev.udsinterop.harness.host.ProcFs;
import dev.udsinterop.harness.report.ReliabilityResult;
import dev.udsinterop.harness.server.RunningServer;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Each slow client tries to write {@value #ATTEMPT_BYTES} bytes without ever reading. The
 * server must stop reading them once their echo backs up (so each gets only what the kernel
 * buffers and one server read buffer hold), keep its memory bounded, and still echo a
 * megabyte to another client meanwhile.
 */
final class SlowReaders implements Trial {
    private static final int ATTEMPT_BYTES = 8 << 20;
    private static final long STALL_MILLIS = 1000;
    private static final long DEADLINE_NANOS = 120_000_000_000L;

    @Override
    public String name() {
        return "slow-readers";
    }

    @Override
    public ReliabilityResult run(ReliabilityContext context) throws Exception {
        int n = context.quick() ? 10 : 100;
        Path socket = context.dir().resolve("slow.sock");
        long start = System.nanoTime();
        List<SocketChannel> slow = new ArrayList<>();
        try (RunningServer server = context.startJava(socket); Selector selector = Selector.open()) {
            long[] written = new long[n];
            for (int i = 0; i < n; i++) {
                SocketChannel client = SocketChannel.open(UnixDomainSocketAddress.of(socket));
                client.configureBlocking(false);
                slow.add(client);
                client.register(selector, SelectionKey.OP_WRITE, i);
            }
            ByteBuffer chunk = ByteBuffer.allocate(64 * 1024);
            // Write while any of them can; all stalled for a second (or done) means the server pushes back.
            long deadline = System.nanoTime() + DEADLINE_NANOS;
            while (!selector.keys().isEmpty() && System.nanoTime() < deadline && selector.select(STALL_MILLIS) > 0) {
                for (SelectionKey key : selector.selectedKeys()) {
                    int i = (Integer) key.attachment();
                    chunk.clear();
                    written[i] += ((SocketChannel) key.channel()).write(chunk);
                    if (written[i] >= ATTEMPT_BYTES) {
                        key.cancel(); // the server took it all: it buffers without bound
                    }
                }
                selector.selectedKeys().clear();
            }
            long most = Arrays.stream(written).max().orElse(0);
            long total = Arrays.stream(written).sum();

            byte[] payload = new byte[1 << 20];
            new Random(11).nextBytes(payload);
            long t0 = System.nanoTime();
            boolean otherServed = Arrays.equals(ReliabilityContext.echo(socket, payload), payload);
            long otherMillis = (System.nanoTime() - t0) / 1_000_000;
            long peak = ProcFs.peakRssKiB(server.pid());

            boolean bounded = most < ATTEMPT_BYTES;
            boolean pass = bounded && otherServed && peak <= ReliabilityContext.RSS_LIMIT_KIB;
            String detail = String.format("each slow client got at most %d KiB in (of %d KiB tried), %d KiB in all; "
                    + "another client's 1 MiB echo %s in %d ms while they waited", most >> 10, ATTEMPT_BYTES >> 10,
                    total >> 10, otherServed ? "came back whole" : "did NOT come back whole", otherMillis);
            return new ReliabilityResult(name(), n + " clients write " + (ATTEMPT_BYTES >> 20)
                    + " MiB each and never read; another client echoes 1 MiB meanwhile", server.id(), n + 1L,
                    otherServed ? payload.length : 0, otherServed ? 0 : payload.length, peak,
                    (System.nanoTime() - start) / 1_000_000, pass ? ReliabilityResult.PASS : ReliabilityResult.FAIL, detail);
        } finally {
            for (SocketChannel client : slow) {
                client.close();
            }
        }
    }
}
