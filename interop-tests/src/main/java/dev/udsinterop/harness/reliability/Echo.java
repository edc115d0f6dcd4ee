// SPDX-License-Identifier: Apache-2.0
// Echo: one short, checked echo through the JDK's Unix domain socket client, bounded in time.
package dev.udsinterop.harness.reliability;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** An echo: write all and half-close while reading to EOF. */
final class Echo {
    static final Duration TIMEOUT = Duration.ofSeconds(30);

    private Echo() {
    }

    /** Returns what came back for {@code payload}; fails after {@link #TIMEOUT}. */
    static byte[] roundTrip(Path socket, byte[] payload) throws IOException, InterruptedException {
        try (SocketChannel channel = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
            CompletableFuture<byte[]> echo = new CompletableFuture<>();
            Thread.ofVirtual().start(() -> {
                try {
                    echo.complete(exchange(channel, payload));
                } catch (IOException e) {
                    echo.completeExceptionally(e);
                }
            });
            try {
                return echo.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                throw new IOException("echo " + socket + ": no EOF within " + TIMEOUT.toSeconds() + " s");
            } catch (ExecutionException e) {
                throw new IOException("echo " + socket + ": " + e.getCause().getMessage(), e.getCause());
            }
        }
    }

    private static byte[] exchange(SocketChannel channel, byte[] payload) throws IOException {
        Thread.ofVirtual().start(() -> {
            try {
                ByteBuffer out = ByteBuffer.wrap(payload);
                while (out.hasRemaining()) {
                    channel.write(out);
                }
                channel.shutdownOutput();
            } catch (IOException e) {
                // the reader sees the connection end short
            }
        });
        ByteArrayOutputStream in = new ByteArrayOutputStream();
        ByteBuffer buffer = ByteBuffer.allocate(8192);
        while (channel.read(buffer) >= 0) {
            in.write(buffer.array(), 0, buffer.position());
            buffer.clear();
        }
        return in.toByteArray();
    }
}
