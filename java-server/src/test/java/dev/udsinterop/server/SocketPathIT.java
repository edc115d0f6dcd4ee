// SPDX-License-Identifier: Apache-2.0
// SocketPathIT: what the server does with what it finds at its path, and the mode the socket file gets.
package dev.udsinterop.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SocketPathIT {
    private static final Duration EXIT_TIMEOUT = Duration.ofSeconds(20);
    private static final byte[] HELLO = "Hello".getBytes(StandardCharsets.US_ASCII);

    @TempDir
    Path dir;

    @Test
    void replacesAStaleSocketLeftByAKilledServer() throws Exception {
        Path socket = dir.resolve("echo.sock");
        try (ServerProcess killed = ServerProcess.ready(1, "--unix", socket.toString())) {
            killed.signal("KILL");
            killed.awaitExit(EXIT_TIMEOUT);
        }
        assertThat(socket).as("stale socket file left by SIGKILL").exists();
        try (ServerProcess server = ServerProcess.ready(1, "--unix", socket.toString())) {
            assertThat(EchoClient.echo(server.address("unix"), HELLO)).as("echo from the new server").isEqualTo(HELLO);
            // stderr is read apart from the ready line on stdout: wait for it rather than assume it came first
            await("the log line about the stale socket").atMost(EXIT_TIMEOUT)
                    .until(() -> server.stderr().contains("removed stale socket " + socket));
        }
    }

    @Test
    void refusesAPathWhereALiveServerListensAndLeavesThatServerAlone() throws Exception {
        Path socket = dir.resolve("echo.sock");
        try (ServerProcess first = ServerProcess.ready(1, "--unix", socket.toString());
             ServerProcess second = ServerProcess.start("--unix", socket.toString())) {
            assertThat(second.awaitExit(EXIT_TIMEOUT)).as("exit status of the second server").isEqualTo(2);
            assertThat(second.stderr()).as("error of the second server")
                    .isEqualTo("uds-echo-server: listen unix " + socket + ": a server is already listening there");
            assertThat(EchoClient.echo(first.address("unix"), HELLO)).as("the first server still serves").isEqualTo(HELLO);
        }
    }

    @Test
    void refusesARegularFileAndKeepsItsContent() throws Exception {
        Path file = Files.writeString(dir.resolve("echo.sock"), "precious data");
        assertRefused(file, "a regular file is in the way (not removed)");
        assertThat(file).as("the regular file after the refusal").hasContent("precious data");
    }

    @Test
    void refusesADirectory() throws Exception {
        Path directory = Files.createDirectory(dir.resolve("echo.sock"));
        Files.writeString(directory.resolve("inside"), "kept");
        assertRefused(directory, "a directory is in the way (not removed)");
        assertThat(directory.resolve("inside")).as("the directory's content after the refusal").hasContent("kept");
    }

    @ParameterizedTest(name = "symlink to a {0}")
    @ValueSource(strings = {"stale socket", "missing file", "regular file elsewhere"})
    void refusesASymbolicLinkWithoutFollowingIt(String target) throws Exception {
        Path elsewhere = Files.createDirectory(dir.resolve("elsewhere"));
        Path targetPath = elsewhere.resolve("target");
        if (target.equals("stale socket")) {
            try (ServerSocketChannel channel = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
                channel.bind(UnixDomainSocketAddress.of(targetPath)); // closing does not unlink: a stale socket
            }
        } else if (target.equals("regular file elsewhere")) {
            Files.writeString(targetPath, "precious data");
        }
        Path link = Files.createSymbolicLink(dir.resolve("echo.sock"), targetPath);
        assertRefused(link, "a symbolic link is in the way (not removed)");
        assertThat(Files.isSymbolicLink(link)).as("the link after the refusal").isTrue();
        assertThat(Files.exists(targetPath, LinkOption.NOFOLLOW_LINKS)).as("the link's target after the refusal")
                .isEqualTo(!target.equals("missing file"));
        if (target.equals("regular file elsewhere")) {
            assertThat(targetPath).as("the target's content").hasContent("precious data");
        }
        try (var entries = Files.list(elsewhere)) {
            assertThat(entries.count()).as("entries where the link points").isEqualTo(target.equals("missing file") ? 0 : 1);
        }
    }

    @Test
    void refusesANamedPipe() throws Exception {
        Path fifo = dir.resolve("echo.sock");
        FaultsIT.run("mkfifo", fifo.toString());
        assertRefused(fifo, "a named pipe is in the way (not removed)");
        assertThat(Files.getAttribute(fifo, "unix:mode", LinkOption.NOFOLLOW_LINKS)).as("still a FIFO")
                .matches(m -> ((Integer) m & 0170000) == 0010000);
    }

    @Test
    void refusesAStaleSocketItMayNotConnectToAndKeepsIt() throws Exception {
        assumeTrue(!isRoot() || runs(List.of("setpriv", "--bounding-set=-dac_override,-dac_read_search,-fowner", "--", "true")),
                "setpriv cannot drop capabilities here, so root cannot be refused permission");
        Path socket = dir.resolve("echo.sock");
        try (ServerSocketChannel channel = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            channel.bind(UnixDomainSocketAddress.of(socket)); // stale once closed
        }
        Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("r--r--r--")); // connecting needs write
        List<String> prefix = isRoot()
                ? List.of("setpriv", "--bounding-set=-dac_override,-dac_read_search,-fowner", "--")
                : List.of();
        try (ServerProcess server = ServerProcess.start(prefix, "--unix", socket.toString())) {
            assertThat(server.awaitExit(EXIT_TIMEOUT)).isEqualTo(2);
            assertThat(server.stderr()).isEqualTo("uds-echo-server: listen unix " + socket + ": a socket is there that this "
                    + "user may not connect to, so it cannot be checked for staleness (not removed)");
        }
        assertThat(socket).as("the socket file after the refusal").exists();
    }

    /** A parent of 104 bytes leaves no room for the private directory: the socket is bound in place, under a strict umask. */
    @Test
    void givesAPathTooLongForThePrivateDirectoryItsModeAndNothingElse() throws Exception {
        Path parent = Files.createDirectory(dir.resolve("d".repeat(104 - dir.toString().length() - 1)));
        Path socket = parent.resolve("s"); // 106 bytes: the JDK binds at most that many in place
        List<String> umask022 = List.of("sh", "-c", "umask 022; exec \"$@\"", "sh");
        try (ServerProcess server = ServerProcess.start(umask022, "--unix", socket.toString(), "--mode", "0600")) {
            server.awaitReady(1);
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(socket))).isEqualTo("rw-------");
            try (var entries = Files.list(parent)) {
                assertThat(entries.toList()).as("entries of the socket's directory").containsExactly(socket);
            }
        }
    }

    @Test
    void refusesAPathLongerThanTheKernelLimit() throws Exception {
        String name = "s".repeat(SocketPath.MAX_BYTES + 1 - dir.toString().length() - 1);
        Path tooLong = dir.resolve(name);
        assertRefused(tooLong, "path is 108 bytes, longer than the 107-byte limit for a socket path");
        assertThat(tooLong).doesNotExist();
    }

    @Test
    void acceptsAPathOfExactlyTheKernelLimit() throws Exception {
        String name = "s".repeat(SocketPath.MAX_BYTES - dir.toString().length() - 1);
        Path longest = dir.resolve(name);
        try (ServerProcess ignored = ServerProcess.ready(1, "--unix", longest.toString(), "--mode", "0640")) {
            // The JDK's own clients stop at 106 bytes ("Unix domain path too long"), so netcat connects.
            Process nc = new ProcessBuilder("nc", "-U", "-N", longest.toString()).start();
            assertThat(ExternalClientsIT.exchange(nc, HELLO)).as("echo through nc at a 107-byte path").isEqualTo(HELLO);
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(longest))).isEqualTo("rw-r-----");
        }
    }

    @Test
    void refusesAMissingDirectory() throws Exception {
        Path socket = dir.resolve("missing").resolve("echo.sock");
        assertRefused(socket, "directory " + socket.getParent() + " does not exist");
    }

    @Test
    void refusesADirectoryItMayNotWriteTo() throws Exception {
        Path readOnly = Files.createDirectory(dir.resolve("ro"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("r-x------")));
        Path socket = readOnly.resolve("echo.sock");
        // root ignores permission bits; without CAP_DAC_OVERRIDE it obeys them like anyone
        List<String> prefix = isRoot()
                ? List.of("setpriv", "--bounding-set=-dac_override,-dac_read_search,-fowner", "--")
                : List.of();
        if (isRoot()) {
            assumeTrue(runs(List.of("setpriv", "--bounding-set=-dac_override,-dac_read_search,-fowner", "--", "true")),
                    "setpriv cannot drop capabilities here, so root cannot be refused permission");
        }
        try (ServerProcess server = ServerProcess.start(prefix, "--unix", socket.toString())) {
            assertThat(server.awaitExit(EXIT_TIMEOUT)).isEqualTo(2);
            assertThat(server.stderr()).isEqualTo("uds-echo-server: listen unix " + socket
                    + ": permission denied (cannot create a socket in " + readOnly + ")");
        }
    }

    @ParameterizedTest(name = "--mode {0}")
    @ValueSource(strings = {"", "0600", "0666", "0660"})
    void givesTheSocketFileTheRequestedModeAndLeavesNoTemporaryFiles(String mode) throws Exception {
        Path socket = dir.resolve("echo.sock");
        String[] args = mode.isEmpty()
                ? new String[] {"--unix", socket.toString()}
                : new String[] {"--unix", socket.toString(), "--mode", mode};
        try (ServerProcess ignored = ServerProcess.ready(1, args)) {
            int expected = Integer.parseInt(mode.isEmpty() ? "600" : mode, 8);
            int actual = (Integer) Files.getAttribute(socket, "unix:mode", LinkOption.NOFOLLOW_LINKS) & 0777;
            assertThat(Integer.toOctalString(actual)).as("mode of the socket file").isEqualTo(Integer.toOctalString(expected));
            try (var entries = Files.list(dir)) {
                assertThat(entries.toList()).as("entries of the socket's directory").containsExactly(socket);
            }
        }
    }

    private static void assertRefused(Path path, String cause) throws Exception {
        List<Path> before = entries(path.getParent());
        try (ServerProcess server = ServerProcess.start("--unix", path.toString())) {
            assertThat(server.awaitExit(EXIT_TIMEOUT)).as("exit status").isEqualTo(2);
            assertThat(server.stderr()).as("the one-line error")
                    .isEqualTo("uds-echo-server: listen unix " + path + ": " + cause);
            assertThat(server.stdout()).as("ready lines").isEmpty();
        }
        assertThat(entries(path.getParent())).as("nothing created or removed next to the path").isEqualTo(before);
    }

    private static List<Path> entries(Path directory) throws IOException {
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        try (var stream = Files.list(directory)) {
            return stream.sorted().toList();
        }
    }

    private static boolean isRoot() throws IOException {
        return "0".equals(String.valueOf(Files.getAttribute(Path.of("/proc/self"), "unix:uid")));
    }

    private static boolean runs(List<String> command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        return p.waitFor(10, java.util.concurrent.TimeUnit.SECONDS) && p.exitValue() == 0;
    }
}
