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

    /** A payload, the chunk sizes to write it in, and how much of it to send before half-closing. */
    record Exchange(byte[] payload, List<Integer> chunks, int halfCloseAt) {
        @Override
        public String toString() {
            return "Exchange[" + payload.length + " bytes, chunks " + chunks + ", half-close at " + halfCloseAt + "]";
        }
    }

    @Provide
    Arbitrary<Exchange> exchanges() {
        Arbitrary<byte[]> payloads = Arbitraries.bytes().array(byte[].class).ofMinSize(0).ofMaxSize(300 * 1024)
                .edgeCases(edges -> edges.includeOnly(new byte[0]));
        return payloads.flatMap(payload -> Combinators.combine(
                Arbitraries.integers().between(1, 70 * 1024).list().ofMinSize(1).ofMaxSize(40),
                Arbitraries.integers().between(0, payload.length))
                .as((chunks, cut) -> new Exchange(payload, chunks, cut)));
    }

    @Property(tries = 150)
    void theSentPrefixComesBackByteForByteThenEof(@ForAll("exchanges") Exchange exchange) throws Exception {
        byte[] sent = Arrays.copyOf(exchange.payload(), exchange.halfCloseAt());
        try (SocketChannel channel = SocketChannel.open(address)) {
            CompletableFuture<byte[]> echo = CompletableFuture.supplyAsync(() -> readToEof(channel));
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

    private static byte[] readToEof(SocketChannel channel) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteBuffer buffer = ByteBuffer.allocate(16 * 1024);
        try {
            while (channel.read(buffer) >= 0) {
                out.write(buffer.array(), 0, buffer.position());
                buffer.clear();
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
