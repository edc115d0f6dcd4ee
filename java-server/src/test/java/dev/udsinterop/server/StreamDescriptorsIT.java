// SPDX-License-Identifier: Apache-2.0
// StreamDescriptorsIT: descriptors passed on a --unix PATH stream connection come back with their echo (Python's socket.send_fds as the client).
package dev.udsinterop.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Descriptor passing on the stream server's own path (the NIO loops, {@link StreamRights}; Java 22+):
 * pipe write ends sent with bytes (SCM_RIGHTS) come back attached to the echo of those bytes, the
 * same open files (the client writes through the returned end and reads its own read end); the
 * server's copies are closed once sent; a connection that passes none echoes as always. The client
 * is CPython's {@code socket.send_fds}/{@code recv_fds}, an independent implementation.
 */
class StreamDescriptorsIT {
    /** argv: path, fds, where ("middle": between other bytes; "last": with the last write, then SHUT_WR). */
    private static final String CLIENT = """
            import os, socket, sys
            path, count, where = sys.argv[1], int(sys.argv[2]), sys.argv[3]
            s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            s.settimeout(20)
            s.connect(path)
            pipes = [os.pipe() for _ in range(count)]
            head, marked, tail = b"h" * 3000, b"with descriptors", (b"" if where == "last" else b"t" * 5000)
            s.sendall(head)
            if count:
                socket.send_fds(s, [marked], [w for r, w in pipes])
            else:
                s.sendall(marked)
            if tail:
                s.sendall(tail)
            s.shutdown(socket.SHUT_WR)
            for r, w in pipes:
                os.close(w)  # only the server's copy, if it came back, can write into r now
            got, fds = b"", []
            while True:
                data, more, flags, _ = socket.recv_fds(s, 65536, 16)
                fds += more
                if more and len(got) + len(data) < len(head) + len(marked):
                    sys.exit("descriptors came before the echo of their bytes was complete")
                if not data:
                    break
                got += data
            if got != head + marked + tail:
                sys.exit("echo differs: %d bytes back of %d" % (len(got), len(head + marked + tail)))
            if len(fds) != count:
                sys.exit("%d descriptors back of %d" % (len(fds), count))
            for i, (fd, (r, w)) in enumerate(zip(fds, pipes)):
                os.write(fd, b"pipe %d" % i)
                os.close(fd)
                if os.read(r, 64) != b"pipe %d" % i:
                    sys.exit("descriptor %d is not the pipe sent" % i)
            print("ok %d" % len(fds))
            """;

    @TempDir
    Path dir;
    private Path script;

    @BeforeEach
    void client() throws Exception {
        Prerequisite.requireExecutable("python3");
        script = Files.writeString(dir.resolve("fdpass_client.py"), CLIENT);
    }

    @Test
    void descriptorsComeBackWithTheEchoOfTheirBytesAndTheServerClosesItsCopies() throws Exception {
        Path socket = dir.resolve("s.sock");
        try (ServerProcess server = ServerProcess.ready(1, "--unix", socket.toString())) {
            long baseline = openDescriptors(server.pid());
            assertThat(client(socket, 1, "middle")).isEqualTo("ok 1");
            assertThat(client(socket, 8, "middle")).as("eight in one message").isEqualTo("ok 8");
            assertThat(client(socket, 2, "last")).as("with the last bytes before EOF").isEqualTo("ok 2");
            assertThat(client(socket, 0, "middle")).as("a connection that passes none").isEqualTo("ok 0");
            await("the server's copies of the descriptors closed").atMost(Duration.ofSeconds(20))
                    .until(() -> openDescriptors(server.pid()) <= baseline);
        }
    }

    private String client(Path socket, int fds, String where) throws Exception {
        Process p = new ProcessBuilder("python3", script.toString(), socket.toString(), String.valueOf(fds), where).start();
        try {
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("the client finished").isTrue();
            String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            assertThat(p.exitValue()).as("client exit status; stderr: %s", err).isZero();
            return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        } finally {
            p.destroyForcibly();
        }
    }

    private static long openDescriptors(long pid) throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc/" + pid + "/fd"))) {
            return fds.count();
        }
    }
}
