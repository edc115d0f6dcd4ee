// SPDX-License-Identifier: Apache-2.0
// SocketFileRemovalIT: the server removes its socket file once; a successor's file at the path outlives the late steps of the shutdown.
package dev.udsinterop.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * In process. The first step of a shutdown removes the socket file; the later ones (the close
 * after the grace period, the JVM's shutdown hook, both calling stopAccepting again) must not
 * remove anything: by then a successor (a rolling restart, or any program) may have put its
 * own file at the path, and on ext4 that file can get the very inode number of the removed
 * one, so that comparing (device, inode) cannot tell them apart.
 */
class SocketFileRemovalIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    private static final byte[] HELLO = "Hello".getBytes(StandardCharsets.US_ASCII);

    @TempDir
    Path dir;

    @Test
    void aSuccessorsSocketFileOutlivesTheLateStepsOfTheShutdown() throws Exception {
        assertSuccessorKeepsItsFile(dir.resolve("echo.sock"), false);
    }

    @Test
    void aSuccessorsSocketFileWithTheReusedInodeOutlivesTheLateStepsOfTheShutdown() throws Exception {
        try (TinyFileSystem fs = TinyFileSystem.mount(dir)) {
            assertSuccessorKeepsItsFile(fs.root().resolve("echo.sock"), true);
        }
    }

    private static void assertSuccessorKeepsItsFile(Path socket, boolean sameInode) throws Exception {
        EchoServer first = start(socket);
        try {
            Object firstKey = fileKey(socket);
            first.stopAccepting(); // SIGTERM's first step: the file goes, the listener closes
            assertThat(socket).as("socket file once the first server stopped accepting").doesNotExist();
            // The closed listener is released at its loop's next select; only then is its inode free for reuse.
            await("the first server's listening socket released").atMost(TIMEOUT)
                    .until(() -> !boundUnder(socket.getParent()));
            try (EchoServer successor = start(socket)) {
                if (sameInode) {
                    assertThat(fileKey(socket)).as("(device, inode) of the successor's file: the removed file's")
                            .isEqualTo(firstKey);
                }
                first.stopAccepting(); // as the close after the grace period does, and the shutdown hook
                first.close();
                assertThat(socket).as("the successor's socket file after the first server closed").exists();
                assertThat(EchoClient.echo(UnixDomainSocketAddress.of(socket), HELLO))
                        .as("echo from the successor through the path").isEqualTo(HELLO);
            }
            assertThat(socket).as("the successor's socket file after the successor closed").doesNotExist();
        } finally {
            first.close();
        }
    }

    private static EchoServer start(Path socket) throws IOException {
        return EchoServer.start(List.of(new ListenAddress.Unix(SocketPath.of(socket.toString()))),
                SocketMode.DEFAULT, 1, Admission.OPEN, failure -> { });
    }

    /** Returns whether a socket of this process is bound under {@code dir} (its name: the private directory it was bound in). */
    private static boolean boundUnder(Path dir) throws IOException {
        return Files.readAllLines(Path.of("/proc/net/unix")).stream().anyMatch(line -> line.contains(" " + dir + "/"));
    }

    private static Object fileKey(Path path) throws IOException {
        return Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
    }
}
