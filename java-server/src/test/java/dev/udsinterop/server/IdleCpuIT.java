// SPDX-License-Identifier: Apache-2.0
// IdleCpuIT: a server whose clients are quiet uses no CPU in its event loops, whatever --idle says, except spin.
package dev.udsinterop.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The CPU time of the server's event loop threads ({@code echo-loop-*}, utime + stime in
 * /proc, in clock ticks of 10 ms) while a client holds a connection open and sends nothing,
 * after it was served. The bound is generous, a sanity bound and not a timing goal: a loop
 * that blocks uses no tick in 2 s; one that polls uses a whole core if it gets one. That the
 * measurement sees polling is proven with {@code --idle spin}, which polls while it has a
 * connection.
 */
class IdleCpuIT {
    private static final Duration WINDOW = Duration.ofSeconds(2);
    private static final long IDLE_TICKS = 5; // 50 ms of CPU in 2 s: 2.5 % of a core

    @TempDir
    Path dir;

    @ParameterizedTest(name = "--idle {0}")
    @ValueSource(strings = {"block", "adaptive"})
    void aServerWithAQuietClientUsesNoCpuInItsLoops(String idle) throws Exception {
        try (ServerProcess server = ServerProcess.ready(1, "--unix", dir.resolve("s.sock").toString(), "--idle", idle);
             SocketChannel client = servedAndQuiet(server)) {
            long before = loopTicks(server.pid());
            Thread.sleep(WINDOW.toMillis()); // the window measured, not a wait for something to happen
            long used = loopTicks(server.pid()) - before;
            assertThat(used).as("clock ticks of the event loops in %s with one quiet connection (--idle %s)", WINDOW, idle)
                    .isLessThanOrEqualTo(IDLE_TICKS);
            assertThat(client.isOpen()).isTrue();
        }
    }

    @ParameterizedTest(name = "--idle {0}")
    @ValueSource(strings = {"spin"})
    void aSpinningServerIsSeenToUseCpu(String idle) throws Exception {
        try (ServerProcess server = ServerProcess.ready(1, "--unix", dir.resolve("s.sock").toString(), "--idle", idle);
             SocketChannel client = servedAndQuiet(server)) {
            long before = loopTicks(server.pid());
            // However loaded the machine, a polling loop gets this much CPU in time; a blocked one never does.
            await("the event loops of --idle " + idle + " use " + 4 * IDLE_TICKS + " ticks").atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> loopTicks(server.pid()) - before >= 4 * IDLE_TICKS);
            assertThat(client.isOpen()).isTrue();
        }
    }

    /** Connects, has 100 messages echoed (the loop did work), and returns the open connection. */
    private static SocketChannel servedAndQuiet(ServerProcess server) throws IOException {
        SocketChannel client = SocketChannel.open(server.address("unix"));
        try {
            for (int i = 0; i < 100; i++) {
                byte[] message = EchoClient.payload(i, 64);
                client.write(ByteBuffer.wrap(message));
                ByteBuffer echo = ByteBuffer.allocate(message.length);
                while (echo.hasRemaining()) {
                    if (client.read(echo) < 0) {
                        throw new IOException("EOF before the echo of message " + i);
                    }
                }
                assertThat(echo.array()).as("echo of message %d", i).isEqualTo(message);
            }
            return client;
        } catch (IOException | RuntimeException | Error e) {
            client.close();
            throw e;
        }
    }

    /** Sums utime + stime of the threads named echo-loop-N of process {@code pid}. */
    private static long loopTicks(long pid) throws IOException {
        long ticks = 0;
        try (Stream<Path> tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path task : tasks.toList()) {
                try {
                    if (!Files.readString(task.resolve("comm")).startsWith("echo-loop-")) {
                        continue;
                    }
                    String stat = Files.readString(task.resolve("stat"));
                    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    ticks += Long.parseLong(fields[11]) + Long.parseLong(fields[12]); // utime, stime (fields 14, 15)
                } catch (java.nio.file.NoSuchFileException e) {
                    // a thread that ended meanwhile: not a loop (they live as long as the server)
                }
            }
        }
        return ticks;
    }
}
