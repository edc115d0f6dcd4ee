// SPDX-License-Identifier: Apache-2.0
// AcceptRaceIT: the accepting loop survives the shutdown closing its listener while it changes the listener's interest.
package dev.udsinterop.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.UnixDomainSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * In process, under failsafe (the jar's Java 22 classes: a unix listener that refuses new
 * clients stays ready, and the accepting loop turns its interest off). The shutdown closes
 * the listener on its own thread, which cancels the loop's key at any moment; a loop that
 * asked {@code isValid()} and then set the interest could meet a key cancelled in between,
 * and die of the CancelledKeyException. The window is a few instructions, so this is a
 * stress test: many short servers, each stopped right after its loop accepted.
 */
class AcceptRaceIT {
    private static final byte[] HELLO = "Hello".getBytes(StandardCharsets.US_ASCII);
    private static final int ROUNDS = 2_000;
    private static final Duration TIME_LIMIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    @Test
    void theAcceptingLoopSurvivesItsListenerClosedByTheShutdown() throws Exception {
        ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
        long end = System.nanoTime() + TIME_LIMIT.toNanos();
        int round = 0;
        for (; round < ROUNDS && failures.isEmpty() && System.nanoTime() - end < 0; round++) {
            Path socket = dir.resolve("s" + round);
            try (EchoServer server = EchoServer.start(List.of(new ListenAddress.Unix(SocketPath.of(socket.toString()))),
                    SocketMode.DEFAULT, 1, Admission.OPEN, EventLoop.ChannelSetup.DEFAULT, failures::add)) {
                // An echo proves the loop accepts there: its key is registered before the shutdown begins.
                assertThat(EchoClient.echo(UnixDomainSocketAddress.of(socket), HELLO)).isEqualTo(HELLO);
                server.stopAccepting();
            }
        }
        System.out.printf("%d rounds, loop failures: %s%n", round, failures);
        assertThat(failures).as("event loop failures in %d rounds", round).isEmpty();
    }
}
