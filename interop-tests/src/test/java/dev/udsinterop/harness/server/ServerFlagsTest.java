// SPDX-License-Identifier: Apache-2.0
// ServerFlagsTest: every bundled server of the contract takes go-echo's flags alike, in every language: bad usage is one
// line on stderr and exit 2, --help exits 0, --mode gives the socket file exactly its bits, SIGTERM exits 0.
package dev.udsinterop.harness.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.udsinterop.harness.ProjectLayout;
import dev.udsinterop.harness.transport.Transport;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the manifest's cases do not reach: the command line of the servers that implement the contract (all bundled
 * servers that print ready lines but the seed server): Java, Go, Python, Node.js, Rust and C.
 */
class ServerFlagsTest {
    private static final Duration DEADLINE = Duration.ofSeconds(30);
    private final ProjectLayout layout = ProjectLayout.fromSystemProperty();

    @TempDir
    Path dir;

    @TestFactory
    Stream<DynamicTest> everyServerTakesTheContractsFlags() {
        return BundledServers.all(layout).stream().filter(s -> s.readyLine() && !s.id().equals("go-seed"))
                .flatMap(s -> Stream.of(
                        DynamicTest.dynamicTest(s.id() + ": no listener is bad usage", () ->
                                assertUsageError(s, List.of())),
                        DynamicTest.dynamicTest(s.id() + ": an unknown flag is bad usage", () ->
                                assertUsageError(s, List.of("--no-such-flag"))),
                        DynamicTest.dynamicTest(s.id() + ": a mode that is not octal bits is bad usage", () ->
                                assertUsageError(s, List.of("--unix", dir.resolve(s.id() + "-bad.sock").toString(),
                                        "--mode", "0800"))),
                        DynamicTest.dynamicTest(s.id() + ": --help", () -> {
                            Run r = run(s, List.of("--help"));
                            assertThat(r.status()).as("%s --help: exit status; stderr: %s", s.id(), r.stderr()).isZero();
                            assertThat(r.stdout()).as("%s --help", s.id()).contains("unix").contains("mode");
                        }),
                        DynamicTest.dynamicTest(s.id() + ": --mode 0640", () -> assertMode(s, "0640", "rw-r-----"))));
    }

    private void assertUsageError(ServerSpec server, List<String> arguments) throws Exception {
        Run r = run(server, arguments);
        assertThat(r.status()).as("%s %s: exit status; stderr: %s", server.id(), arguments, r.stderr()).isEqualTo(2);
        assertThat(r.stderr().lines().toList()).as("%s %s: stderr", server.id(), arguments).hasSize(1);
        assertThat(r.stdout()).as("%s %s: stdout", server.id(), arguments).isEmpty();
    }

    private void assertMode(ServerSpec server, String mode, String permissions) throws Exception {
        Path socket = dir.resolve(server.id() + ".sock");
        try (ServerProcess p = ServerProcess.start(server.withArguments(List.of("--mode", mode)), socket)) {
            p.awaitReady(Transport.UNIX, DEADLINE);
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(socket, LinkOption.NOFOLLOW_LINKS)))
                    .as("%s --mode %s: the socket file's permissions", server.id(), mode).isEqualTo(permissions);
            p.signal("TERM");
            assertThat(p.exitStatus(DEADLINE)).as("%s: exit status after SIGTERM; %s", server.id(), p.evidence()).isZero();
        }
        assertThat(socket).as("%s: the socket file after SIGTERM", server.id()).doesNotExist();
    }

    private record Run(int status, String stdout, String stderr) {
    }

    /** Runs the server's program (its command without the listeners the harness gives) with {@code arguments}. */
    private Run run(ServerSpec server, List<String> arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(server.command().subList(0, server.command().indexOf("--unix")));
        command.addAll(arguments);
        Path out = Files.createTempFile(dir, "out", ".txt");
        Path err = Files.createTempFile(dir, "err", ".txt");
        Process p = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        try {
            assertThat(p.waitFor(DEADLINE.toSeconds(), TimeUnit.SECONDS)).as("%s exits", command).isTrue();
            return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            p.destroyForcibly();
        }
    }
}
