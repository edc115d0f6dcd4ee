// SPDX-License-Identifier: Apache-2.0
// EchoIT: the echo contract over each transport: bytes unchanged, half-close, streaming, many clients, resets.
package dev.udsinterop.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class EchoIT {
    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(Transport.class)
    void echoesSmallPayloadsUnchangedAndEndsWithEof(Transport transport) throws Exception {
        byte[] allBytes = new byte[256];
        for (int i = 0; i < allBytes.length; i++) {
            allBytes[i] = (byte) i;
        }
        try (ServerProcess server = ServerProcess.ready(1, transport.serverArgs(dir))) {
            SocketAddress address = server.address(transport.network());
            for (byte[] payload : List.of(new byte[0], "Hello".getBytes(StandardCharsets.US_ASCII), allBytes)) {
                assertThat(EchoClient.echo(address, payload)).as("echo of %d bytes", payload.length).isEqualTo(payload);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void echoes16MiBCompletelyAfterHalfClose(Transport transport) throws Exception {
        byte[] payload = EchoClient.payload(16, 16 << 20);
        try (ServerProcess server = ServerProcess.ready(1, transport.serverArgs(dir))) {
            assertThat(EchoClient.echo(server.address(transport.network()), payload))
                    .as("16 MiB echo, byte for byte").isEqualTo(payload);
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void echoesEachWriteBeforeTheClientsEof(Transport transport) throws Exception {
        try (ServerProcess server = ServerProcess.ready(1, transport.serverArgs(dir));
             SocketChannel channel = SocketChannel.open(server.address(transport.network()))) {
            for (String word : List.of("Hello", "World", "again")) {
                EchoClient.writeFully(channel, word.getBytes(StandardCharsets.US_ASCII));
                assertThat(new String(EchoClient.readExactly(channel, word.length()), StandardCharsets.US_ASCII))
                        .as("echo of '%s' while the write side is still open", word).isEqualTo(word);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void givesEachOf64ConcurrentClientsItsOwnBytes(Transport transport) throws Exception {
        try (ServerProcess server = ServerProcess.ready(1, transport.serverArgs(dir));
             ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            SocketAddress address = server.address(transport.network());
            List<byte[]> payloads = new ArrayList<>();
            List<Future<byte[]>> echoes = new ArrayList<>();
            for (int i = 0; i < 64; i++) {
                byte[] payload = EchoClient.payload(i, 64 * 1024 + i);
                payloads.add(payload);
                echoes.add(executor.submit(() -> EchoClient.echo(address, payload)));
            }
            for (int i = 0; i < 64; i++) {
                assertThat(echoes.get(i).get(60, TimeUnit.SECONDS)).as("echo of client %d", i).isEqualTo(payloads.get(i));
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void aClientThatResetsDisturbsNeitherOpenNorNewClients(Transport transport) throws Exception {
        try (ServerProcess server = ServerProcess.ready(1, transport.serverArgs(dir))) {
            SocketAddress address = server.address(transport.network());
            try (SocketChannel bystander = SocketChannel.open(address)) {
                EchoClient.writeFully(bystander, "before".getBytes(StandardCharsets.US_ASCII));
                resetMidStream(address, transport);
                assertThat(EchoClient.readExactly(bystander, 6)).as("bystander's echo from before the reset")
                        .isEqualTo("before".getBytes(StandardCharsets.US_ASCII));
                assertThat(EchoClient.echo(bystander, "after".getBytes(StandardCharsets.US_ASCII)))
                        .as("bystander's echo after the reset").isEqualTo("after".getBytes(StandardCharsets.US_ASCII));
            }
            assertThat(EchoClient.echo(address, "next".getBytes(StandardCharsets.US_ASCII)))
                    .as("a new client after the reset").isEqualTo("next".getBytes(StandardCharsets.US_ASCII));
            assertThat(server.isAlive()).as("server alive").isTrue();
        }
    }

    /** Sends as much as the socket takes without reading any echo, then closes: the server's next write fails. */
    private static void resetMidStream(SocketAddress address, Transport transport) throws Exception {
        try (SocketChannel rude = SocketChannel.open(address)) {
            if (transport == Transport.TCP) {
                rude.setOption(StandardSocketOptions.SO_LINGER, 0); // close sends RST
            }
            rude.configureBlocking(false);
            ByteBuffer junk = ByteBuffer.wrap(EchoClient.payload(7, 4 << 20));
            rude.write(junk);
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void releasesEveryDescriptorAfterConnectionsClose(Transport transport) throws Exception {
        try (ServerProcess server = ServerProcess.ready(1, transport.serverArgs(dir))) {
            SocketAddress address = server.address(transport.network());
            EchoClient.echo(address, new byte[] {1}); // the first connection loads classes and opens what stays open
            long baseline = openDescriptors(server.pid());
            for (int i = 0; i < 200; i++) {
                if (i % 4 == 3) {
                    resetMidStream(address, transport);
                } else {
                    EchoClient.echo(address, EchoClient.payload(i, 100));
                }
            }
            await("descriptors back to the baseline of " + baseline).atMost(Duration.ofSeconds(10))
                    .pollInterval(Duration.ofMillis(20))
                    .until(() -> openDescriptors(server.pid()) <= baseline);
        }
    }

    private static long openDescriptors(long pid) throws Exception {
        try (var fds = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
            return fds.count();
        }
    }
}
