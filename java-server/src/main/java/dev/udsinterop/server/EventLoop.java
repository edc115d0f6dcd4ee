// SPDX-License-Identifier: Apache-2.0
// EventLoop: one selector thread that accepts on the shared listeners and echoes on the connections it owns.
package dev.udsinterop.server;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * A selector loop. The first loop accepts on every listener; a new connection stays on it
 * unless it has two connections more than the least loaded loop, which then adopts it.
 * Keeping a connection where it was accepted avoids a hand-off and a wakeup per connection,
 * which is most of the cost of short connections; one accepting loop, rather than every loop,
 * avoids waking all of them for each new client, only one of which gets it (measured: a
 * third of the server's CPU per seed connection).
 *
 * <p>When it has nothing to do the loop blocks in select, or polls with {@code selectNow}
 * first, as its {@link Idle} says (the server's {@code --idle}).
 *
 * <p>A finished connection's key is cancelled at once, and its channel closed after the next
 * select has deregistered it: closing a channel that is still registered costs the JDK a
 * {@code getsockopt} and a {@code shutdown} more per connection. While channels wait for
 * that, the next select does not block.
 *
 * <p>When {@code accept} fails (EMFILE: out of descriptors) the pending client stays in the
 * backlog and the listener stays ready, so retrying at once would spin. The loop stops
 * accepting for a while ({@link AcceptBackoff}: 5 ms, doubling up to 1 s), and sooner when
 * one of its connections closes.
 *
 * <p>All state but the task and adoption queues and the connection count is confined to the loop's thread.
 */
final class EventLoop implements Runnable {
    private static final int READ_BUFFER_BYTES = 64 * 1024;
    private static final int ACCEPTS_PER_WAKEUP = 64;
    private static final System.Logger LOG = System.getLogger(EventLoop.class.getName());

    private final Selector selector;
    private final EchoServer server;
    private final Admission admission;
    private final ChannelSetup setup;
    private final Idle idle;
    private final ByteBuffer buffer = ByteBuffer.allocateDirect(READ_BUFFER_BYTES);
    private final StreamRights rights = StreamRights.forLoop(buffer);
    private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final Queue<SocketChannel> adopted = new ConcurrentLinkedQueue<>(); // handed over, not yet registered
    private final AtomicInteger connections = new AtomicInteger();
    private final List<SelectionKey> acceptKeys = new ArrayList<>();
    private final List<SocketChannel> closing = new ArrayList<>();
    private volatile boolean running = true;
    private volatile boolean alive = true;
    private final Consumer<SelectionKey> handler = this::handle; // one object, not one per select
    private final AcceptBackoff backoff = new AcceptBackoff();
    private long nextIdleCheck;
    private long lastWork; // System.nanoTime() when a select last found something or a task ran; not kept by BLOCK

    EventLoop(EchoServer server, Admission admission, ChannelSetup setup, Idle idle) throws IOException {
        this.server = server;
        this.admission = admission;
        this.setup = setup;
        this.idle = idle;
        this.selector = Selector.open();
        this.lastWork = System.nanoTime();
    }

    /** Returns the number of connections this loop owns, including adopted ones not yet registered. */
    int connections() {
        return connections.get();
    }

    /** Returns false once the loop has ended, normally or not; it then takes no connection. */
    boolean isAlive() {
        return alive;
    }

    /** Starts accepting on {@code listener}. */
    void listen(Listener listener) {
        execute(() -> {
            try {
                acceptKeys.add(listener.channel().register(selector, SelectionKey.OP_ACCEPT, listener));
            } catch (ClosedChannelException e) {
                // shut down before the loop got to it
            }
        });
    }

    /** Hands a freshly accepted connection to this loop. */
    void adopt(SocketChannel channel) {
        connections.incrementAndGet();
        adopted.add(channel);
        selector.wakeup();
        if (!alive) {
            closeAbandoned(); // the loop ended meanwhile (the server is closing): it will not register it
        }
    }

    /** Closes every connection now and ends the loop. */
    void stop() {
        running = false;
        selector.wakeup();
    }

    /** Wakes the loop so that it notices listeners closed from another thread. */
    void wakeup() {
        selector.wakeup();
    }

    /** Runs {@code task} on the loop's thread. */
    void execute(Runnable task) {
        tasks.add(task);
        selector.wakeup();
    }

    @Override
    public void run() {
        try {
            while (running) {
                runTasks();
                resumeAcceptingWhenDue();
                select();
                closeDeregistered();
                closeIdleConnections();
            }
        } catch (Throwable e) { // an Error too: a loop that ends unseen would strand its connections
            alive = false;
            if (!acceptKeys.isEmpty()) {
                server.acceptorEnded(); // another loop accepts while the server shuts down
            }
            server.failed(e);
        } finally {
            alive = false;
            closeEverything();
        }
    }

    private void select() throws IOException {
        if (!closing.isEmpty()) {
            selector.selectNow(handler); // deregisters the cancelled keys, so that their channels close now
            return;
        }
        if (idle == Idle.BLOCK) {
            selectBlocking(); // no clock read: blocking costs what it did before --idle
            return;
        }
        long now = System.nanoTime();
        int selected = idle.polls(now - lastWork, connections.get()) ? selector.selectNow(handler) : selectBlocking();
        if (selected > 0) {
            lastWork = System.nanoTime();
        }
    }

    private int selectBlocking() throws IOException {
        long timeoutNanos = timeoutNanos();
        if (timeoutNanos < 0) {
            return selector.select(handler);
        }
        return selector.select(handler, Math.max(1, TimeUnit.NANOSECONDS.toMillis(timeoutNanos)));
    }

    /** Returns how long the next select may block, or -1 for as long as it takes. */
    private long timeoutNanos() {
        long now = System.nanoTime();
        long timeout = backoff.nanosToResume(now);
        if (admission.hasIdleTimeout() && connections.get() > 0) {
            long untilCheck = Math.max(0, nextIdleCheck - now);
            timeout = timeout < 0 ? untilCheck : Math.min(timeout, untilCheck);
        }
        return timeout;
    }

    private void runTasks() {
        boolean worked = false;
        for (Runnable task; (task = tasks.poll()) != null; worked = true) {
            task.run();
        }
        for (SocketChannel channel; (channel = adopted.poll()) != null; worked = true) {
            register(channel);
        }
        if (worked && idle != Idle.BLOCK) {
            lastWork = System.nanoTime(); // an adopted client is about to send
        }
    }

    /**
     * Closes connections handed to this loop after it ended. Either this or the loop's last
     * {@link #runTasks()} polls each one: the loop drains the queue after it stopped being
     * alive, and an adopter that saw it alive had queued the channel before.
     */
    private void closeAbandoned() {
        for (SocketChannel channel; (channel = adopted.poll()) != null; ) {
            closeQuietly(channel);
            connectionClosed();
        }
    }

    private void handle(SelectionKey key) {
        if (key.attachment() instanceof Listener listener) {
            accept(key, listener);
            return;
        }
        Connection connection = (Connection) key.attachment();
        boolean open;
        try {
            open = key.isValid() && connection.onReady(buffer, rights);
        } catch (IOException e) {
            // A reset or vanished client ends its own connection and nothing else.
            LOG.log(System.Logger.Level.DEBUG, "connection: {0}", e.getMessage());
            open = false;
        }
        if (!open) {
            close(connection);
        }
    }

    private void accept(SelectionKey key, Listener listener) {
        for (int i = 0; i < ACCEPTS_PER_WAKEUP; i++) {
            server.admissionStarted(); // counted before it can be accepted: see EchoServer
            try {
                SocketChannel channel;
                try {
                    channel = listener.channel().accept();
                } catch (ClosedChannelException e) {
                    return; // stopped accepting
                } catch (IOException e) {
                    pauseAccepting(listener, e); // EMFILE and the like
                    return;
                }
                if (channel == null) {
                    if (listener.refusesConnects()) {
                        setInterest(key, 0); // nothing more will come, but a refusing listener stays ready
                    }
                    return; // drained, or another loop was faster
                }
                acceptSucceeded(listener);
                accepted(channel, listener, true);
            } finally {
                server.admissionEnded();
            }
        }
    }

    /** Takes over a channel another thread accepted on {@code listener} (the backlog at shutdown). */
    void takeOver(SocketChannel channel, Listener listener) {
        accepted(channel, listener, false);
    }

    /**
     * Sets up and admits a freshly accepted channel, then keeps it ({@code onLoopThread}) or
     * hands it to the loop placement picks. A channel whose setup fails is closed; the caller's
     * batch goes on.
     */
    private void accepted(SocketChannel channel, Listener listener, boolean onLoopThread) {
        boolean admitted;
        try {
            setup.configure(channel, listener);
            admitted = admission.admits(channel, listener, server.connections());
        } catch (IOException | RuntimeException e) {
            // This client only (it may have gone already).
            LOG.log(System.Logger.Level.DEBUG, "accept {0}: {1}", listener.endpoint(), e.toString());
            closeQuietly(channel);
            return;
        }
        if (!admitted) {
            closeQuietly(channel); // at once: refused, not queued
            return;
        }
        EventLoop target = server.placement(this);
        if (target == this && onLoopThread) {
            connections.incrementAndGet();
            register(channel);
        } else {
            target.adopt(channel);
        }
    }

    private void pauseAccepting(Listener listener, IOException e) {
        if (backoff.failed(System.nanoTime())) { // once per round, however many listeners failed in it
            setAcceptInterest(0);
        }
        if (server.acceptFailing(true)) { // once, not per retry
            LOG.log(System.Logger.Level.WARNING, "accept {0}: {1}; retrying every 5 ms to 1 s until it works",
                    listener.endpoint(), e.getMessage());
        }
    }

    private void acceptSucceeded(Listener listener) {
        backoff.succeeded();
        if (server.acceptFailing(false)) {
            LOG.log(System.Logger.Level.INFO, "accept {0}: works again", listener.endpoint());
        }
    }

    private void resumeAcceptingWhenDue() {
        if (backoff.isPaused() && backoff.resumeDue(System.nanoTime())) {
            setAcceptInterest(SelectionKey.OP_ACCEPT); // the delay stays until an accept works
        }
    }

    private void setAcceptInterest(int ops) {
        for (SelectionKey key : acceptKeys) {
            setInterest(key, ops);
        }
    }

    /**
     * Sets a listener key's interest. Asking {@code isValid()} first would not do: the shutdown
     * closes the listener on another thread, which cancels the key at any moment, also between
     * the two calls, and the exception would end this loop in the grace period.
     */
    private static void setInterest(SelectionKey key, int ops) {
        try {
            key.interestOps(ops);
        } catch (CancelledKeyException e) {
            // the listener was closed: nothing to accept there any more
        }
    }

    private void closeIdleConnections() {
        if (!admission.hasIdleTimeout()) {
            return;
        }
        long now = System.nanoTime();
        if (now - nextIdleCheck < 0) {
            return;
        }
        long limit = admission.idleTimeout().toNanos();
        nextIdleCheck = now + Math.max(TimeUnit.MILLISECONDS.toNanos(10), limit / 4);
        for (SelectionKey key : selector.keys()) {
            if (key.attachment() instanceof Connection connection && key.isValid() && connection.idleSince(now) > limit) {
                LOG.log(System.Logger.Level.DEBUG, "connection idle for {0} ms: closed",
                        TimeUnit.NANOSECONDS.toMillis(connection.idleSince(now)));
                close(connection);
            }
        }
    }

    private void register(SocketChannel channel) {
        try {
            SelectionKey key = channel.register(selector, SelectionKey.OP_READ);
            key.attach(new Connection(channel, key, rights));
        } catch (IOException e) {
            closeQuietly(channel);
            descriptorFreed();
            connectionClosed();
        }
    }

    private void close(Connection connection) {
        SocketChannel channel = connection.cancel();
        if (channel != null) { // a key cancelled in the last select is still in keys(): count it once
            closing.add(channel);
            connectionClosed();
        }
    }

    /** Closes the channels of ended connections whose keys the last select deregistered. */
    private void closeDeregistered() {
        if (closing.isEmpty()) {
            return;
        }
        int kept = 0;
        for (SocketChannel channel : closing) {
            if (channel.isRegistered()) {
                closing.set(kept++, channel);
            } else {
                closeQuietly(channel);
                descriptorFreed();
            }
        }
        closing.subList(kept, closing.size()).clear();
    }

    private void connectionClosed() {
        connections.decrementAndGet();
        server.connectionClosed();
    }

    private void descriptorFreed() {
        backoff.descriptorFreed(); // accept may work again: try now
    }

    private static void closeQuietly(SocketChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // the descriptor is released either way
        }
    }

    private void closeEverything() {
        runTasks(); // registers adopted connections, so that they are closed below (alive is false: see closeAbandoned)
        for (SelectionKey key : selector.keys()) {
            if (key.attachment() instanceof Connection connection) {
                close(connection);
            }
        }
        try {
            selector.close();
        } catch (IOException ignored) {
            // the loop is over
        }
        closing.forEach(EventLoop::closeQuietly);
        closing.clear();
    }

    /** Prepares a freshly accepted channel; a test may make it fail. */
    @FunctionalInterface
    interface ChannelSetup {
        ChannelSetup DEFAULT = (channel, listener) -> {
            channel.configureBlocking(false);
            if (listener.isTcp()) {
                channel.setOption(java.net.StandardSocketOptions.TCP_NODELAY, true);
            }
        };

        void configure(SocketChannel channel, Listener listener) throws IOException;
    }
}
