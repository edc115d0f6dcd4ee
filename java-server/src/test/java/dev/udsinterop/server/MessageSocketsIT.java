// SPDX-License-Identifier: Apache-2.0
// MessageSocketsIT: seqpacket, datagram and abstract-name sockets of the server process, driven by socat.
package dev.udsinterop.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sockets the server binds itself (Java 22+): SOCK_SEQPACKET and SOCK_DGRAM on paths and
 * abstract names, and stream sockets on abstract names; their ready lines, their files' mode
 * and removal, and a name in use refused. Message boundaries and descriptor passing are the
 * conformance suite's cases (seqpacket.*, datagram.*, fdpass.*), run by the Go client.
 */
class MessageSocketsIT {
    @TempDir
    Path dir;

    /** A name of this test run's own in the abstract namespace, shared by every process of the machine. */
    private String name;

    @BeforeEach
    void name() throws Exception {
        Prerequisite.requireExecutable("socat");
        name = "@uds-echo-it-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
    }

    @Test
    void servesSeqpacketDatagramAndAbstractStreamAtOnce() throws Exception {
        Path seqpacket = dir.resolve("p.sock");
        try (ServerProcess server = ServerProcess.ready(3,
                "--seqpacket", seqpacket.toString(), "--datagram", name + "-dgram", "--unix", name + "-stream")) {
            assertThat(server.stdout()).as("ready lines: --unix, then --seqpacket, then --datagram").containsExactly(
                    "listening unix:" + name + "-stream", "listening seqpacket:" + seqpacket, "listening datagram:" + name + "-dgram");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(seqpacket, LinkOption.NOFOLLOW_LINKS)))
                    .as("mode of the seqpacket socket file").isEqualTo("rw-------");
            assertThat(socat("hello seqpacket", "UNIX-CONNECT:" + seqpacket + ",type=5")).isEqualTo("hello seqpacket");
            assertThat(socat("hello abstract stream", "ABSTRACT-CONNECT:" + name.substring(1) + "-stream"))
                    .isEqualTo("hello abstract stream");
            assertThat(socat("hello datagram", "ABSTRACT-SENDTO:" + name.substring(1) + "-dgram,bind=" + dir.resolve("c.sock")))
                    .isEqualTo("hello datagram");
            for (String suffix : List.of("-stream", "-dgram")) { // the classic slip: "@name" bound as a relative path
                assertThat(Path.of(name + suffix)).as("a file in the server's working directory").doesNotExist();
            }

            server.signal("TERM");
            assertThat(server.awaitExit(Duration.ofSeconds(20))).as("exit status after SIGTERM").isZero();
            assertThat(seqpacket).as("the seqpacket socket file after SIGTERM").doesNotExist();
        }
        // A stopped server's names are free at once: no file keeps them.
        try (ServerProcess again = ServerProcess.ready(2, "--datagram", name + "-dgram", "--unix", name + "-stream")) {
            assertThat(again.stdout()).hasSize(2);
        }
    }

    @Test
    void datagramOnAPathEchoesToTheSenderAndDropsAnUnboundOne() throws Exception {
        Path datagram = dir.resolve("d.sock");
        try (ServerProcess server = ServerProcess.ready(1, "--datagram", datagram.toString())) {
            Process unbound = new ProcessBuilder("socat", "-u", "-", "UNIX-SENDTO:" + datagram).start();
            unbound.getOutputStream().write("nobody to answer".getBytes(StandardCharsets.US_ASCII));
            unbound.getOutputStream().close();
            assertThat(unbound.waitFor(10, TimeUnit.SECONDS)).isTrue();
            assertThat(socat("hello datagram", "UNIX-SENDTO:" + datagram + ",bind=" + dir.resolve("c.sock")))
                    .as("echo after an unbound sender's datagram").isEqualTo("hello datagram");
            server.signal("TERM");
            assertThat(server.awaitExit(Duration.ofSeconds(20))).isZero();
            assertThat(server.stderr()).contains("16 bytes from an unbound sender, which cannot be answered: dropped (1 so far)");
            assertThat(datagram).as("the datagram socket file after SIGTERM").doesNotExist();
        }
    }

    @Test
    void anAbstractNameInUseIsRefusedWithExitTwo() throws Exception {
        for (String option : List.of("--unix", "--seqpacket", "--datagram")) {
            try (ServerProcess first = ServerProcess.ready(1, option, name);
                 ServerProcess second = ServerProcess.start(option, name)) {
                assertThat(second.awaitExit(ServerProcess.START_TIMEOUT)).as("exit status of a second server on %s %s", option, name)
                        .isEqualTo(2);
                String network = option.equals("--unix") ? "unix" : option.substring(2);
                assertThat(second.stderr()).isEqualTo("uds-echo-server: listen " + network + " " + name + ": bind: Address already in use");
                assertThat(first.isAlive()).isTrue();
            }
        }
    }

    @Test
    void aStaleSeqpacketFileIsReplacedAndALiveOneRefused() throws Exception {
        Path path = dir.resolve("p.sock");
        try (ServerProcess killed = ServerProcess.ready(1, "--seqpacket", path.toString())) {
            killed.signal("KILL");
            killed.awaitExit(Duration.ofSeconds(20));
        }
        assertThat(path).as("the killed server's socket file").exists();
        try (ServerProcess server = ServerProcess.ready(1, "--seqpacket", path.toString());
             ServerProcess second = ServerProcess.start("--seqpacket", path.toString())) {
            assertThat(server.stderr()).contains("removed stale socket " + path);
            assertThat(second.awaitExit(ServerProcess.START_TIMEOUT)).isEqualTo(2);
            assertThat(second.stderr()).isEqualTo("uds-echo-server: listen unix " + path + ": a server is already listening there");
        }
    }

    /** Sends {@code text} through socat to {@code address} and returns what came back. */
    private static String socat(String text, String address) throws Exception {
        Process p = new ProcessBuilder("socat", "-t", "2", "-", address).start();
        byte[] out = ExternalClientsIT.exchange(p, text.getBytes(StandardCharsets.UTF_8));
        return new String(out, StandardCharsets.UTF_8);
    }
}
