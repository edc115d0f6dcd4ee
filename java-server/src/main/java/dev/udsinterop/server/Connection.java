// SPDX-License-Identifier: Apache-2.0
// Connection: the echo state of one client: what is still to be written back, and whether its input ended.
package dev.udsinterop.server;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;

/**
 * One client connection, owned by one {@link EventLoop}.
 *
 * <p>Bytes are read into the loop's shared buffer and written straight back. Only what the
 * socket does not take at once is copied into a buffer of this connection, and while that
 * buffer is not empty the connection is not read: the client's own sending is slowed by the
 * kernel (backpressure), and an idle connection holds no buffer at all.
 */
final class Connection {
    private final SocketChannel channel;
    private final SelectionKey key;
    private ByteBuffer unwritten;

    Connection(SocketChannel channel, SelectionKey key) {
        this.channel = channel;
        this.key = key;
    }

    /**
     * Handles readiness. Returns false when the connection is finished: the client's input
     * ended and every byte was echoed, so the caller closes it.
     *
     * @throws IOException when the client reset or vanished; the caller closes the connection
     */
    boolean onReady(ByteBuffer shared) throws IOException {
        if (unwritten != null) {
            return flush();
        }
        shared.clear();
        int n = channel.read(shared);
        if (n < 0) {
            return false; // EOF, and nothing is owed: a client that half-closed gets EOF back now
        }
        shared.flip();
        channel.write(shared);
        if (shared.hasRemaining()) {
            unwritten = ByteBuffer.allocate(shared.remaining()).put(shared).flip();
            key.interestOps(SelectionKey.OP_WRITE);
        }
        return true;
    }

    private boolean flush() throws IOException {
        channel.write(unwritten);
        if (!unwritten.hasRemaining()) {
            unwritten = null;
            key.interestOps(SelectionKey.OP_READ);
        }
        return true;
    }

    void close() {
        key.cancel();
        try {
            channel.close();
        } catch (IOException ignored) {
            // the descriptor is released either way
        }
    }
}
