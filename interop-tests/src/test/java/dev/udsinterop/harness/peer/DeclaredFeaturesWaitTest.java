// SPDX-License-Identifier: Apache-2.0
// DeclaredFeaturesWaitTest: a client's -capabilities answer is read within its deadline, also when a child of the client keeps its stdout open.
package dev.udsinterop.harness.peer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The old read took the client's whole output before its timed wait, so the wait's 30 s bound held nothing: a
 * client that answered and exited but left a child holding its stdout kept the harness reading until that child
 * ended (here 600 s).
 */
class DeclaredFeaturesWaitTest {
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
    void anAnswerFollowedByAChildHoldingStdoutIsReadWhenTheClientExits() {
        String answer = "{\"supports\":[\"datagram\"],\"lacks\":{\"seqpacket\":\"no\"},\"decidedBy\":\"a test\"}";
        String script = "echo '" + answer + "'; sleep 600 & echo $! > " + dir.resolve("pid");
        DeclaredFeatures d = assertTimeoutPreemptively(Duration.ofSeconds(20),
                () -> DeclaredFeatures.ask(List.of("sh", "-c", script, "client")));
        assertThat(d.supports()).containsExactly("datagram");
        assertThat(d.decidedBy()).isEqualTo("a test");
    }
}
