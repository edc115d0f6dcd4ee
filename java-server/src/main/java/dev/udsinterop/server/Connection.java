// SPDX-License-Identifier: Apache-2.0
// Connection: the echo state of one client: what is still to be written back, and whether its input ended.
package dev.udsinterop.server;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;

/**
 * One client connection, owned by one {@link EventLoop}.
 *
 * <p>Bytes are read into the loop's shared buffer and written straight back. Only what the
 * socket does not take at once is copied into a buffer of this connection, and while that
 * buffer is not empty the connection is not read: the client's own sending is slowed by the
 * kernel (backpressure), and an idle connection holds no buffer at all. So a client that
 * sends and never reads costs the server at most one read buffer (64 KiB).
 *
 * <p>A Unix stream connection is read by its descriptor number ({@code fd}, see
 * {@link StreamRights}), so that descriptors passed with its bytes (SCM_RIGHTS) are received;
 * they go back attached to the first byte of the echo of those bytes, and are then closed
 * here. Until they went, they are kept with the unsent rest. A TCP connection, or any where
 * this Java finds no descriptor number ({@code fd} -1), is read through its channel.
 */
final class Connection {
    /** A full buffer suggests more is waiting: reading it now saves a select, but only so often, for fairness. */
    private static final int READS_PER_WAKEUP = 16;
    /**
     * What one read over TCP asks for, where a unix socket reads the whole shared buffer. A read
     * that returns less than it asked for sends the loop back to {@code epoll_wait}, and loopback
     * TCP queues a client's writes in pieces, so a 64 KiB read often found the queue part full and
     * slept, and a wake-up is the expensive part on these VMs; a 32 KiB read keeps finding a full
     * buffer and the loop reading: stream over tcp 1.13-1.16x the MB/s at 0.56-0.59x the server CPU
     * per MB, half the {@code epoll_wait} calls (docs/benchmark.md). Over unix it changed nothing
     * beyond the noise.
     */
    private static final int TCP_READ_BYTES = 32 * 1024;
    private final SocketChannel channel;
    private final SelectionKey key;
    private final int readBytes; // 0: the whole shared buffer
    private final int fd; // -1: read through the channel
    private ByteBuffer unwritten;
    private int[] unsentFds = StreamRights.NONE; // go with the first byte of unwritten
    private long lastProgress = System.nanoTime();
    private boolean closed;

    Connection(SocketChannel channel, SelectionKey key, StreamRights rights) {
        this.channel = channel;
        this.key = key;
        boolean tcp = isTcp(channel);
        this.readBytes = tcp ? TCP_READ_BYTES : 0;
        this.fd = tcp ? -1 : rights.descriptor(channel);
    }

    /** The local address was read when the channel was made: asking costs no system call. */
    private static boolean isTcp(SocketChannel channel) {
        try {
            return channel.getLocalAddress() instanceof InetSocketAddress;
        } catch (IOException e) {
            return false; // closed already: the first read says so
        }
    }

    /**
     * Handles readiness. Returns false when the connection is finished: the client's input
     * ended and every byte was echoed, so the caller closes it.
     *
     * @throws IOException when the client reset or vanished, or its unsent echo finds no
     *     memory; the caller closes the connection
     */
    boolean onReady(ByteBuffer shared, StreamRights rights) throws IOException {
        if (unwritten != null) {
            return flush(rights);
        }
        for (int i = 0; i < READS_PER_WAKEUP; i++) {
            shared.clear();
            if (readBytes > 0 && readBytes < shared.capacity()) {
                shared.limit(readBytes);
            }
            int asked = shared.remaining();
            int n = fd < 0 ? channel.read(shared) : rights.read(fd, shared);
            int[] fds = fd < 0 ? StreamRights.NONE : rights.received();
            if (n < 0) {
                return false; // EOF, and nothing is owed: a client that half-closed gets EOF back now
            }
            if (n == 0) {
                return true;
            }
            lastProgress = System.nanoTime();
            shared.flip();
            if (fds.length == 0) {
                channel.write(shared);
            } else {
                unsentFds = fds;
                writeWithFds(shared, rights);
            }
            if (shared.hasRemaining()) {
                keep(shared);
                key.interestOps(SelectionKey.OP_WRITE);
                return true;
            }
            if (n < asked) {
                return true; // most likely all there was: another read would only say so
            }
        }
        return true;
    }

    private void keep(ByteBuffer rest) throws IOException {
        try {
            unwritten = ByteBuffer.allocate(rest.remaining()).put(rest).flip();
        } catch (OutOfMemoryError e) {
            // Only this client pays: its connection is closed, the server goes on.
            throw new IOException("no memory to keep " + rest.remaining() + " unsent bytes", e);
        }
    }

    /** Writes {@code bytes} with the descriptors still owed attached to the first byte, then closes them if they went. */
    private int writeWithFds(ByteBuffer bytes, StreamRights rights) throws IOException {
        int n = rights.write(fd, bytes, unsentFds);
        if (n > 0) {
            StreamRights.closeAll(unsentFds);
            unsentFds = StreamRights.NONE;
        }
        return n;
    }

    private boolean flush(StreamRights rights) throws IOException {
        if ((unsentFds.length == 0 ? channel.write(unwritten) : writeWithFds(unwritten, rights)) > 0) {
            lastProgress = System.nanoTime();
        }
        if (!unwritten.hasRemaining()) {
            unwritten = null;
            key.interestOps(SelectionKey.OP_READ);
        }
        return true;
    }

    /** Returns how long, in nanoseconds up to {@code now}, no byte moved on this connection. */
    long idleSince(long now) {
        return now - lastProgress;
    }

    /**
     * Ends the connection: its key is cancelled, and the channel is returned for the caller to close once
     * the selector has deregistered it (closing a registered channel costs the JDK a getsockopt and a
     * shutdown more). Returns null if it was ended already.
     */
    SocketChannel cancel() {
        if (closed) {
            return null;
        }
        closed = true;
        unwritten = null;
        StreamRights.closeAll(unsentFds); // never went back: the client is gone
        unsentFds = StreamRights.NONE;
        key.cancel();
        return channel;
    }
}
