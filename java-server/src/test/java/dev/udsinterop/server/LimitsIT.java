// SPDX-License-Identifier: Apache-2.0
// LimitsIT: the optional limits, each off by default: --max-connections, --idle-timeout, --allow-uid.
package dev.udsinterop.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LimitsIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final byte[] HELLO = "Hello".getBytes(StandardCharsets.US_ASCII);

    @TempDir
    Path dir;

    @Test
    void beyondMaxConnectionsANewClientIsClosedAtOnceAndServedOnceThereIsRoom() throws Exception {
        Path socket = dir.resolve("echo.sock");
        try (ServerProcess server = ServerProcess.ready(1, "--unix", socket.toString(), "--max-connections", "2", "-v");
             SocketChannel first = SocketChannel.open(server.address("unix"));
             SocketChannel second = SocketChannel.open(server.address("unix"))) {
            for (SocketChannel open : new SocketChannel[] {first, second}) {
                EchoClient.writeFully(open, HELLO);
                assertThat(EchoClient.readExactly(open, HELLO.length)).as("echo within the limit").isEqualTo(HELLO);
            }
            try (SocketChannel third = SocketChannel.open(server.address("unix"))) {
                EchoClient.awaitClosedByServer(third);
            }
            await("the refusal in the log").atMost(TIMEOUT)
                    .until(() -> server.stderr().contains("refused a connection: 2 open (--max-connections 2)"));
            first.close();
            await("a new client is served once one left").atMost(TIMEOUT).ignoreExceptions()
                    .until(() -> Arrays.equals(EchoClient.echo(server.address("unix"), HELLO), HELLO));
            EchoClient.writeFully(second, HELLO);
            assertThat(EchoClient.readExactly(second, HELLO.length)).as("the open client is still served").isEqualTo(HELLO);
        }
    }

    @Test
    void anIdleConnectionIsClosedAfterTheIdleTimeout() throws Exception {
        Path socket = dir.resolve("echo.sock");
        try (ServerProcess server = ServerProcess.ready(1, "--unix", socket.toString(), "--idle-timeout", "300ms");
             SocketChannel idle = SocketChannel.open(server.address("unix"))) {
            long start = System.nanoTime(); // the server's last progress comes after this
            EchoClient.writeFully(idle, HELLO);
            assertThat(EchoClient.readExactly(idle, HELLO.length)).isEqualTo(HELLO);
            EchoClient.awaitClosedByServer(idle);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).as("closed after the idle timeout, not before")
                    .isGreaterThanOrEqualTo(Duration.ofMillis(300));
            assertThat(EchoClient.echo(server.address("unix"), HELLO)).as("the server serves on").isEqualTo(HELLO);
        }
    }

    @Test
    void allowUidServesThoseUsersAndRefusesAndLogsOthers() throws Exception {
        Path socket = dir.resolve("echo.sock");
        String me = String.valueOf(java.nio.file.Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
        String other = me.equals("65534") ? "65533" : "65534";
        try (ServerProcess server = ServerProcess.ready(1, "--unix", socket.toString(), "--allow-uid", other + "," + me)) {
            assertThat(EchoClient.echo(server.address("unix"), HELLO)).as("echo to an allowed user").isEqualTo(HELLO);
        }
        try (ServerProcess server = ServerProcess.ready(1, "--unix", socket.toString(), "--allow-uid", other);
             SocketChannel refused = SocketChannel.open(server.address("unix"))) {
            EchoClient.awaitClosedByServer(refused);
            await("the refusal in the log").atMost(TIMEOUT).until(() -> server.stderr().contains("refused peer user"));
            assertThat(server.stderr()).as("log").contains("not in --allow-uid");
        }
    }

    /**
     * --allow-uid takes numbers as user ids. A user may be named with digits: here the server
     * sees a passwd (bind-mounted in its own mount namespace) in which the user "4242" is this
     * test's own uid, so a lookup by name first would let this test's client in.
     */
    @Test
    void allowUidTakesANumberAsAUserIdEvenWhereAUserHasThatName() throws Exception {
        String me = String.valueOf(java.nio.file.Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
        String named = me.equals("4242") ? "4243" : "4242";
        Path passwd = dir.resolve("passwd");
        java.nio.file.Files.writeString(passwd, java.nio.file.Files.readString(Path.of("/etc/passwd"))
                + named + ":x:" + me + ":" + me + ":a user named with digits:/:/usr/sbin/nologin\n");
        List<String> withPasswd = List.of("unshare", "--mount", "--", "sh", "-c",
                "mount --bind \"$0\" /etc/passwd && exec \"$@\"", passwd.toString());
        Prerequisite.require(FaultsIT.succeeds(List.of("unshare", "--mount", "--", "sh", "-c", "mount --bind /etc/passwd /etc/passwd")),
                "cannot bind-mount a passwd file in a private mount namespace here (unshare --mount needs root)");
        Path socket = dir.resolve("echo.sock");
        try (ServerProcess server = ServerProcess.start(withPasswd, "--unix", socket.toString(), "--allow-uid", named)) {
            server.awaitReady(1);
            byte[] echo;
            try {
                echo = EchoClient.echo(server.address("unix"), HELLO);
            } catch (Exception closedWhileSending) {
                echo = new byte[0];
            }
            assertThat(echo).as("echo to uid %s with --allow-uid %s", me, named).isEmpty();
            await("the refusal in the log").atMost(TIMEOUT).until(() -> server.stderr().contains("refused peer user"));
        }
    }

    @Test
    void allowUidWithTcpIsAUsageError() throws Exception {
        try (ServerProcess server = ServerProcess.start("--tcp", "127.0.0.1:0", "--allow-uid", "0")) {
            assertThat(server.awaitExit(TIMEOUT)).isEqualTo(2);
            assertThat(server.stderr()).isEqualTo(
                    "uds-echo-server: --allow-uid: a TCP peer has no user id to check; use it with --unix only");
        }
    }
}
