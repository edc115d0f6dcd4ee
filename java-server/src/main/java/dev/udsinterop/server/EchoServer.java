// SPDX-License-Identifier: Apache-2.0
// EchoServer: the listeners and the event loops of one running server, and its orderly shutdown.
package dev.udsinterop.server;

import java.io.IOException;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * A running stream echo server: every byte a client sends comes back in order; after the
 * client's EOF the rest is sent and the connection closed, so a client that half-closes
 * still receives the whole echo.
 *
 * <p>Shutdown is two steps. {@link #stopAccepting()} closes the listeners and removes their
 * socket files; open connections go on. {@link #awaitDrained(Duration)} waits for them to
 * finish, and {@link #close()} ends whatever is left.
 *
 * <p>No client whose connect succeeded is dropped by the first step. Two things make that so:
 * <ul>
 * <li>A client is counted from before the {@code accept} that returns it ({@link #admitting})
 *     until its loop has counted it, and "drained" is decided only once the listeners are
 *     closed, reading {@link #admitting} before the loops' counts. A client between accept
 *     and registration, on a loop or in the takeover, is therefore always seen; and once the
 *     listeners are closed, no accept can return another one.
 * <li>New clients are kept out before the backlog is taken over, so that nobody joins it
 *     after the takeover's last accept and is reset by the close: first the socket file goes
 *     (no new client finds the path), then the listening socket refuses connects for good
 *     ({@link Listener#refuseConnects()}: also a client that found the path just before, or
 *     knows the socket by another name), and only then is the backlog taken, until it is
 *     empty. TCP has no such step (shutdown(2) of a listening TCP socket drops its backlog),
 *     so there a client that connects while the server stops may be reset, as by any server
 *     that stops; the takeover serves the ones that were waiting.
 * </ul>
 */
public final class EchoServer implements AutoCloseable {
    private static final int BACKLOG = 1024;

    private final List<Listener> listeners = new ArrayList<>();
    private final List<EventLoop> loops = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private final CountDownLatch drained = new CountDownLatch(1);
    private final Consumer<Throwable> onFailure;
    private final AtomicBoolean acceptFailing = new AtomicBoolean();
    private final AtomicBoolean stopping = new AtomicBoolean();
    /** Accepts under way: from before {@code accept()} until the client is counted by its loop, or dropped. */
    private final AtomicInteger admitting = new AtomicInteger();
    private volatile boolean listenersClosed;

    private EchoServer(Consumer<Throwable> onFailure) {
        this.onFailure = onFailure;
    }

    /**
     * Binds every address and starts {@code loopCount} event loops. On failure nothing stays
     * bound and no socket file is left behind. {@code onFailure} hears of an event loop that
     * failed unexpectedly (the server cannot go on without it).
     *
     * @throws ConfigurationException if an address cannot be used
     * @throws IOException on an unexpected failure
     */
    static EchoServer start(List<ListenAddress> addresses, SocketMode mode, int loopCount, Admission admission,
                            Consumer<Throwable> onFailure) throws IOException {
        return start(addresses, mode, loopCount, admission, Idle.DEFAULT, EventLoop.ChannelSetup.DEFAULT, onFailure);
    }

    /** As above, with the loops' {@link Idle} given. */
    static EchoServer start(List<ListenAddress> addresses, SocketMode mode, int loopCount, Admission admission,
                            Idle idle, Consumer<Throwable> onFailure) throws IOException {
        return start(addresses, mode, loopCount, admission, idle, EventLoop.ChannelSetup.DEFAULT, onFailure);
    }

    /** As above, with the setup of each accepted channel given (tests make it fail). */
    static EchoServer start(List<ListenAddress> addresses, SocketMode mode, int loopCount, Admission admission,
                            EventLoop.ChannelSetup setup, Consumer<Throwable> onFailure) throws IOException {
        return start(addresses, mode, loopCount, admission, Idle.DEFAULT, setup, onFailure);
    }

    private static EchoServer start(List<ListenAddress> addresses, SocketMode mode, int loopCount, Admission admission,
                                    Idle idle, EventLoop.ChannelSetup setup, Consumer<Throwable> onFailure)
            throws IOException {
        if (addresses.isEmpty()) {
            throw new ConfigurationException("no address to listen on: give --unix PATH and/or --tcp HOST:PORT");
        }
        if (loopCount < 1) {
            throw new ConfigurationException("loops " + loopCount + ": want at least 1");
        }
        Objects.requireNonNull(mode, "mode");
        EchoServer server = new EchoServer(Objects.requireNonNull(onFailure, "onFailure"));
        try {
            for (ListenAddress address : addresses) {
                server.listeners.add(Listener.open(address, mode, BACKLOG));
            }
            for (int i = 0; i < loopCount; i++) {
                server.loops.add(new EventLoop(server, admission, setup, Objects.requireNonNull(idle, "idle")));
            }
        } catch (RuntimeException | IOException e) {
            server.close();
            throw e;
        }
        for (int i = 0; i < server.loops.size(); i++) {
            EventLoop loop = server.loops.get(i);
            if (i == 0) {
                server.listeners.forEach(loop::listen); // see EventLoop: one loop accepts
            }
            Thread thread = new Thread(loop, "echo-loop-" + i);
            server.threads.add(thread);
            thread.start();
        }
        return server;
    }

    /** Returns the endpoints, in the order given, as ready lines name them ({@code unix:/path}, {@code tcp:HOST:PORT}). */
    public List<String> endpoints() {
        return listeners.stream().map(Listener::endpoint).toList();
    }

    /** Returns the number of open connections. */
    public int connections() {
        return loops.stream().mapToInt(EventLoop::connections).sum();
    }

    /**
     * Removes the socket files, makes the listeners refuse new clients, takes over the clients
     * already waiting in their backlogs (their connect succeeded, so they are in flight and get
     * their echo), then closes the listeners; open connections go on. Idempotent; a call while
     * another one is taking over the backlogs closes the listeners at once, which ends that
     * takeover (a second signal stops the server without waiting for it).
     */
    public void stopAccepting() {
        if (stopping.compareAndSet(false, true)) { // the order: see the class comment
            listeners.forEach(Listener::removeFile);
            listeners.forEach(Listener::refuseConnects);
            listeners.forEach(this::takeBacklog);
        }
        for (Listener listener : listeners) {
            try {
                listener.close();
            } catch (IOException e) {
                System.getLogger(EchoServer.class.getName())
                        .log(System.Logger.Level.WARNING, "close {0}: {1}", listener.endpoint(), e.getMessage());
            }
        }
        listenersClosed = true;
        loops.forEach(EventLoop::wakeup); // a closed channel is released at its selectors' next select
        checkDrained(); // no connection may be open to report it
    }

    /**
     * Hands the clients waiting in {@code listener}'s backlog to a loop: at most as many as a
     * full backlog holds (the kernel queues up to backlog + 1), the ones that were waiting when
     * the takeover began. A TCP listener goes on receiving clients meanwhile, and a connect
     * flood can refill the backlog faster than it is taken (measured: 16 threads of
     * non-blocking connects on these 2-core machines): accepting until it is empty never ended.
     */
    private void takeBacklog(Listener listener) {
        EventLoop first = firstLiveLoop();
        if (first == null) {
            return; // no loop to serve them: closing the listener resets them
        }
        for (int taken = 0; taken <= BACKLOG; taken++) {
            admissionStarted();
            try {
                SocketChannel channel = listener.channel().accept();
                if (channel == null) {
                    return;
                }
                first.takeOver(channel, listener);
            } catch (IOException e) {
                return; // closed meanwhile, or out of descriptors: the rest are reset when the listener closes
            } finally {
                admissionEnded();
            }
        }
    }

    /**
     * Waits until every connection has finished, at most {@code grace}, or until {@link #close()}
     * ended them. Call after {@link #stopAccepting()}. Returns true if they all finished or were ended.
     */
    public boolean awaitDrained(Duration grace) throws InterruptedException {
        return drained.await(grace.toNanos(), TimeUnit.NANOSECONDS);
    }

    /**
     * Stops accepting, closes every connection and ends the event loops. Idempotent, and
     * works while another thread is in {@link #stopAccepting()} (see there).
     */
    @Override
    public void close() {
        try {
            stopAccepting();
            loops.forEach(EventLoop::stop);
            for (Thread thread : threads) {
                thread.join(Duration.ofSeconds(5));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            // Nothing is left to wait for, also when a client the takeover was handing over stays counted.
            drained.countDown();
        }
    }

    /** Returns the event loops (tests run tasks on them). */
    List<EventLoop> loops() {
        return loops;
    }

    /**
     * Picks the loop for a connection {@code acceptor} accepted: itself, unless it has at least
     * two connections more than the least loaded loop. One more is tolerated because a client
     * that dials again at once finds its previous connection still counted; handing every
     * such connection over would cost a wakeup each. A loop that has ended takes none.
     */
    EventLoop placement(EventLoop acceptor) {
        EventLoop least = acceptor;
        for (EventLoop loop : loops) {
            if (loop.isAlive() && loop.connections() + 1 < least.connections()) {
                least = loop;
            }
        }
        return least;
    }

    /** Moves accepting to a live loop: the accepting one failed, and clients in flight still get their echo. */
    void acceptorEnded() {
        EventLoop loop = firstLiveLoop();
        if (loop != null) {
            listeners.forEach(loop::listen);
        }
    }

    private EventLoop firstLiveLoop() {
        return loops.stream().filter(EventLoop::isAlive).findFirst().orElse(null);
    }

    void connectionClosed() {
        checkDrained();
    }

    /** Counts a client from before the accept that may return it (see the class comment). */
    void admissionStarted() {
        admitting.incrementAndGet();
    }

    /** Ends {@link #admissionStarted()}: the client was counted by its loop, or dropped, or there was none. */
    void admissionEnded() {
        if (admitting.decrementAndGet() == 0) {
            checkDrained();
        }
    }

    private void checkDrained() {
        // In this order: a client that is neither admitting nor counted by its loop when read is gone for good.
        if (listenersClosed && admitting.get() == 0 && connections() == 0) {
            drained.countDown();
        }
    }

    /** Records whether accepting fails; returns true if that changed, so it is logged once. */
    boolean acceptFailing(boolean failing) {
        return acceptFailing.compareAndSet(!failing, failing);
    }

    void failed(Throwable cause) {
        onFailure.accept(cause);
    }
}
