// SPDX-License-Identifier: Apache-2.0
// EventLoopTest: an event loop's faults, in process: an Error in a loop, a failing accepted channel, counting at shutdown.
package dev.udsinterop.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EventLoopTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    private static final byte[] HELLO = "Hello".getBytes(StandardCharsets.US_ASCII);

    @TempDir
    Path dir;

    private final CompletableFuture<Throwable> failure = new CompletableFuture<>();

    private EchoServer start(int loops, EventLoop.ChannelSetup setup) throws IOException {
        return EchoServer.start(List.of(new ListenAddress.Unix(SocketPath.of(dir.resolve("echo.sock").toString()))),
                SocketMode.DEFAULT, loops, Admission.OPEN, setup, failure::complete);
    }

    private SocketAddress address() {
        return UnixDomainSocketAddress.of(dir.resolve("echo.sock"));
    }

    @Test
    void anErrorInALoopReachesTheServerAndTheLoopTakesNoMoreConnections() throws Exception {
        try (EchoServer server = start(2, EventLoop.ChannelSetup.DEFAULT)) {
            EventLoop broken = server.loops().get(0);
            broken.execute(() -> {
                throw new StackOverflowError("injected");
            });
            Throwable cause = failure.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            assertThat(cause).as("what the server heard").isInstanceOf(StackOverflowError.class).hasMessage("injected");
            await("the loop ended").atMost(TIMEOUT).until(() -> !broken.isAlive());
            EventLoop other = server.loops().get(1);
            try (SocketChannel client = SocketChannel.open(address())) {
                assertThat(EchoClient.readExactly(echoOf(client), HELLO.length)).isEqualTo(HELLO);
                assertThat(other.connections()).as("connections of the live loop").isEqualTo(1);
                // The broken loop has fewer connections, but must not be handed new ones.
                assertThat(server.placement(other)).as("placement beside a broken loop").isSameAs(other);
            }
        }
    }

    @Test
    void oneLoopAcceptsAndConcurrentConnectionsAreSpreadOverTheLoops() throws Exception {
        List<SocketChannel> clients = new ArrayList<>();
        try (EchoServer server = start(2, EventLoop.ChannelSetup.DEFAULT)) {
            for (int i = 0; i < 8; i++) {
                SocketChannel client = SocketChannel.open(address());
                clients.add(client);
                // Each echoed before the next dials: the accepting loop sees the counts as they are.
                assertThat(EchoClient.readExactly(echoOf(client), HELLO.length)).isEqualTo(HELLO);
            }
            int first = server.loops().get(0).connections();
            int second = server.loops().get(1).connections();
            assertThat(first + second).as("connections").isEqualTo(8);
            assertThat(Math.abs(first - second)).as("imbalance of %d and %d", first, second).isLessThanOrEqualTo(2);
        } finally {
            for (SocketChannel client : clients) {
                client.close();
            }
        }
    }

    @Test
    void aFinishedConnectionReleasesItsSocket() throws Exception {
        try (EchoServer server = start(1, EventLoop.ChannelSetup.DEFAULT)) {
            assertThat(EchoClient.echo(address(), HELLO)).isEqualTo(HELLO); // JIT and class loading settle first
            await("connection closed").atMost(TIMEOUT).until(() -> server.connections() == 0);
            long before = openSockets();
            for (int i = 0; i < 50; i++) {
                assertThat(EchoClient.echo(address(), HELLO)).isEqualTo(HELLO);
            }
            // The last channel closes after one more select; a leak would leave about 50.
            await("open sockets back to " + before).atMost(TIMEOUT).until(() -> openSockets() <= before);
        }
    }

    /** Counts this process's open sockets (other descriptors, such as jars, open as classes load). */
    private static long openSockets() throws IOException {
        try (var entries = Files.list(Path.of("/proc/self/fd"))) {
            return entries.filter(fd -> {
                try {
                    return Files.readSymbolicLink(fd).toString().startsWith("socket:");
                } catch (IOException e) {
                    return false; // closed meanwhile
                }
            }).count();
        }
    }

    @Test
    void anAcceptedChannelWhoseSetupFailsIsClosedAndTheNextClientIsServed() throws Exception {
        AtomicInteger setups = new AtomicInteger();
        EventLoop.ChannelSetup failFirst = (channel, listener) -> {
            if (setups.getAndIncrement() == 0) {
                throw new IOException("injected setOption failure");
            }
            EventLoop.ChannelSetup.DEFAULT.configure(channel, listener);
        };
        try (EchoServer server = start(1, failFirst);
             SocketChannel first = SocketChannel.open(address())) {
            EchoClient.awaitClosedByServer(first); // not leaked: the server closed its end
            assertThat(EchoClient.echo(address(), HELLO)).as("echo to the next client").isEqualTo(HELLO);
            await("no connection counted").atMost(TIMEOUT).until(() -> server.connections() == 0);
            assertThat(failure).as("the server failed").isNotDone();
        }
    }

    @Test
    void aConnectionClosedInTheLastSelectIsCountedOnceAtShutdown() throws Exception {
        EchoServer server = start(1, EventLoop.ChannelSetup.DEFAULT);
        try (SocketChannel client = SocketChannel.open(address())) {
            EventLoop loop = server.loops().get(0);
            await("connection registered").atMost(TIMEOUT).until(() -> server.connections() == 1);
            // Hold the loop in a task, so that the client's EOF and the stop meet in one select.
            CountDownLatch held = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            loop.execute(() -> {
                held.countDown();
                awaitQuietly(release);
            });
            assertThat(held.await(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)).as("loop held").isTrue();
            client.shutdownOutput(); // EOF: the server closes the connection in the next select
            loop.stop();
            release.countDown();
            server.close();
            assertThat(server.connections()).as("open connections after shutdown").isZero();
        } finally {
            server.close();
        }
    }

    @Test
    void aClientWaitingInTheBacklogWhenAcceptingStopsIsServed() throws Exception {
        try (EchoServer server = start(1, EventLoop.ChannelSetup.DEFAULT)) {
            EventLoop loop = server.loops().get(0);
            CountDownLatch held = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            loop.execute(() -> {
                held.countDown();
                awaitQuietly(release);
            });
            assertThat(held.await(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)).as("loop held").isTrue();
            try (SocketChannel waiting = SocketChannel.open(address())) { // in the backlog: nobody accepts now
                EchoClient.writeFully(waiting, HELLO);
                server.stopAccepting(); // SIGTERM's first step
                assertThat(dir.resolve("echo.sock")).as("socket file once accepting stopped").doesNotExist();
                release.countDown();
                assertThat(EchoClient.echo(waiting, new byte[0])).as("echo of the client that waited").isEqualTo(HELLO);
            }
            assertThat(server.awaitDrained(TIMEOUT)).as("drained").isTrue();
        }
    }

    private static SocketChannel echoOf(SocketChannel client) throws IOException {
        EchoClient.writeFully(client, HELLO);
        return client;
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
