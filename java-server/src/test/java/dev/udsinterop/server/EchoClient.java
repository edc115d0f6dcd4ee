// SPDX-License-Identifier: Apache-2.0
// EchoClient: a JDK client for the tests: writes a payload, half-closes, reads the echo, all under a deadline.
package dev.udsinterop.server;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A blocking client built on {@link SocketChannel}, for Unix domain sockets and TCP alike.
 * Unix channels have no read timeout, so every exchange runs under a deadline that closes
 * the channel when it passes.
 */
final class EchoClient {
    static final Duration TIMEOUT = Duration.ofSeconds(30);

    private EchoClient() {
    }

    /** Writes {@code payload} (concurrently with reading), half-closes, and returns all bytes read until EOF. */
    static byte[] echo(SocketAddress address, byte[] payload) throws Exception {
        try (SocketChannel channel = SocketChannel.open(address)) {
            return echo(channel, payload);
        }
    }

    /** Like {@link #echo(SocketAddress, byte[])} on an open channel. */
    static byte[] echo(SocketChannel channel, byte[] payload) throws Exception {
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<?> writer = executor.submit(() -> {
                writeFully(channel, payload);
                channel.shutdownOutput();
                return null;
            });
            Future<byte[]> reader = executor.submit(() -> readToEof(channel));
            try {
                writer.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                return reader.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                channel.close(); // unblocks both
                throw new AssertionError("echo not complete after " + TIMEOUT, e);
            }
        }
    }

    /** Reads exactly {@code n} bytes, or fails at EOF or after the deadline. */
    static byte[] readExactly(SocketChannel channel, int n) throws Exception {
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<byte[]> reader = executor.submit(() -> {
                ByteBuffer buffer = ByteBuffer.allocate(n);
                while (buffer.hasRemaining()) {
                    if (channel.read(buffer) < 0) {
                        throw new IOException("EOF after " + buffer.position() + " of " + n + " bytes");
                    }
                }
                return buffer.array();
            });
            try {
                return reader.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                channel.close();
                throw new AssertionError("no " + n + " bytes after " + TIMEOUT, e);
            }
        }
    }

    /**
     * Waits until the server ends the connection (EOF or a reset), reading and dropping what
     * comes; fails after the deadline.
     */
    static void awaitClosedByServer(SocketChannel channel) throws Exception {
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<?> reader = executor.submit(() -> {
                try {
                    readToEof(channel);
                } catch (IOException reset) {
                    // closed too
                }
                return null;
            });
            try {
                reader.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                channel.close();
                throw new AssertionError("the server did not close the connection within " + TIMEOUT, e);
            }
        }
    }

    static void writeFully(SocketChannel channel, byte[] bytes) throws IOException {
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
    }

    private static byte[] readToEof(SocketChannel channel) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
        while (channel.read(buffer) >= 0) {
            out.write(buffer.array(), 0, buffer.position());
            buffer.clear();
        }
        return out.toByteArray();
    }

    /** Returns {@code size} reproducible pseudo-random bytes for {@code seed}. */
    static byte[] payload(long seed, int size) {
        byte[] bytes = new byte[size];
        new java.util.Random(seed).nextBytes(bytes);
        return bytes;
    }
}
