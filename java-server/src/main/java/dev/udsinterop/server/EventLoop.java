// SPDX-License-Identifier: Apache-2.0
// EventLoop: one selector thread that accepts on the shared listeners and echoes on the connections it owns.
package dev.udsinterop.server;

import java.io.IOException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A selector loop. Every loop accepts on every listener; a new connection stays on the loop
 * that accepted it unless that loop has more connections than the least loaded one, which
 * then adopts it. Keeping a connection where it was accepted avoids a hand-off and a wakeup
 * per connection, which is most of the cost of short connections.
 *
 * <p>While a loop has few connections and was just busy, it polls ({@code selectNow}) for a
 * few microseconds before blocking: a request-response client is often back within that
 * time, and blocking and waking again costs more. With many connections the loop never
 * polls, so it does not take CPU from the clients.
 *
 * <p>All state but the task queue and the connection count is confined to the loop's thread.
 */
final class EventLoop implements Runnable {
    private static final int READ_BUFFER_BYTES = 64 * 1024;
    private static final int ACCEPTS_PER_WAKEUP = 64;
    private static final int POLL_MAX_CONNECTIONS = 2;
    private static final long POLL_NANOS = 20_000;
    private static final System.Logger LOG = System.getLogger(EventLoop.class.getName());

    private final Selector selector;
    private final EchoServer server;
    private final ByteBuffer buffer = ByteBuffer.allocateDirect(READ_BUFFER_BYTES);
    private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final AtomicInteger connections = new AtomicInteger();
    private volatile boolean running = true;
    private boolean wasBusy;

    EventLoop(EchoServer server) throws IOException {
        this.server = server;
        this.selector = Selector.open();
    }

    /** Returns the number of connections this loop owns, including adopted ones not yet registered. */
    int connections() {
        return connections.get();
    }

    /** Starts accepting on {@code listener}. */
    void listen(Listener listener) {
        execute(() -> {
            try {
                listener.channel().register(selector, SelectionKey.OP_ACCEPT, listener);
            } catch (ClosedChannelException e) {
                // shut down before the loop got to it
            }
        });
    }

    /** Hands a freshly accepted connection to this loop. */
    void adopt(SocketChannel channel) {
        connections.incrementAndGet();
        execute(() -> register(channel));
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

    private void execute(Runnable task) {
        tasks.add(task);
        selector.wakeup();
    }

    @Override
    public void run() {
        try {
            while (running) {
                runTasks();
                wasBusy = select() > 0;
            }
        } catch (IOException | RuntimeException e) {
            server.failed(e);
        } finally {
            closeEverything();
        }
    }

    private int select() throws IOException {
        if (wasBusy && connections.get() <= POLL_MAX_CONNECTIONS) {
            long deadline = System.nanoTime() + POLL_NANOS;
            do {
                int n = selector.selectNow(this::handle);
                if (n > 0 || !tasks.isEmpty() || !running) {
                    return n;
                }
                Thread.onSpinWait();
            } while (System.nanoTime() - deadline < 0);
        }
        return selector.select(this::handle);
    }

    private void runTasks() {
        Runnable task;
        while ((task = tasks.poll()) != null) {
            task.run();
        }
    }

    private void handle(SelectionKey key) {
        if (key.attachment() instanceof Listener listener) {
            accept(listener);
            return;
        }
        Connection connection = (Connection) key.attachment();
        boolean open;
        try {
            open = key.isValid() && connection.onReady(buffer);
        } catch (IOException e) {
            // A reset or vanished client ends its own connection and nothing else.
            LOG.log(System.Logger.Level.DEBUG, "connection: {0}", e.getMessage());
            open = false;
        }
        if (!open) {
            close(connection);
        }
    }

    private void accept(Listener listener) {
        for (int i = 0; i < ACCEPTS_PER_WAKEUP; i++) {
            SocketChannel channel;
            try {
                channel = listener.channel().accept();
                if (channel == null) {
                    return; // drained, or another loop was faster
                }
                channel.configureBlocking(false);
                if (listener.isTcp()) {
                    channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
                }
            } catch (ClosedChannelException e) {
                return; // stopped accepting
            } catch (IOException e) {
                // EMFILE and the like: this client is refused, the server goes on
                LOG.log(System.Logger.Level.WARNING, "accept {0}: {1}", listener.endpoint(), e.getMessage());
                return;
            }
            EventLoop target = server.placement(this);
            if (target == this) {
                connections.incrementAndGet();
                register(channel);
            } else {
                target.adopt(channel);
            }
        }
    }

    private void register(SocketChannel channel) {
        try {
            SelectionKey key = channel.register(selector, SelectionKey.OP_READ);
            key.attach(new Connection(channel, key));
        } catch (IOException e) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // nothing more to release
            }
            connectionClosed();
        }
    }

    private void close(Connection connection) {
        connection.close();
        connectionClosed();
    }

    private void connectionClosed() {
        connections.decrementAndGet();
        server.connectionClosed();
    }

    private void closeEverything() {
        runTasks(); // registers adopted connections, so that they are closed below
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
    }
}
