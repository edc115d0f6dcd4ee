// SPDX-License-Identifier: Apache-2.0
// InheritedSignalsTest: a harness that inherited SIGINT and SIGTERM ignored still starts its servers with both at their defaults.
package dev.udsinterop.harness.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The harness runs in a JVM started as a non-interactive shell starts a background job ({@code trap '' INT TERM}, as
 * {@code nohup} or {@code &} in a script leave SIGINT): the JVM and, without a reset, every process it starts ignore
 * both signals. The server process must not.
 */
class InheritedSignalsTest {
    private static final long SIGINT = 1L << (2 - 1);
    private static final long SIGTERM = 1L << (15 - 1);
    private static final Pattern MASK = Pattern.compile("^(harness|server) SigIgn: ([0-9a-f]+)$", Pattern.MULTILINE);

    @TempDir
    Path dir;

    @Test
    void aServerStartsWithSigintAndSigtermAtTheirDefaultsThoughTheHarnessInheritedThemIgnored() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path log = dir.resolve("child.log");
        Process child = new ProcessBuilder("bash", "-c", "trap '' INT TERM; exec \"$@\"", "bash", java, "-cp",
                System.getProperty("java.class.path"), Harness.class.getName(), dir.resolve("s.sock").toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            assertThat(child.waitFor(60, TimeUnit.SECONDS)).as("the harness JVM ended within 60 s").isTrue();
            String output = Files.readString(log, StandardCharsets.UTF_8);
            assertThat(child.exitValue()).as("its exit status; output:\n%s", output).isZero();
            Matcher m = MASK.matcher(output);
            long harness = -1;
            long server = -1;
            while (m.find()) {
                long mask = Long.parseUnsignedLong(m.group(2), 16);
                if (m.group(1).equals("harness")) {
                    harness = mask;
                } else {
                    server = mask;
                }
            }
            assertThat(harness & (SIGINT | SIGTERM)).as("the harness ignores both (else this test proves nothing); output:\n%s",
                    output).isEqualTo(SIGINT | SIGTERM);
            assertThat(server).as("the server's mask was read; output:\n%s", output).isNotEqualTo(-1);
            assertThat(server & SIGINT).as("the server ignores SIGINT").isZero();
            assertThat(server & SIGTERM).as("the server ignores SIGTERM").isZero();
        } finally {
            child.descendants().forEach(ProcessHandle::destroyForcibly);
            child.destroyForcibly();
        }
    }

    /** The harness side, run in its own JVM: starts a server as the harness does and prints both ignore masks. */
    public static final class Harness {
        public static void main(String[] args) throws Exception {
            ServerSpec spec = ServerSpec.of("sleeper", "a server that only waits", List.of("sleep", "60"));
            try (ServerProcess server = ServerProcess.start(spec, Path.of(args[0]))) {
                Path comm = Path.of("/proc", Long.toString(server.pid()), "comm");
                // the process is the server once env (if any) has made way for it
                await().atMost(Duration.ofSeconds(30)).until(() -> Files.readString(comm).strip().equals("sleep"));
                System.out.println("harness SigIgn: " + sigIgn(Path.of("/proc/self/status")));
                System.out.println("server SigIgn: " + sigIgn(Path.of("/proc", Long.toString(server.pid()), "status")));
            }
        }

        private static String sigIgn(Path status) throws Exception {
            return Files.readAllLines(status).stream().filter(l -> l.startsWith("SigIgn:"))
                    .map(l -> l.substring("SigIgn:".length()).strip()).findFirst().orElseThrow();
        }
    }
}
