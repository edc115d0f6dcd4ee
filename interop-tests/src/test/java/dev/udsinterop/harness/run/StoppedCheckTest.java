// SPDX-License-Identifier: Apache-2.0
// StoppedCheckTest: a check stopped by SIGTERM, SIGINT or its --max-time leaves no process of its own behind.
package dev.udsinterop.harness.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.udsinterop.harness.ProjectLayout;
import dev.udsinterop.harness.container.Docker;
import dev.udsinterop.harness.mutant.Mutants;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The harness runs in a JVM of its own, as {@code ./uds-interop check} does, against the mutant that never sends
 * EOF (every half-close case waits out its deadline, as a CI job's timeout finds it), with its temporary directory,
 * and so every socket path, under this test's own directory. Every process the harness starts is seen either as
 * its descendant while it runs or by that directory in its command line; once the harness has exited, none of
 * them may be left.
 */
class StoppedCheckTest {
    private static final Duration STARTED = Duration.ofSeconds(60);
    private static final Duration EXITED = Duration.ofSeconds(60);
    /** The harness waits for what it stops; this is only for a killed process's last moments as a zombie. */
    private static final Duration GONE = Duration.ofSeconds(10);
    /** A first container run may make the images: the debootstrap base alone takes 30-100 s. */
    private static final Duration IMAGES_MADE = Duration.ofMinutes(5);

    @TempDir
    Path dir;

    private final ProjectLayout layout = ProjectLayout.fromSystemProperty();
    /** Every process seen as the harness's descendant, by pid, with its command line. */
    private final Map<ProcessHandle, String> seen = new ConcurrentHashMap<>();
    private Process harness;
    private Thread watcher;
    private String image;

    @AfterEach
    void killWhatIsLeft() throws Exception {
        if (watcher != null) {
            watcher.interrupt();
            watcher.join();
        }
        if (harness != null) {
            harness.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        seen.keySet().forEach(ProcessHandle::destroyForcibly);
        leftInDirectory().forEach(ProcessHandle::destroyForcibly);
        if (image != null) {
            CommandRun.of(dir, List.of("docker", "rmi", "-f", image));
        }
    }

    @Test
    void sigtermDuringAScenarioStopsTheServerItStarted() throws Exception {
        // fd-baseline starts a server of its own; against no-eof its first probe waits 5 s for an EOF
        startCheck(List.of("--cases", "lifecycle.fd-baseline", "--clients", "java"));
        awaitServerUnderTest();
        signal("TERM");
        assertThat(exitStatus()).isEqualTo(143);
        assertThat(seen).as("the harness started processes").isNotEmpty();
        assertNothingLeft();
    }

    @Test
    void sigintDuringAScenarioStopsTheServerItStarted() throws Exception {
        startCheck(List.of("--cases", "lifecycle.fd-baseline", "--clients", "java"));
        awaitServerUnderTest();
        signal("INT");
        assertThat(exitStatus()).isEqualTo(130);
        assertThat(seen).as("the harness started processes").isNotEmpty();
        assertNothingLeft();
    }

    @Test
    void sigtermAmongTheEchoCasesOfEveryClientStopsServersAndClients() throws Exception {
        startCheck(List.of("--cases", "echo,concurrency", "--timeout-scale", "0.3"));
        await().atMost(STARTED).pollInterval(Duration.ofMillis(20)).until(() -> console().contains("  FAILED "));
        signal("TERM");
        assertThat(exitStatus()).isEqualTo(143);
        assertThat(seen).as("the harness started processes").isNotEmpty();
        assertNothingLeft();
    }

    @Test
    void theTimeLimitDuringAScenarioStopsTheServerItStarted() throws Exception {
        startCheck(List.of("--cases", "lifecycle.fd-baseline", "--clients", "java", "--max-time", "4s"));
        assertThat(exitStatus()).isEqualTo(1);
        assertThat(console()).contains("the run's time limit of 4s is reached");
        assertThat(seen).as("the harness started processes").isNotEmpty();
        assertNothingLeft();
    }

    @Test
    void sigtermDuringACheckOfAnImageRemovesItsContainers() throws Exception {
        String noDocker = Docker.unavailable();
        if (noDocker != null && !SkipPolicy.of(false).allowsSkips()) {
            throw new AssertionError("Docker is required here (" + SkipPolicy.of(false).requiredBy() + "): " + noDocker);
        }
        Assumptions.assumeTrue(noDocker == null, () -> "Docker is not available: " + noDocker);
        image = noEofImage();
        startCheck(List.of("--server-image", image, "--clients", "java", "--cases", "echo", "--timeout-scale", "0.3"));
        // its readiness is a probe echo, which no-eof never ends: signalled while the harness waits for that
        await().atMost(IMAGES_MADE).pollInterval(Duration.ofMillis(50))
                .until(() -> !docker("container", "ls", "-q", "--filter", "label=" + Docker.OWNER + "=" + harness.pid(),
                        "--filter", "name=server-no-eof").isEmpty());
        signal("TERM");
        assertThat(exitStatus()).isEqualTo(143);
        for (String kind : List.of("container", "network", "volume")) {
            assertThat(docker(kind, "ls", "-q", "--filter", "label=" + Docker.OWNER + "=" + harness.pid()))
                    .as("%ss of the stopped harness; its output:%n%s", kind, console()).isEmpty();
        }
        assertNothingLeft();
    }

    /** Builds the no-eof mutant as an image, as a user's server would ship: its ENTRYPOINT takes --unix and --tcp. */
    private String noEofImage() throws Exception {
        Path context = Files.createDirectories(dir.resolve("image/sock")).getParent();
        Files.copy(layout.goBinary("mutant-server"), context.resolve("mutant-server"));
        Files.writeString(context.resolve("Dockerfile"), """
                FROM scratch
                COPY --chown=10001:10001 sock /sock
                COPY mutant-server /
                USER 10001:10001
                ENTRYPOINT ["/mutant-server", "-bug", "no-eof"]
                """);
        String tag = "uds-interop-test/no-eof:" + ProcessHandle.current().pid() + "-" + System.nanoTime();
        CommandRun build = CommandRun.of(context, List.of("docker", "build", "-q", "-t", tag, "."));
        assertThat(build.status()).as("docker build: %s", build.stderr()).isZero();
        return tag;
    }

    private static List<String> docker(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("docker"));
        command.addAll(List.of(args));
        CommandRun r = CommandRun.of(Path.of("."), command);
        assertThat(r.status()).as("%s: %s", command, r.stderr()).isZero();
        return r.stdout().lines().filter(l -> !l.isBlank()).toList();
    }

    /**
     * Starts {@code check} of the no-eof mutant (its image, with --server-image) over unix with {@code options}, its
     * temporary directory in ours.
     */
    private void startCheck(List<String> options) throws IOException {
        Path tmp = Files.createDirectory(dir.resolve("t"));
        List<String> command = new ArrayList<>(List.of("env", "--default-signal=INT")); // a background job ignores INT
        List<String> java = CommandRun.harness();
        command.add(java.get(0));
        command.add("-Djava.io.tmpdir=" + tmp);
        command.addAll(java.subList(1, java.size()));
        command.add("check");
        if (!options.contains("--server-image")) {
            command.addAll(List.of("--server-cmd", Mutants.named(layout, "no-eof").server().command().stream()
                    .map(w -> "'" + w.replace("'", "'\\''") + "'").collect(Collectors.joining(" "))));
        }
        command.addAll(List.of("--name", "no-eof", "--transports", "unix", "--out", dir.resolve("out").toString()));
        command.addAll(options);
        harness = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(dir.resolve("console.txt").toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile())).start();
        watcher = Thread.ofPlatform().daemon().start(() -> {
            while (!Thread.currentThread().isInterrupted() && harness.isAlive()) {
                harness.descendants().forEach(p -> seen.putIfAbsent(p, p.info().commandLine().orElse("?")));
                try {
                    Thread.sleep(10);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
    }

    /** Waits until the cases run (the check's first line is out) and a server under test of the harness is up. */
    private void awaitServerUnderTest() {
        await().atMost(STARTED).pollInterval(Duration.ofMillis(20)).until(() -> console().contains("uds-interop check: ")
                && harness.descendants().anyMatch(p -> p.info().commandLine().orElse("").contains("-bug no-eof")));
    }

    private void signal(String name) throws Exception {
        Process kill = new ProcessBuilder("kill", "-s", name, Long.toString(harness.pid())).inheritIO().start();
        assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(kill.exitValue()).isZero();
    }

    private int exitStatus() throws Exception {
        assertThat(harness.waitFor(EXITED.toSeconds(), TimeUnit.SECONDS)).as("the harness exits; its output:%n%s", console())
                .isTrue();
        watcher.join();
        return harness.exitValue();
    }

    private void assertNothingLeft() {
        System.out.printf("the stopped harness's output:%n%s", console());
        try {
            await().atMost(GONE).pollInterval(Duration.ofMillis(50)).until(() -> left().isEmpty());
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            // the assertion below names them
        }
        assertThat(left()).as("processes of the stopped harness still running; its output:%n%s", console()).isEmpty();
    }

    /** Returns the command lines of the harness's processes still alive. */
    private List<String> left() {
        Set<ProcessHandle> alive = ConcurrentHashMap.newKeySet();
        seen.keySet().stream().filter(ProcessHandle::isAlive).forEach(alive::add);
        alive.addAll(leftInDirectory());
        return alive.stream().map(p -> p.pid() + " " + p.info().commandLine().orElse(seen.getOrDefault(p, "?"))).toList();
    }

    /** Returns the processes, other than the harness, whose command line names this test's directory. */
    private List<ProcessHandle> leftInDirectory() {
        String mark = dir.toString();
        try (Stream<ProcessHandle> all = ProcessHandle.allProcesses()) {
            return all.filter(p -> harness == null || p.pid() != harness.pid())
                    .filter(p -> cmdline(p).contains(mark)).toList();
        }
    }

    /** Reads /proc/PID/cmdline (which ProcessHandle.Info truncates), arguments joined by spaces. */
    private static String cmdline(ProcessHandle p) {
        try {
            return new String(Files.readAllBytes(Path.of("/proc", Long.toString(p.pid()), "cmdline")), StandardCharsets.UTF_8)
                    .replace('\0', ' ');
        } catch (IOException e) {
            return "";
        }
    }

    private String console() {
        try {
            return Files.readString(dir.resolve("console.txt"));
        } catch (IOException e) {
            return "";
        }
    }
}
