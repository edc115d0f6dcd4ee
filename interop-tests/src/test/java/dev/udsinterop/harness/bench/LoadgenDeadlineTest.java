// SPDX-License-Identifier: Apache-2.0
// LoadgenDeadlineTest: a loadgen that hangs is killed at its limit and bench says so, instead of reading its stdout for ever.
package dev.udsinterop.harness.bench;

import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.udsinterop.harness.transport.Endpoint;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Loadgen's stdout was read to its end before the timed wait for its exit, so that wait bounded nothing: a loadgen
 * that printed a line and hung held bench for ever. A stand-in that does that is killed at a 1 s limit.
 */
class LoadgenDeadlineTest {
    @Test
    void aLoadgenThatHangsIsKilledAtItsLimit(@TempDir Path dir) throws Exception {
        Path hanging = Files.writeString(dir.resolve("loadgen"), "#!/bin/sh\necho '{\"event\":\"started\"}'\nexec sleep 600\n");
        Files.setPosixFilePermissions(hanging, PosixFilePermissions.fromString("rwx------"));
        Loadgen loadgen = new Loadgen(hanging, true, Duration.ofSeconds(1));
        Workload workload = Workload.values()[0];

        assertTimeoutPreemptively(Duration.ofSeconds(30), () -> assertThatThrownBy(
                () -> loadgen.run(workload, Endpoint.unix(dir.resolve("s.sock")), () -> { }))
                .isInstanceOf(BenchException.class)
                .hasMessageContaining("did not finish within 1 s (killed)"));
    }
}
