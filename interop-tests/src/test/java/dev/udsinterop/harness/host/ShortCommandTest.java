// SPDX-License-Identifier: Apache-2.0
// ShortCommandTest: a helper program that does not exit is killed at its deadline; one whose child keeps the pipe open still answers.
package dev.udsinterop.harness.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ShortCommandTest {
    @TempDir
    Path dir;

    /** The test's own stray: a child that outlived the program it was started by. */
    @AfterEach
    void killStray() throws Exception {
        Path pid = dir.resolve("pid");
        if (Files.exists(pid)) {
            ProcessHandle.of(Long.parseLong(Files.readString(pid).strip())).ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    @Test
    void aProgramThatDoesNotExitIsKilledAtItsDeadlineWithAMessageNamingIt() throws Exception {
        long start = System.nanoTime();
        assertThatThrownBy(() -> ShortCommand.run(List.of("sh", "-c", "echo started; exec sleep 600"), Duration.ofSeconds(1), true))
                .isInstanceOf(TimeoutException.class)
                .hasMessage("sh -c echo started; exec sleep 600 did not exit within 1 s (killed); it printed: started");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
    }

    @Test
    void aProgramWhoseChildKeepsItsOutputOpenAnswersOnceItExits() throws Exception {
        long start = System.nanoTime();
        ShortCommand.Result r = ShortCommand.run(List.of("sh", "-c", "echo 100; sleep 600 & echo $! > " + dir.resolve("pid")),
                Duration.ofSeconds(30), true);
        assertThat(r.status()).isZero();
        assertThat(r.output().strip()).isEqualTo("100");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).as("the exit, not the child's end").isLessThan(Duration.ofSeconds(10));
    }
}
