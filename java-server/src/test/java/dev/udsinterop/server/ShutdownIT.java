// SPDX-License-Identifier: Apache-2.0
// ShutdownIT: SIGTERM and SIGINT end the server cleanly: exit 0, socket file removed, open connections given their grace.
package dev.udsinterop.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ShutdownIT {
    private static final Duration EXIT_TIMEOUT = Duration.ofSeconds(15);

    @TempDir
    Path dir;

    @ParameterizedTest(name = "SIG{0}")
    @ValueSource(strings = {"TERM", "INT"})
    void exitsZeroAndRemovesTheSocketFile(String signal) throws Exception {
        Path socket = dir.resolve("echo.sock");
        try (ServerProcess server = ServerProcess.ready(2, "--unix", socket.toString(), "--tcp", "127.0.0.1:0")) {
            assertThat(socket).as("socket file while running").exists();
            server.signal(signal);
            assertThat(server.awaitExit(EXIT_TIMEOUT)).as("exit status after SIG%s", signal).isZero();
            assertThat(socket).as("socket file after SIG%s", signal).doesNotExist();
            assertThat(server.stderr()).as("stderr").doesNotContain("Exception");
        }
    }

    @Test
    void letsAnOpenConnectionFinishItsEchoAfterSigterm() throws Exception {
        Path socket = dir.resolve("echo.sock");
        try (ServerProcess server = ServerProcess.ready(1, "--unix", socket.toString(), "--grace", "20s");
             SocketChannel client = SocketChannel.open(server.address("unix"))) {
            EchoClient.writeFully(client, "before ".getBytes(StandardCharsets.US_ASCII));
            assertThat(EchoClient.readExactly(client, 7)).isEqualTo("before ".getBytes(StandardCharsets.US_ASCII));

            server.signal("TERM");
            await("socket file removed once accepting stopped").atMost(EXIT_TIMEOUT).until(() -> !Files.exists(socket));
            assertThat(server.isAlive()).as("server waits for the open connection").isTrue();

            byte[] rest = EchoClient.payload(3, 1 << 20);
            assertThat(EchoClient.echo(client, rest)).as("echo on the open connection after SIGTERM").isEqualTo(rest);
            assertThat(server.awaitExit(EXIT_TIMEOUT)).as("exit status once the connection finished").isZero();
        }
    }

    @Test
    void closesConnectionsThatOutstayTheGracePeriodAndStillExitsZero() throws Exception {
        Path socket = dir.resolve("echo.sock");
        try (ServerProcess server = ServerProcess.ready(1, "--unix", socket.toString(), "--grace", "300ms");
             SocketChannel idle = SocketChannel.open(server.address("unix"))) {
            EchoClient.writeFully(idle, "x".getBytes(StandardCharsets.US_ASCII));
            assertThat(EchoClient.readExactly(idle, 1)).as("the connection is established").hasSize(1);
            server.signal("TERM");
            assertThat(server.awaitExit(EXIT_TIMEOUT)).as("exit status after the grace period").isZero();
            assertThat(server.stderr()).as("log of the forced close").contains("grace period over");
        }
    }

    @Test
    void aSecondSignalStopsAtOnce() throws Exception {
        Path socket = dir.resolve("echo.sock");
        try (ServerProcess server = ServerProcess.ready(1, "--unix", socket.toString(), "--grace", "1h");
             SocketChannel idle = SocketChannel.open(server.address("unix"))) {
            EchoClient.writeFully(idle, "x".getBytes(StandardCharsets.US_ASCII));
            assertThat(EchoClient.readExactly(idle, 1)).hasSize(1);
            server.signal("TERM");
            await("socket file removed").atMost(EXIT_TIMEOUT).until(() -> !Files.exists(socket));
            server.signal("INT");
            assertThat(server.awaitExit(EXIT_TIMEOUT)).as("exit status after the second signal").isZero();
        }
    }
}
