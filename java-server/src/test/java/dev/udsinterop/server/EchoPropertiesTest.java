// SPDX-License-Identifier: Apache-2.0
// EchoPropertiesTest: jqwik properties: any payload, split into any chunks and half-closed at any point, comes back byte for byte.
package dev.udsinterop.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.RandomDistribution;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Properties of the echo, checked against an in-process server with two event loops: a
 * random payload (0 to 300 KiB) is written in random chunks while a reader collects the
 * echo, the client half-closes after a random prefix, and exactly that prefix must come
 * back, in order, followed by EOF.
 */
class EchoPropertiesTest {
    private static Path dir;
    private static EchoServer server;
    private static UnixDomainSocketAddress address;

    @BeforeContainer
    static void startServer() throws IOException {
        dir = Files.createTempDirectory(Path.of("/tmp"), "uds-props-");
        Path socket = dir.resolve("echo.sock");
        server = EchoServer.start(List.of(new ListenAddress.Unix(SocketPath.of(socket.toString()))), SocketMode.DEFAULT,
                2, Admission.OPEN, e -> { });
        address = UnixDomainSocketAddress.of(socket);
    }

    @AfterContainer
    static void stopServer() throws IOException {
        server.close();
        Files.deleteIfExists(dir.resolve("echo.sock"));
        Files.deleteIfExists(dir);
    }

    /**
     * A payload, the chunk sizes to write it in, how much of it to send before half-closing,
     * and how the client reads: up to {@code readSize} bytes at a time, or, when
     * {@code slowReader}, 1 KiB a millisecond (so that the server's echo backs up and it has to
     * keep what the socket did not take).
     */
    record Exchange(byte[] payload, List<Integer> chunks, int halfCloseAt, int readSize, boolean slowReader) {
        @Override
        public String toString() {
            return "Exchange[" + payload.length + " bytes, chunks " + chunks + ", half-close at " + halfCloseAt
                    + ", reads of " + readSize + (slowReader ? ", slow reader" : "") + "]";
        }
    }

    @Provide
    Arbitrary<Exchange> exchanges() {
        // Sizes uniformly up to 300 KiB (jqwik's own byte arrays stay near its small genSize), contents from a seed.
        Arbitrary<byte[]> payloads = Combinators.combine(
                Arbitraries.integers().between(0, 300 * 1024).withDistribution(RandomDistribution.uniform()),
                Arbitraries.longs())
                .as((size, seed) -> {
                    byte[] bytes = new byte[size];
                    new java.util.Random(seed).nextBytes(bytes);
                    return bytes;
                });
        return payloads.flatMap(payload -> Combinators.combine(
                Arbitraries.integers().between(1, 70 * 1024).list().ofMinSize(1).ofMaxSize(40),
                Arbitraries.integers().between(0, payload.length),
                Arbitraries.integers().between(1024, 64 * 1024),
                Arbitraries.of(true, false))
                .as((chunks, cut, readSize, slow) -> new Exchange(payload, chunks, cut, readSize, slow)));
    }

    @Property(tries = 100)
    void theSentPrefixComesBackByteForByteThenEof(@ForAll("exchanges") Exchange exchange) throws Exception {
        byte[] sent = Arrays.copyOf(exchange.payload(), exchange.halfCloseAt());
        try (SocketChannel channel = SocketChannel.open(address)) {
            CompletableFuture<byte[]> echo = CompletableFuture.supplyAsync(
                    () -> readToEof(channel, exchange.readSize(), exchange.slowReader()));
            int offset = 0;
            for (int i = 0; offset < sent.length; i++) {
                int n = Math.min(exchange.chunks().get(i % exchange.chunks().size()), sent.length - offset);
                ByteBuffer chunk = ByteBuffer.wrap(sent, offset, n);
                while (chunk.hasRemaining()) {
                    channel.write(chunk);
                }
                offset += n;
            }
            channel.shutdownOutput();
            byte[] received = echo.get(30, TimeUnit.SECONDS);
            assertThat(received.length).as("bytes echoed").isEqualTo(sent.length);
            assertThat(Arrays.mismatch(received, sent)).as("first differing offset").isEqualTo(-1);
        }
    }

    private static byte[] readToEof(SocketChannel channel, int readSize, boolean slow) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteBuffer buffer = ByteBuffer.allocate(slow ? 1024 : readSize); // slow: 1 KiB a millisecond
        try {
            while (channel.read(buffer) >= 0) {
                out.write(buffer.array(), 0, buffer.position());
                buffer.clear();
                if (slow) {
                    Thread.sleep(1); // the client's pace, part of the generated behaviour; nothing waits on it
                }
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return out.toByteArray();
    }
}
