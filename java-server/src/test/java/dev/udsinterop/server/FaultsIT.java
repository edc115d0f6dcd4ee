// SPDX-License-Identifier: Apache-2.0
// FaultsIT: the server under faults from outside: out of descriptors, SIGINT ignored by the shell that started it.
package dev.udsinterop.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FaultsIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final byte[] HELLO = "Hello".getBytes(StandardCharsets.US_ASCII);
    private static final String ACCEPT_FAILING = "Too many open files";

    @TempDir
    Path dir;

    /**
     * With its descriptors used up, accept fails with EMFILE while the client waits in the
     * backlog and the listener stays ready: a server that retries at once keeps both cores busy
     * (measured: 262 of 200 possible ticks in 2 s before the fix).
     */
    @Test
    void outOfDescriptorsItBacksOffLogsOnceAndRecovers() throws Exception {
        Path socket = dir.resolve("echo.sock");
        List<SocketChannel> clients = new ArrayList<>();
        try (ServerProcess server = ServerProcess.ready(1, "--unix", socket.toString())) {
            run("prlimit", "--pid", Long.toString(server.pid()), "--nofile=48:48");
            for (int i = 0; i < 120; i++) {
                clients.add(SocketChannel.open(server.address("unix"))); // the backlog (1024) takes them all
            }
            await("the accept failure in the log").atMost(TIMEOUT).until(() -> server.stderr().contains(ACCEPT_FAILING));

            long before = cpuTicks(server.pid());
            long start = System.nanoTime();
            Thread.sleep(2000); // a measurement window, not a wait for something
            double seconds = (System.nanoTime() - start) / 1e9;
            long ticks = cpuTicks(server.pid()) - before;
            // Logged when accepting turns from working to failing, not per retry. The JVM itself may open and
            // close a descriptor now and then (a file it reads), letting one accept through: that is a real
            // recovery ("works again") and a new failure, each logged once. Per-retry logging would give
            // about ten lines in these 2 s (5 ms doubling to 1 s).
            String log = server.stderr();
            int failing = occurrences(log, ACCEPT_FAILING);
            int recovered = occurrences(log, "works again");
            assertThat(failing - recovered).as("failure lines minus recovery lines: " + log).isBetween(0, 1);
            assertThat(failing).as("log lines about it: " + log).isBetween(1, 3);
            // Spinning takes up to 100 ticks per core and second (56 of 200 measured on a loaded machine);
            // backing off next to nothing (0-2).
            System.out.printf("CPU ticks of the server in %.1f s while accept fails: %d%n", seconds, ticks);
            assertThat(ticks).as("CPU ticks of the server in %.1f s while accept fails", seconds).isLessThan(20);

            for (SocketChannel client : clients) {
                client.close(); // frees the server's descriptors as it sees the EOFs
            }
            clients.clear();
            await("an echo once descriptors are free again").atMost(TIMEOUT).ignoreExceptions()
                    .until(() -> java.util.Arrays.equals(EchoClient.echo(server.address("unix"), HELLO), HELLO));
            await("the log line about the recovery").atMost(TIMEOUT).until(() -> server.stderr().contains("works again"));
        } finally {
            for (SocketChannel client : clients) {
                client.close();
            }
        }
    }

    /**
     * A non-interactive shell starts background jobs with SIGINT ignored, and a JVM keeps an
     * inherited SIG_IGN: the server restores the default itself (Java 22+).
     */
    @Test
    void sigintStopsTheServerStartedInTheBackgroundByAScript() throws Exception {
        Path socket = dir.resolve("echo.sock");
        List<String> script = List.of("sh", "-c", "\"$@\" & echo \"pid $!\"; wait $!", "sh");
        String pid = null;
        try (ServerProcess shell = ServerProcess.start(script, "--unix", socket.toString())) {
            await("the ready line and the pid").atMost(TIMEOUT)
                    .until(() -> shell.stdout().stream().anyMatch(l -> l.startsWith("listening "))
                            && shell.stdout().stream().anyMatch(l -> l.startsWith("pid ")));
            pid = shell.stdout().stream().filter(l -> l.startsWith("pid ")).findFirst().orElseThrow().substring(4);
            run("kill", "-s", "INT", pid);
            assertThat(shell.awaitExit(TIMEOUT)).as("exit status of the server after SIGINT (via the shell's wait)").isZero();
            assertThat(socket).as("socket file after SIGINT").doesNotExist();
            assertThat(shell.stderr()).contains("SIGINT: stopping");
        } finally {
            if (pid != null) { // the shell's child outlives the shell when the test fails
                ProcessHandle.of(Long.parseLong(pid)).ifPresent(ProcessHandle::destroyForcibly);
            }
        }
    }

    /** utime + stime of {@code pid}, in clock ticks, from /proc/PID/stat. */
    private static long cpuTicks(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]); // fields 14 and 15 of stat(5)
    }

    private static int occurrences(String text, String part) {
        int n = 0;
        for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) {
            n++;
        }
        return n;
    }

    /** Returns whether {@code command} exits 0 within the deadline. */
    static boolean succeeds(List<String> command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        boolean ended = p.waitFor(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        p.destroyForcibly();
        return ended && p.exitValue() == 0;
    }

    static void run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS) || p.exitValue() != 0) {
            throw new AssertionError(String.join(" ", command) + " failed: " + out);
        }
    }
}
