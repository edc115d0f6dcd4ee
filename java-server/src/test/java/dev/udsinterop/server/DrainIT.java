// SPDX-License-Identifier: Apache-2.0
// DrainIT: at shutdown no connected client is dropped: not one between accept and registration, not one that joins the backlog late.
package dev.udsinterop.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ConnectException;
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
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * In process, with the setup of an accepted channel ({@link EventLoop.ChannelSetup}) held on a
 * latch, so that a client sits between accept and registration exactly when the shutdown
 * looks for open connections. An IT, not a unit test: failsafe puts the multi-release jar on
 * the class path, so the Java 22 classes (shutdown(2) on the listener) are the ones tested.
 */
class DrainIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    private static final byte[] HELLO = "Hello".getBytes(StandardCharsets.US_ASCII);

    @TempDir
    Path dir;

    private final AtomicBoolean holdNextSetup = new AtomicBoolean();
    private final CountDownLatch setupHeld = new CountDownLatch(1);
    private final CountDownLatch releaseSetup = new CountDownLatch(1);
    private final List<AutoCloseable> cleanup = new ArrayList<>();

    /** Sets up accepted channels as the server does, but holds the one after {@link #holdNextSetup} was set. */
    private final EventLoop.ChannelSetup holding = (channel, listener) -> {
        if (holdNextSetup.getAndSet(false)) {
            setupHeld.countDown();
            awaitQuietly(releaseSetup);
        }
        EventLoop.ChannelSetup.DEFAULT.configure(channel, listener);
    };

    @AfterEach
    void cleanUp() throws Exception {
        releaseSetup.countDown();
        for (AutoCloseable c : cleanup.reversed()) {
            c.close();
        }
    }

    private EchoServer start(int loops) throws IOException {
        EchoServer server = EchoServer.start(List.of(new ListenAddress.Unix(SocketPath.of(socket().toString()))),
                SocketMode.DEFAULT, loops, Admission.OPEN, holding, failure -> { });
        cleanup.add(server);
        return server;
    }

    private Path socket() {
        return dir.resolve("echo.sock");
    }

    private SocketChannel connect(SocketAddress address) throws IOException {
        SocketChannel channel = SocketChannel.open(address);
        cleanup.add(channel);
        return channel;
    }

    /**
     * The accepting loop has taken the client from the backlog and is setting it up when
     * SIGTERM comes. The shutdown, as the command runs it (stop accepting, wait for the drain,
     * close), must wait for that client too.
     */
    @Test
    void aClientTheLoopIsTakingInWhenAcceptingStopsGetsItsEcho() throws Exception {
        EchoServer server = start(1);
        holdNextSetup.set(true);
        SocketChannel client = connect(UnixDomainSocketAddress.of(socket()));
        EchoClient.writeFully(client, HELLO);
        assertThat(setupHeld.await(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)).as("the loop holds the client in its setup").isTrue();

        CompletableFuture<Boolean> drained = new CompletableFuture<>();
        Thread sigterm = Thread.ofPlatform().name("sigterm").start(() -> {
            try {
                server.stopAccepting();
                drained.complete(server.awaitDrained(TIMEOUT));
                server.close();
            } catch (Throwable e) {
                drained.completeExceptionally(e);
            }
        });
        cleanup.add(sigterm::join);
        // Waiting for the drain (right), or already closing and joining the held loop (the client is lost).
        await("the shutdown waits").atMost(TIMEOUT).until(() -> sigterm.getState() == Thread.State.TIMED_WAITING);
        releaseSetup.countDown();

        assertThat(echoOrWhyNot(client)).as("echo of the client taken in when accepting stopped").isEqualTo("Hello");
        assertThat(drained.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)).as("drained within the grace period").isTrue();
    }

    /**
     * The shutdown's own takeover of the backlog holds a client in its setup while the last
     * open connection closes: "no connections" must not be reported then.
     */
    @Test
    void theDrainWaitsForAClientTheTakeoverIsTakingIn() throws Exception {
        EchoServer server = start(2);
        EventLoop acceptor = server.loops().get(0);
        EventLoop other = server.loops().get(1);
        // Three clients, each echoed before the next: the third goes to the other loop (see EchoServer.placement).
        List<SocketChannel> early = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            SocketChannel c = connect(UnixDomainSocketAddress.of(socket()));
            EchoClient.writeFully(c, HELLO);
            assertThat(EchoClient.readExactly(c, HELLO.length)).isEqualTo(HELLO);
            early.add(c);
        }
        assertThat(other.connections()).as("connections of the other loop").isEqualTo(1);
        assertThat(echoOrWhyNot(early.get(0))).isEqualTo("");
        assertThat(echoOrWhyNot(early.get(1))).isEqualTo("");
        await("the accepting loop's connections closed").atMost(TIMEOUT).until(() -> acceptor.connections() == 0);

        CountDownLatch releaseLoop = hold(acceptor); // so that the next client waits in the backlog
        SocketChannel waiting = connect(UnixDomainSocketAddress.of(socket()));
        EchoClient.writeFully(waiting, HELLO);
        holdNextSetup.set(true);
        CompletableFuture<Void> stopped = CompletableFuture.runAsync(server::stopAccepting, Thread::startVirtualThread);
        assertThat(setupHeld.await(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)).as("the takeover holds the client in its setup").isTrue();

        assertThat(echoOrWhyNot(early.get(2))).as("the last open connection finishes").isEqualTo("");
        assertThat(server.awaitDrained(Duration.ZERO)).as("drained while a client is being taken in").isFalse();

        releaseSetup.countDown();
        releaseLoop.countDown();
        stopped.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(echoOrWhyNot(waiting)).as("echo of the client the takeover took in").isEqualTo("Hello");
        assertThat(server.awaitDrained(TIMEOUT)).as("drained once it finished").isTrue();
    }

    /**
     * A client that connects after the takeover began (here through a second name of the
     * socket, a hard link: the path itself is gone) must be refused, not queued where the
     * takeover may no longer look and the listener's close would reset it.
     */
    @Test
    void aClientConnectingAfterTheTakeoverBeganIsRefusedNotQueued() throws Exception {
        EchoServer server = start(1);
        Path secondName = Files.createLink(dir.resolve("link.sock"), socket());
        CountDownLatch releaseLoop = hold(server.loops().get(0));
        SocketChannel waiting = connect(UnixDomainSocketAddress.of(socket()));
        EchoClient.writeFully(waiting, HELLO);
        holdNextSetup.set(true);
        CompletableFuture<Void> stopped = CompletableFuture.runAsync(server::stopAccepting, Thread::startVirtualThread);
        assertThat(setupHeld.await(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)).as("the takeover holds the client in its setup").isTrue();

        assertThatThrownBy(() -> connect(UnixDomainSocketAddress.of(secondName)))
                .as("connecting through a second name once the takeover began").isInstanceOf(ConnectException.class);

        releaseSetup.countDown();
        releaseLoop.countDown();
        stopped.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(echoOrWhyNot(waiting)).as("echo of the client that waited in the backlog").isEqualTo("Hello");
        assertThat(server.awaitDrained(TIMEOUT)).as("drained").isTrue();
    }

    /** Holds {@code loop} in a task until the returned latch is released. */
    private CountDownLatch hold(EventLoop loop) throws InterruptedException {
        CountDownLatch held = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        loop.execute(() -> {
            held.countDown();
            awaitQuietly(release);
        });
        cleanup.add(release::countDown);
        assertThat(held.await(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)).as("loop held").isTrue();
        return release;
    }

    /** Half-closes and returns what came back until EOF, or why nothing did (a reset). */
    private static String echoOrWhyNot(SocketChannel client) {
        try {
            return new String(EchoClient.echo(client, new byte[0]), StandardCharsets.US_ASCII);
        } catch (Exception e) {
            return "no echo: " + e;
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
