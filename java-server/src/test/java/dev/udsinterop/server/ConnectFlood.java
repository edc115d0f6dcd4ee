// SPDX-License-Identifier: Apache-2.0
// ConnectFlood: threads that open TCP connections and drop them at once, as fast as they can, for a bounded time.
package dev.udsinterop.server;

import java.io.IOException;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A connect flood: each thread loops over a non-blocking connect (on loopback the handshake
 * completes within the call when the listener has room) and a close with SO_LINGER 0 (a
 * reset, so that no TIME_WAIT uses up the ports). It never waits on a full backlog, so the
 * backlog is refilled as fast as it is taken. Stops at {@link #close()} or after
 * {@code limit}, whichever comes first.
 */
final class ConnectFlood implements AutoCloseable {
    private final List<Thread> threads = new ArrayList<>();
    private final AtomicLong attempts = new AtomicLong();
    private final long endNanos;
    private volatile boolean stopped;

    private ConnectFlood(long endNanos) {
        this.endNanos = endNanos;
    }

    static ConnectFlood start(SocketAddress address, int threadCount, Duration limit) {
        ConnectFlood flood = new ConnectFlood(System.nanoTime() + limit.toNanos());
        for (int i = 0; i < threadCount; i++) {
            flood.threads.add(Thread.ofPlatform().daemon().name("flood-" + i).start(() -> flood.run(address)));
        }
        return flood;
    }

    private void run(SocketAddress address) {
        while (!stopped && System.nanoTime() - endNanos < 0) {
            try (SocketChannel channel = SocketChannel.open()) {
                channel.configureBlocking(false);
                channel.setOption(StandardSocketOptions.SO_LINGER, 0);
                channel.connect(address);
            } catch (IOException e) {
                // refused once the server stopped listening: keep knocking until stopped
            }
            attempts.incrementAndGet();
        }
    }

    /** Returns the connects tried so far. */
    long attempts() {
        return attempts.get();
    }

    @Override
    public void close() throws InterruptedException {
        stopped = true;
        for (Thread thread : threads) {
            thread.join();
        }
    }
}
