// SPDX-License-Identifier: Apache-2.0
// DrainIT: at shutdown no connected client is dropped (not between accept and registration, not joining the backlog late), and the takeover ends.
package dev.udsinterop.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
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
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
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

    /** Failures of event loops: a loop that dies resets its clients, which would read as a lost echo. */
    private final ConcurrentLinkedQueue<Throwable> loopFailures = new ConcurrentLinkedQueue<>();

    @AfterEach
    void cleanUp() throws Exception {
        releaseSetup.countDown();
        for (AutoCloseable c : cleanup.reversed()) {
            c.close();
        }
        assertThat(loopFailures).as("event loops that failed").isEmpty();
    }

    private EchoServer start(int loops) throws IOException {
        EchoServer server = EchoServer.start(List.of(new ListenAddress.Unix(SocketPath.of(socket().toString()))),
                SocketMode.DEFAULT, loops, Admission.OPEN, holding, loopFailures::add);
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

    /**
     * A TCP listener goes on receiving clients while the shutdown takes over its backlog. Here
     * each client the takeover takes brings the next one (as a connect flood faster than the
     * takeover does): a takeover that accepts until the backlog is empty would never end. It
     * takes the clients that were waiting, at most a full backlog, and stops.
     */
    @Test
    void theTakeoverEndsThoughTheBacklogIsRefilledAsFastAsItIsTaken() throws Exception {
        int refillCap = 3_000; // so that a takeover without a bound ends too, after this many
        List<SocketChannel> clients = new ArrayList<>();
        cleanup.add(() -> {
            for (SocketChannel c : clients) {
                c.close();
            }
        });
        AtomicBoolean refilling = new AtomicBoolean();
        AtomicInteger refills = new AtomicInteger();
        AtomicReference<SocketAddress> address = new AtomicReference<>();
        EventLoop.ChannelSetup refill = (channel, listener) -> {
            if (refilling.get() && refills.get() < refillCap) {
                refills.incrementAndGet();
                clients.add(SocketChannel.open(address.get())); // the takeover's thread only: no race on the list
            }
            EventLoop.ChannelSetup.DEFAULT.configure(channel, listener);
        };
        EchoServer server = EchoServer.start(List.of(ListenAddress.Tcp.parse("127.0.0.1:0")),
                SocketMode.DEFAULT, 1, Admission.OPEN, refill, loopFailures::add);
        cleanup.add(server);
        String endpoint = server.endpoints().getFirst();
        address.set(new InetSocketAddress("127.0.0.1", Integer.parseInt(endpoint.substring(endpoint.lastIndexOf(':') + 1))));
        CountDownLatch releaseLoop = hold(server.loops().get(0)); // the takeover alone accepts
        clients.add(SocketChannel.open(address.get()));
        refilling.set(true);

        server.stopAccepting();
        refilling.set(false);
        System.out.printf("the takeover took %d clients that brought the next%n", refills.get());
        assertThat(refills.get()).as("clients the takeover took while the backlog refilled").isLessThan(refillCap);

        releaseLoop.countDown();
        for (SocketChannel c : clients) {
            c.close();
        }
        assertThat(server.awaitDrained(TIMEOUT)).as("drained").isTrue();
    }

    /**
     * A second signal runs close() while the first one's takeover is still under way (here held
     * in a client's setup): close must not wait for the takeover, and the wait for the drain
     * must end with it, so that the server exits at once.
     */
    @Test
    void closeDuringTheTakeoverEndsTheWaitForTheDrain() throws Exception {
        EchoServer server = start(1);
        CountDownLatch releaseLoop = hold(server.loops().get(0));
        SocketChannel waiting = connect(UnixDomainSocketAddress.of(socket()));
        holdNextSetup.set(true);
        CompletableFuture<Void> stopped = CompletableFuture.runAsync(server::stopAccepting, Thread::startVirtualThread);
        assertThat(setupHeld.await(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)).as("the takeover holds a client").isTrue();

        releaseLoop.countDown();
        CompletableFuture.runAsync(server::close, Thread::startVirtualThread) // the second signal
                .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(server.awaitDrained(Duration.ZERO)).as("the wait for the drain ended by close").isTrue();
        assertThat(server.loops()).as("loops after close").noneMatch(EventLoop::isAlive);

        releaseSetup.countDown();
        stopped.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        EchoClient.awaitClosedByServer(waiting);
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
