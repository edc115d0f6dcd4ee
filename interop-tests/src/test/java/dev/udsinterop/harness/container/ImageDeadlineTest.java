// SPDX-License-Identifier: Apache-2.0
// ImageDeadlineTest: making the base image and building an image each have a deadline, with a message naming what overran.
package dev.udsinterop.harness.container;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.udsinterop.harness.ProjectLayout;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The base image's make-base (debootstrap) was read to its end and then waited for without a bound: a mirror that
 * stalls kept a run (and the suite) waiting for ever. A stand-in make-base that prints a line and sleeps is stopped
 * at a short deadline, with its children, and the message says so.
 */
class ImageDeadlineTest {
    @TempDir
    Path dir;

    @AfterEach
    void killStray() throws Exception {
        Path pid = dir.resolve("pid");
        if (Files.exists(pid)) {
            ProcessHandle.of(Long.parseLong(Files.readString(pid).strip())).ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    @Test
    void aMakeBaseThatDoesNotFinishIsStoppedAtItsDeadlineWithItsChildren() throws Exception {
        Path makeBase = Files.writeString(dir.resolve("make-base"),
                "#!/bin/sh\necho \"make-base: debootstrap (a stand-in)\"\nsleep 600 &\necho $! > " + dir.resolve("pid")
                        + "\nwait\n");
        Files.setPosixFilePermissions(makeBase, PosixFilePermissions.fromString("rwx------"));
        ByteArrayOutputStream progress = new ByteArrayOutputStream();

        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> assertThatThrownBy(
                () -> Images.base(makeBase, new PrintStream(progress, true, StandardCharsets.UTF_8), Duration.ofSeconds(2)))
                .isInstanceOf(ContainerException.class)
                .hasMessageContaining(makeBase + " did not finish within 2 s (killed"));
        assertThat(progress.toString(StandardCharsets.UTF_8)).contains("make-base: debootstrap (a stand-in)");
        long child = Long.parseLong(Files.readString(dir.resolve("pid")).strip());
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20)).untilAsserted(() ->
                assertThat(ProcessHandle.of(child).map(ProcessHandle::isAlive).orElse(false)).as("make-base's child").isFalse());
    }

    /** A build that overruns is stopped: the engine cancels it when its stream is closed, and no build container stays. */
    @Test
    void aBuildThatDoesNotFinishIsStoppedAtItsDeadline() throws Exception {
        String base = Images.of(ProjectLayout.fromSystemProperty(), System.out).base();
        Path dockerfile = Files.writeString(dir.resolve("Dockerfile"), "ARG BASE\nFROM ${BASE}\nRUN sleep 600\n");
        ImageRecipe recipe = new ImageRecipe("deadline-test", dockerfile, true, List.of());
        ByteArrayOutputStream progress = new ByteArrayOutputStream();

        assertTimeoutPreemptively(Duration.ofSeconds(120), () -> assertThatThrownBy(
                () -> recipe.ensure(base, dir.resolve("work"), new PrintStream(progress, true, StandardCharsets.UTF_8),
                        Duration.ofSeconds(3)))
                .isInstanceOf(ContainerException.class)
                .hasMessageMatching("docker build uds-interop/deadline-test:\\w+: not done within 3 s \\(stopped at Step 3/\\d : RUN sleep 600\\)"));
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).untilAsserted(() ->
                assertThat(Docker.client().listContainersCmd().withAncestorFilter(List.of(base)).exec())
                        .as("build containers of %s still running", base)
                        .noneMatch(c -> c.getCommand() != null && c.getCommand().contains("sleep 600")));
    }
}
